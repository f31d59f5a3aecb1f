import type { MessageInfo } from '@natter/contracts/client';
import {
  addLocal,
  applyReadReceipt,
  contiguousSeq,
  deliveryLabel,
  emptyConversation,
  latestSeq,
  markFailed,
  markPending,
  mergePage,
  mergeStored,
  messageKey,
  pendingLocal,
  type ChatMessage,
  type ConversationState,
} from './conversation-state';

const me = 'me';
const bob = 'bob';

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
    createdAt: new Date(Date.UTC(2024, 0, 1, 0, seq)).toISOString(),
    reactions: [],
    ...overrides,
  };
}

function local(clientId: string, text: string): ChatMessage {
  return {
    key: messageKey(me, clientId),
    id: null,
    seq: null,
    senderId: me,
    recipientId: bob,
    type: 'text',
    text,
    clientId,
    createdAt: new Date().toISOString(),
    status: 'pending',
    reactions: [],
  };
}

const seqs = (s: ConversationState) => s.messages.map((m) => m.seq);

describe('conversation state', () => {
  it('turns an optimistic message into the stored one on ack, keeping its key', () => {
    let state = mergeStored(emptyConversation(), [stored(1), stored(2)]);
    state = addLocal(state, local('c-1', 'hi'));
    expect(state.messages.at(-1)).toMatchObject({ status: 'pending', seq: null });

    state = mergeStored(state, [stored(3, me, { clientId: 'c-1', text: 'hi' })]);
    expect(state.messages).toHaveLength(3);
    expect(state.messages.at(-1)).toMatchObject({
      key: messageKey(me, 'c-1'),
      id: 'id-3',
      seq: 3,
      status: 'sent',
    });
  });

  it('keeps optimistic bubbles in the order they were written while their acks arrive', () => {
    let state = mergeStored(emptyConversation(), [stored(1)]);
    for (const n of [1, 2, 3, 4]) state = addLocal(state, local(`c-${n}`, `typed ${n}`));
    const texts = () => state.messages.map((m) => m.text);
    expect(texts()).toEqual(['message 1', 'typed 1', 'typed 2', 'typed 3', 'typed 4']);
    // Acks come back in emission order (the server stores one socket's sends in that order);
    // a message from the contact lands in between. Acked ones sort by seq, pending ones stay
    // after them in the order they were written.
    state = mergeStored(state, [stored(2, me, { clientId: 'c-1', text: 'typed 1' })]);
    state = mergeStored(state, [stored(3)]);
    expect(texts()).toEqual(['message 1', 'typed 1', 'message 3', 'typed 2', 'typed 3', 'typed 4']);
    state = mergeStored(state, [stored(4, me, { clientId: 'c-2', text: 'typed 2' })]);
    state = markFailed(state, messageKey(me, 'c-3'), 'No answer');
    expect(texts()).toEqual(['message 1', 'typed 1', 'message 3', 'typed 2', 'typed 3', 'typed 4']);
    state = mergeStored(state, [
      stored(5, me, { clientId: 'c-4', text: 'typed 4' }),
      stored(6, me, { clientId: 'c-3', text: 'typed 3' }), // the retry is stored after
    ]);
    expect(seqs(state)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('ignores a duplicate new_message / message_sent for a message it already has', () => {
    let state = mergeStored(emptyConversation(), [stored(1), stored(2)]);
    const again = mergeStored(state, [stored(2)]);
    expect(again).toBe(state);
    // The ack and then message_sent for my own message: one bubble.
    state = addLocal(state, local('c-9', 'yo'));
    state = mergeStored(state, [stored(3, me, { clientId: 'c-9' })]);
    state = mergeStored(state, [stored(3, me, { clientId: 'c-9' })]);
    expect(seqs(state)).toEqual([1, 2, 3]);
  });

  it('merges a catch-up page in seq order without duplicates', () => {
    let state = mergeStored(emptyConversation(), [stored(1), stored(2), stored(3)]);
    // A live message arrived before the catch-up that covers the gap.
    state = mergeStored(state, [stored(6)]);
    expect(contiguousSeq(state)).toBe(3);
    expect(latestSeq(state)).toBe(6);
    state = mergeStored(state, [stored(4), stored(5), stored(6), stored(7)]);
    expect(seqs(state)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(contiguousSeq(state)).toBe(7);
  });

  it('keeps local messages after the stored ones whatever arrives', () => {
    let state = addLocal(emptyConversation(), local('a', 'first'));
    state = addLocal(state, local('b', 'second'));
    state = mergeStored(state, [stored(10), stored(9)]);
    expect(state.messages.map((m) => m.seq ?? m.clientId)).toEqual([9, 10, 'a', 'b']);
  });

  it('prepends older pages and takes hasMore from them', () => {
    let state = mergePage(
      emptyConversation(),
      { messages: [stored(51), stored(52)], hasMore: true, peerLastReadSeq: 0, cursor: '0.0' },
      'latest',
    );
    expect(state.hasMore).toBe(true);
    state = mergePage(
      state,
      { messages: [stored(49), stored(50)], hasMore: false, peerLastReadSeq: 0, cursor: '0.0' },
      'older',
    );
    expect(seqs(state)).toEqual([49, 50, 51, 52]);
    expect(state.hasMore).toBe(false);
    // A later "latest" page (refetch) does not resurrect hasMore for history already loaded.
    state = mergePage(
      state,
      { messages: [stored(52), stored(53)], hasMore: true, peerLastReadSeq: 0, cursor: '0.0' },
      'latest',
    );
    expect(state.hasMore).toBe(false);
  });

  it('marks failures, retries and a late timeout never touches a stored message', () => {
    let state = addLocal(emptyConversation(), local('x', 'hello'));
    const key = messageKey(me, 'x');
    state = markFailed(state, key, 'timeout');
    expect(state.messages[0]).toMatchObject({ status: 'failed', error: 'timeout' });
    expect(pendingLocal(state, me)).toHaveLength(0);
    state = markPending(state, key);
    expect(pendingLocal(state, me).map((m) => m.clientId)).toEqual(['x']);
    state = mergeStored(state, [stored(1, me, { clientId: 'x' })]);
    const after = markFailed(state, key, 'late timeout');
    expect(after).toBe(state);
    expect(after.messages[0].status).toBe('sent');
  });

  it('takes the read position from a history page when the API sends one', () => {
    const page = {
      messages: [stored(1, me), stored(2, me)],
      hasMore: false,
      peerLastReadSeq: 1,
      cursor: '0.0',
    };
    const state = mergePage(emptyConversation(), page, 'latest');
    expect(state.messages.map((m) => deliveryLabel(m, state.peerReadSeq))).toEqual([
      'Read',
      'Sent',
    ]);
  });

  it('shows Read for my messages up to the receipt seq', () => {
    let state = mergeStored(emptyConversation(), [stored(1, me), stored(2, me), stored(3, me)]);
    state = applyReadReceipt(state, 2);
    expect(state.messages.map((m) => deliveryLabel(m, state.peerReadSeq))).toEqual([
      'Read',
      'Read',
      'Sent',
    ]);
    expect(applyReadReceipt(state, 1)).toBe(state);
  });
});
