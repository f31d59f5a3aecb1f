import type { ContactInfo, MessageInfo } from '@natter/contracts/client';
import {
  applyMessage,
  applyPresence,
  previewText,
  removeContact,
  setUnreadCount,
  sortContacts,
  upsertContact,
} from './contacts-cache';

const me = 'me';

function contact(id: string, overrides: Partial<ContactInfo> = {}): ContactInfo {
  return {
    id,
    username: id,
    online: false,
    lastSeen: null,
    unreadCount: 0,
    lastMessage: null,
    since: '2024-01-01T00:00:00.000Z',
    muted: false,
    ...overrides,
  };
}

function message(
  seq: number,
  senderId: string,
  recipientId: string,
  overrides: Partial<MessageInfo> = {},
): MessageInfo {
  return {
    id: `m${seq}`,
    conversationId: 'c',
    seq,
    senderId,
    recipientId,
    type: 'text',
    text: `hello ${seq}`,
    clientId: `client-${seq}`,
    createdAt: `2024-02-0${Math.min(seq, 9)}T00:00:00.000Z`,
    reactions: [],
    ...overrides,
  };
}

describe('contacts cache', () => {
  it('orders by latest activity: last message, else since', () => {
    const list = sortContacts([
      contact('old', { since: '2023-01-01T00:00:00.000Z' }),
      contact('recentSince', { since: '2024-03-01T00:00:00.000Z' }),
      contact('talked', {
        lastMessage: {
          seq: 1,
          senderId: 'talked',
          type: 'text',
          text: 'x',
          createdAt: '2024-04-01T00:00:00.000Z',
        },
      }),
    ]);
    expect(list.map((c) => c.id)).toEqual(['talked', 'recentSince', 'old']);
  });

  it('bumps unread and preview for an incoming message, once per message', () => {
    const list = [contact('alice'), contact('bob', { since: '2024-01-05T00:00:00.000Z' })];
    const m = message(1, 'alice', me);
    const once = applyMessage(list, m, me, { countUnread: true })!;
    expect(once[0]).toMatchObject({
      id: 'alice',
      unreadCount: 1,
      lastMessage: { seq: 1, text: 'hello 1' },
    });
    const twice = applyMessage(once, m, me, { countUnread: true })!;
    expect(twice.find((c) => c.id === 'alice')?.unreadCount).toBe(1);
  });

  it('does not count my own or an on-screen message as unread', () => {
    const list = [contact('alice')];
    expect(
      applyMessage(list, message(1, me, 'alice'), me, { countUnread: true })![0].unreadCount,
    ).toBe(0);
    expect(
      applyMessage(list, message(1, 'alice', me), me, { countUnread: false })![0].unreadCount,
    ).toBe(0);
  });

  it('patches presence, unread counts, upserts and removals', () => {
    let list: ContactInfo[] | undefined = [contact('alice'), contact('bob')];
    list = applyPresence(list, { userId: 'bob', online: true, lastSeen: null });
    expect(list?.find((c) => c.id === 'bob')?.online).toBe(true);
    list = setUnreadCount(list, 'alice', 3);
    expect(list?.find((c) => c.id === 'alice')?.unreadCount).toBe(3);
    list = upsertContact(list, contact('carol', { since: '2025-01-01T00:00:00.000Z' }));
    expect(list[0].id).toBe('carol');
    list = removeContact(list, 'alice');
    expect(list.map((c) => c.id)).toEqual(['carol', 'bob']);
  });

  it('previews images as a photo and prefixes my own messages', () => {
    const img = contact('a', {
      lastMessage: { seq: 1, senderId: 'a', type: 'image', createdAt: '2024-01-01T00:00:00.000Z' },
    });
    expect(previewText(img, me)).toBe('📷 Photo');
    const mine = contact('a', {
      lastMessage: {
        seq: 1,
        senderId: me,
        type: 'text',
        text: 'hi',
        createdAt: '2024-01-01T00:00:00.000Z',
      },
    });
    expect(previewText(mine, me)).toBe('You: hi');
  });
});
