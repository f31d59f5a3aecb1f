import type { ContactInfo, MessageInfo } from '@natter/contracts/client';
import { summarize } from './contacts-cache';

/** The preview follows an edit or a deletion of the message it shows. */
export function applyPreviewUpdate(
  contacts: readonly ContactInfo[] | undefined,
  contactId: string,
  message: MessageInfo,
): ContactInfo[] | undefined {
  if (!contacts) return undefined;
  let changed = false;
  const next = contacts.map((c) => {
    if (c.id !== contactId || c.lastMessage?.seq !== message.seq) return c;
    changed = true;
    const summary = summarize(message);
    return {
      ...c,
      lastMessage: message.deletedAt ? { ...summary, deleted: true as const } : summary,
    };
  });
  return changed ? next : (contacts as ContactInfo[]);
}
