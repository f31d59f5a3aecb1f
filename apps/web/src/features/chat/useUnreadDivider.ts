import { useState } from 'react';
import type { ConversationState } from './conversation-state';
import { firstUnreadSeq } from './grouping';

/**
 * Where the "Unread messages" divider sits in the open conversation. It is fixed when unread
 * messages appear (on opening, or when new ones arrive while the reader is away) and stays
 * while the pane is open, even after they are marked read, so the reader keeps their place.
 */
export function useUnreadDivider(
  state: ConversationState | undefined,
  unreadCount: number,
  myId: string,
): number | null {
  const [dividerSeq, setDividerSeq] = useState<number | null>(null);
  const [wasUnread, setWasUnread] = useState(false);
  const unread = unreadCount > 0;
  if (state && unread && !wasUnread) {
    // A new unread run begins (unread went from none to some): the divider moves to it.
    const seq = firstUnreadSeq(state.messages, unreadCount, myId);
    if (seq !== null) {
      setWasUnread(true);
      setDividerSeq(seq);
    }
  } else if (!unread && wasUnread) {
    setWasUnread(false);
  }
  return dividerSeq;
}
