import type { ChatMessage } from './conversation-state';

/**
 * How the history is laid out: day separators, the "Unread messages" divider, and runs of
 * consecutive messages from one sender (grouped when each follows the previous one within
 * five minutes). Pure, so the rules are unit-tested without rendering.
 */

export const GROUP_WINDOW_MS = 5 * 60_000;

export type TimelineItem =
  | { kind: 'day'; key: string; iso: string }
  | { kind: 'unread'; key: 'unread-divider' }
  | {
      kind: 'message';
      key: string;
      message: ChatMessage;
      /** First of its run: shows the sender's tail and spacing above. */
      groupStart: boolean;
      /** Last of its run: shows the time and delivery state. */
      groupEnd: boolean;
    };

/** Local calendar day of a timestamp, so separators follow the reader's time zone. */
export function localDayKey(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

function continues(previous: ChatMessage, next: ChatMessage): boolean {
  if (previous.senderId !== next.senderId) return false;
  if (localDayKey(previous.createdAt) !== localDayKey(next.createdAt)) return false;
  const gap = Date.parse(next.createdAt) - Date.parse(previous.createdAt);
  return Number.isFinite(gap) && gap >= 0 && gap <= GROUP_WINDOW_MS;
}

/**
 * The seq of the first unread message, given how many are unread: the `unreadCount`-th
 * newest message from the contact among those held. When fewer are held, the oldest one held
 * (the rest are on older pages). null when nothing is unread.
 */
export function firstUnreadSeq(
  messages: readonly ChatMessage[],
  unreadCount: number,
  myId: string,
): number | null {
  if (unreadCount <= 0) return null;
  let found: number | null = null;
  let counted = 0;
  for (let i = messages.length - 1; i >= 0 && counted < unreadCount; i--) {
    const m = messages[i];
    if (m.senderId === myId || m.seq === null) continue;
    found = m.seq;
    counted += 1;
  }
  return found;
}

/**
 * Messages (oldest first) into timeline items. `unreadFromSeq`: the divider goes right before
 * the first message from the contact at or after that seq; it also breaks a run.
 */
export function buildTimeline(
  messages: readonly ChatMessage[],
  options: { unreadFromSeq: number | null; myId: string },
): TimelineItem[] {
  const items: TimelineItem[] = [];
  let dividerPlaced = false;
  let previous: ChatMessage | null = null;
  let lastMessageItem: Extract<TimelineItem, { kind: 'message' }> | null = null;

  for (const message of messages) {
    const newDay = !previous || localDayKey(previous.createdAt) !== localDayKey(message.createdAt);
    if (newDay)
      items.push({
        kind: 'day',
        key: `day-${localDayKey(message.createdAt)}`,
        iso: message.createdAt,
      });
    const divider =
      !dividerPlaced &&
      options.unreadFromSeq !== null &&
      message.seq !== null &&
      message.seq >= options.unreadFromSeq &&
      message.senderId !== options.myId;
    if (divider) {
      items.push({ kind: 'unread', key: 'unread-divider' });
      dividerPlaced = true;
    }
    const groupStart = !previous || newDay || divider || !continues(previous, message);
    if (groupStart && lastMessageItem) lastMessageItem.groupEnd = true;
    lastMessageItem = { kind: 'message', key: message.key, message, groupStart, groupEnd: false };
    items.push(lastMessageItem);
    previous = message;
  }
  if (lastMessageItem) lastMessageItem.groupEnd = true;
  return items;
}

/** Messages from the contact newer than the last one seen at the bottom (the jump button's count). */
export function countNewBelow(
  messages: readonly ChatMessage[],
  seenSeq: number,
  myId: string,
): number {
  let count = 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.seq === null) continue;
    if (m.seq <= seenSeq) break;
    if (m.senderId !== myId) count += 1;
  }
  return count;
}
