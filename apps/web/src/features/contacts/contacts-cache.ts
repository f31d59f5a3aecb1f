import type {
  ContactInfo,
  LastMessageSummary,
  MessageInfo,
  PresenceEvent,
} from '@natter/contracts/client';

/** Pure updates of the contacts list held in the query cache (socket events and sends). */

const PREVIEW_LENGTH = 120;

export function contactActivity(contact: ContactInfo): number {
  const iso = contact.lastMessage?.createdAt ?? contact.since;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}

/** Latest activity first (last message, else when you became contacts). */
export function sortContacts(contacts: readonly ContactInfo[]): ContactInfo[] {
  return [...contacts].sort(
    (a, b) => contactActivity(b) - contactActivity(a) || a.username.localeCompare(b.username),
  );
}

export function upsertContact(
  contacts: readonly ContactInfo[] | undefined,
  contact: ContactInfo,
): ContactInfo[] {
  const rest = (contacts ?? []).filter((c) => c.id !== contact.id);
  return sortContacts([...rest, contact]);
}

export function removeContact(
  contacts: readonly ContactInfo[] | undefined,
  contactId: string,
): ContactInfo[] {
  return (contacts ?? []).filter((c) => c.id !== contactId);
}

function patch(
  contacts: readonly ContactInfo[] | undefined,
  contactId: string,
  update: (c: ContactInfo) => ContactInfo,
): ContactInfo[] | undefined {
  if (!contacts) return undefined;
  let changed = false;
  const next = contacts.map((c) => {
    if (c.id !== contactId) return c;
    const updated = update(c);
    if (updated !== c) changed = true;
    return updated;
  });
  return changed ? next : (contacts as ContactInfo[]);
}

export function applyPresence(contacts: readonly ContactInfo[] | undefined, event: PresenceEvent) {
  return patch(contacts, event.userId, (c) =>
    c.online === event.online && c.lastSeen === (event.lastSeen ?? c.lastSeen)
      ? c
      : { ...c, online: event.online, lastSeen: event.lastSeen ?? c.lastSeen },
  );
}

export function setUnreadCount(
  contacts: readonly ContactInfo[] | undefined,
  contactId: string,
  unreadCount: number,
) {
  return patch(contacts, contactId, (c) =>
    c.unreadCount === unreadCount ? c : { ...c, unreadCount },
  );
}

export function summarize(message: MessageInfo): LastMessageSummary {
  return {
    seq: message.seq,
    senderId: message.senderId,
    type: message.type,
    ...(message.text !== undefined && !message.deletedAt
      ? { text: message.text.slice(0, PREVIEW_LENGTH) }
      : {}),
    createdAt: message.createdAt,
  };
}

/** The contact a message belongs to, seen from `myId`. */
export function counterpartOf(
  message: Pick<MessageInfo, 'senderId' | 'recipientId'>,
  myId: string,
): string {
  return message.senderId === myId ? message.recipientId : message.senderId;
}

/**
 * A stored message arrived (or was acknowledged): move it into the contact's preview and,
 * for an incoming message nobody is looking at, count it as unread. A message not newer
 * than the preview is a duplicate and changes nothing, so repeats never double-count.
 */
export function applyMessage(
  contacts: readonly ContactInfo[] | undefined,
  message: MessageInfo,
  myId: string,
  options: { countUnread: boolean },
): ContactInfo[] | undefined {
  const contactId = counterpartOf(message, myId);
  const next = patch(contacts, contactId, (c) => {
    if (c.lastMessage && c.lastMessage.seq >= message.seq) return c;
    const incoming = message.senderId !== myId;
    return {
      ...c,
      lastMessage: summarize(message),
      unreadCount: incoming && options.countUnread ? c.unreadCount + 1 : c.unreadCount,
    };
  });
  return next && next !== contacts ? sortContacts(next) : next;
}

export function previewText(contact: ContactInfo, myId: string | undefined): string {
  const last = contact.lastMessage;
  if (!last) return 'No messages yet';
  const body = last.deleted
    ? 'This message was deleted'
    : last.type === 'image'
      ? `📷 ${last.text || 'Photo'}`
      : (last.text ?? '');
  return last.senderId === myId ? `You: ${body}` : body;
}
