import type { MessageInfo } from '@natter/contracts/client';
import { addLocal, emptyConversation, mergeStored, messageKey } from './conversation-state';
import {
  applyChanges,
  applyUpdates,
  asTombstone,
  countReactions,
  lastEditable,
  removeById,
  withReaction,
} from './message-actions-state';

const me = 'me';
const bob = 'bob';
const HOUR = 3_600_000;

function stored(seq: number, senderId = bob, overrides: Partial<MessageInfo> = {}): MessageInfo {
  return {
    id: `id-${seq}`,
    conversationId: 'conv',
    seq,
    senderId,
    recipientId: senderId === me ? bob : me,
    type: 'text',
    text: `message ${seq}`,
    clientId: `client-${senderId}-${seq}`,
    createdAt: new Date(Date.now() - HOUR + seq).toISOString(),
    reactions: [],
    ...overrides,
  };
}

describe('message actions state', () => {
  it('applies an update in place, keeping the React key; unknown messages are ignored', () => {
    const state = mergeStored(emptyConversation(), [stored(1), stored(2)]);
    const next = applyUpdates(state, [
      stored(2, bob, { text: 'edited', editedAt: new Date().toISOString() }),
      stored(99),
    ]);
    expect(next.messages.map((m) => m.text)).toEqual(['message 1', 'edited']);
    expect(next.messages[1].key).toBe(state.messages[1].key);
    expect(next.messages).toHaveLength(2);
    expect(applyUpdates(state, [stored(99)])).toBe(state);
  });

  it('applies a changes page: updates, new messages, hides and the cursor', () => {
    let state = mergeStored(emptyConversation(), [stored(5), stored(6), stored(7)]);
    state = { ...state, hasMore: true, cursor: '1.7' };
    state = applyChanges(state, {
      messages: [
        stored(2, bob, { text: 'older, not loaded' }),
        stored(6, bob, { deletedAt: new Date().toISOString(), text: undefined }),
        stored(8),
      ],
      hiddenIds: ['id-5'],
      cursor: '4.8',
      hasMore: false,
    });
    expect(state.messages.map((m) => m.seq)).toEqual([6, 7, 8]);
    expect(state.messages[0].deletedAt).toBeDefined();
    expect(state.cursor).toBe('4.8');
  });

  it('one reaction per user, counted by emoji with mine marked', () => {
    let reactions = withReaction([], me, '👍');
    reactions = withReaction(reactions, bob, '👍');
    reactions = withReaction(reactions, me, '🔥');
    expect(countReactions(reactions, me)).toEqual([
      { emoji: '👍', count: 1, mine: false },
      { emoji: '🔥', count: 1, mine: true },
    ]);
    expect(withReaction(reactions, me, null)).toEqual([{ userId: bob, emoji: '👍' }]);
  });

  it('the last editable message is my newest stored, live text one', () => {
    let state = mergeStored(emptyConversation(), [
      stored(1, me),
      stored(2, me, { type: 'image', text: undefined }),
      stored(3, bob),
    ]);
    state = addLocal(state, {
      ...state.messages[0],
      key: messageKey(me, 'local'),
      id: null,
      seq: null,
      clientId: 'local',
      status: 'pending',
    });
    expect(lastEditable(state, me, 2 * HOUR)?.seq).toBe(1);
    expect(lastEditable(state, me, HOUR / 2)).toBeNull();
    const tombstoned = {
      ...state,
      messages: state.messages.map((m) => (m.seq === 1 ? asTombstone(m) : m)),
    };
    expect(lastEditable(tombstoned, me, 2 * HOUR)).toBeNull();
    expect(removeById(state, ['id-1']).messages.some((m) => m.id === 'id-1')).toBe(false);
  });
});
