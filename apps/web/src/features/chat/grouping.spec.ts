import type { ChatMessage } from './conversation-state';
import { buildTimeline, countNewBelow, firstUnreadSeq, type TimelineItem } from './grouping';
import { formatDay } from '../../lib/time';

const ME = 'me';
const BOB = 'bob';

/** Local times, so day boundaries are the reader's. */
function msg(
  seq: number,
  senderId: string,
  at: Date,
  overrides: Partial<ChatMessage> = {},
): ChatMessage {
  return {
    key: `${senderId}:${seq}`,
    id: `m${seq}`,
    seq,
    senderId,
    recipientId: senderId === ME ? BOB : ME,
    type: 'text',
    text: `m${seq}`,
    clientId: `c${seq}`,
    createdAt: at.toISOString(),
    status: 'sent',
    reactions: [],
    ...overrides,
  };
}
const at = (day: number, hour: number, minute: number, second = 0) =>
  new Date(2024, 4, day, hour, minute, second);

/** A compact picture of a timeline: "D" day, "U" divider, "[3" group start, "3]" group end. */
function shape(items: TimelineItem[]): string[] {
  return items.map((item) => {
    if (item.kind === 'day') return 'D';
    if (item.kind === 'unread') return 'U';
    const seq = String(item.message.seq);
    return `${item.groupStart ? '[' : ''}${seq}${item.groupEnd ? ']' : ''}`;
  });
}

describe('message grouping', () => {
  it('groups one sender within five minutes of the previous message, and splits on the sender', () => {
    const items = buildTimeline(
      [
        msg(1, BOB, at(3, 10, 0)),
        msg(2, BOB, at(3, 10, 4, 59)),
        msg(3, BOB, at(3, 10, 9, 30)), // 4:31 after #2: still grouped (chained)
        msg(4, ME, at(3, 10, 10)),
        msg(5, ME, at(3, 10, 11)),
        msg(6, BOB, at(3, 10, 12)),
      ],
      { unreadFromSeq: null, myId: ME },
    );
    expect(shape(items)).toEqual(['D', '[1', '2', '3]', '[4', '5]', '[6]']);
  });

  it('a gap over five minutes starts a new group', () => {
    const items = buildTimeline(
      [msg(1, BOB, at(3, 10, 0)), msg(2, BOB, at(3, 10, 5, 1)), msg(3, BOB, at(3, 10, 6))],
      { unreadFromSeq: null, myId: ME },
    );
    expect(shape(items)).toEqual(['D', '[1]', '[2', '3]']);
  });

  it('puts a date separator at each new local day, and a group never spans midnight', () => {
    const items = buildTimeline(
      [
        msg(1, BOB, at(3, 23, 58)),
        msg(2, BOB, at(4, 0, 1)), // three minutes later, but another day
        msg(3, BOB, at(6, 9, 0)),
      ],
      { unreadFromSeq: null, myId: ME },
    );
    expect(shape(items)).toEqual(['D', '[1]', 'D', '[2]', 'D', '[3]']);
  });

  it('labels separators Today, Yesterday, then the date', () => {
    const now = at(10, 12, 0).getTime();
    expect(formatDay(at(10, 0, 0).toISOString(), now)).toBe('Today');
    expect(formatDay(at(9, 23, 59).toISOString(), now)).toBe('Yesterday');
    const older = formatDay(at(8, 12, 0).toISOString(), now);
    expect(older).not.toMatch(/Today|Yesterday/);
    expect(older).toContain('2024');
  });

  it('places the unread divider before the first unread message and breaks the group there', () => {
    const messages = [
      msg(1, BOB, at(3, 10, 0)),
      msg(2, BOB, at(3, 10, 1)),
      msg(3, ME, at(3, 10, 2)),
      msg(4, BOB, at(3, 10, 3)),
      msg(5, BOB, at(3, 10, 4)),
    ];
    // Two unread: the two newest from Bob (4 and 5), my own message never counts.
    expect(firstUnreadSeq(messages, 2, ME)).toBe(4);
    // Three unread: 2, 4, 5.
    expect(firstUnreadSeq(messages, 3, ME)).toBe(2);
    const items = buildTimeline(messages, { unreadFromSeq: 2, myId: ME });
    expect(shape(items)).toEqual(['D', '[1]', 'U', '[2]', '[3]', '[4', '5]']);
    expect(items.filter((i) => i.kind === 'unread')).toHaveLength(1);
  });

  it('has no divider when nothing is unread, and goes to the oldest held when more are unread than held', () => {
    const messages = [msg(7, BOB, at(3, 10, 0)), msg(8, BOB, at(3, 10, 1))];
    expect(firstUnreadSeq(messages, 0, ME)).toBeNull();
    expect(firstUnreadSeq(messages, 10, ME)).toBe(7);
    expect(shape(buildTimeline(messages, { unreadFromSeq: null, myId: ME }))).toEqual([
      'D',
      '[7',
      '8]',
    ]);
  });

  it('never puts the divider before my own message', () => {
    const items = buildTimeline([msg(1, ME, at(3, 10, 0)), msg(2, BOB, at(3, 10, 1))], {
      unreadFromSeq: 1,
      myId: ME,
    });
    expect(shape(items)).toEqual(['D', '[1]', 'U', '[2]']);
  });

  it('keeps local (unsent) messages in their sender’s group', () => {
    const items = buildTimeline(
      [msg(1, ME, at(3, 10, 0)), msg(0, ME, at(3, 10, 1), { seq: null, id: null, key: 'local' })],
      { unreadFromSeq: null, myId: ME },
    );
    expect(shape(items)).toEqual(['D', '[1', 'null]']);
  });

  it('counts only the contact’s messages newer than the last one seen', () => {
    const messages = [
      msg(1, BOB, at(3, 10, 0)),
      msg(2, BOB, at(3, 10, 1)),
      msg(3, ME, at(3, 10, 2)),
      msg(4, BOB, at(3, 10, 3)),
      msg(0, ME, at(3, 10, 4), { seq: null, id: null, key: 'local' }),
    ];
    expect(countNewBelow(messages, 4, ME)).toBe(0);
    expect(countNewBelow(messages, 1, ME)).toBe(2);
    expect(countNewBelow(messages, 0, ME)).toBe(3);
  });
});
