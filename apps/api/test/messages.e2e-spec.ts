// Over 300 lines: one suite for messaging over REST and sockets against the real app; the
// cases share one app and its pair of contacts.
import type { HistoryResponse, MessageInfo } from '@natter/contracts';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Types } from 'mongoose';
import request from 'supertest';
import { ConversationDeletedEvent, DomainEvent } from '../src/common/domain-events';
import { ConversationsService } from '../src/modules/messages/conversations.service';
import {
  bearer,
  ClientSocket,
  collect,
  connectSocket,
  nextEvent,
  signup,
  sleep,
  TestUser,
} from './support/clients';
import { befriend, emitAck, newClientId, sendText } from './support/messaging';
import { createTestApp, dropDatabase, TestApp } from './support/test-app';

describe('messaging', () => {
  let t: TestApp;
  const sockets: ClientSocket[] = [];

  const connect = async (user: TestUser) => {
    const socket = await connectSocket(t.url, user.accessToken);
    sockets.push(socket);
    return socket;
  };
  const messageCount = () => t.db.collection('messages').countDocuments({});
  const pair = async () => {
    const a = await signup(t.url);
    const b = await signup(t.url);
    await befriend(t.url, a, b);
    return [a, b] as const;
  };
  const history = async (user: TestUser, contactId: string, query: Record<string, number> = {}) =>
    (
      await request(t.url)
        .get(`/api/conversations/${contactId}/messages`)
        .query(query)
        .set(bearer(user))
        .expect(200)
    ).body as HistoryResponse;

  beforeAll(async () => {
    t = await createTestApp({ label: 'messages' });
  });
  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await dropDatabase(t);
    await t.close();
  });

  it('acks after storing, delivers to the recipient and the sender’s other tab, confirms to every sender tab', async () => {
    const [alice, bob] = await pair();
    const aliceTab1 = await connect(alice);
    const aliceTab2 = await connect(alice);
    const bobSocket = await connect(bob);
    const echoedToOrigin = collect(aliceTab1, 'new_message');
    const toBob = nextEvent(bobSocket, 'new_message');
    const toTab2 = nextEvent(aliceTab2, 'new_message');
    const sentTab1 = nextEvent(aliceTab1, 'message_sent');
    const sentTab2 = nextEvent(aliceTab2, 'message_sent');

    const ack = await emitAck<{ message: MessageInfo }>(aliceTab1, 'send_private_message', {
      recipientId: bob.id,
      text: '  hello <b>bob</b>  ',
      clientId: newClientId(),
    });
    expect(ack.ok).toBe(true);
    if (!ack.ok) return;
    expect(ack.message).toMatchObject({
      seq: 1,
      senderId: alice.id,
      recipientId: bob.id,
      type: 'text',
      text: 'hello <b>bob</b>',
    });
    // Stored before the ack.
    const stored = await t.db
      .collection('messages')
      .findOne({ _id: new Types.ObjectId(ack.message.id) });
    expect(stored).toMatchObject({ seq: 1, text: 'hello <b>bob</b>' });

    expect((await toBob).message).toEqual(ack.message);
    expect((await toTab2).message).toEqual(ack.message);
    expect((await sentTab1).message).toEqual(ack.message);
    expect((await sentTab2).message).toEqual(ack.message);
    await sleep(200);
    expect(echoedToOrigin).toEqual([]);
  });

  it.each([
    ['an object as text', { text: { $gt: '' } }],
    ['an array as text', { text: ['hi'] }],
    ['a number as text', { text: 42 }],
    ['a Buffer as text', { text: Buffer.from('hi') }],
    ['null text', { text: null }],
    ['whitespace-only text', { text: '   \n ' }],
    ['4001 characters of text', { text: 'x'.repeat(4001) }],
    ['a missing clientId', { clientId: undefined }],
    ['a malformed clientId', { clientId: 'a b' }],
    ['a malformed recipientId', { recipientId: 'nope' }],
    ['an extra senderId field', { senderId: new Types.ObjectId().toHexString() }],
    ['an extra field', { html: '<script>' }],
  ])('refuses %s with an error ack and stores nothing', async (_label, override) => {
    const [alice, bob] = await pair();
    const socket = await connect(alice);
    const before = await messageCount();
    const payload: Record<string, unknown> = {
      recipientId: bob.id,
      text: 'ok',
      clientId: newClientId(),
      ...override,
    };
    for (const key of Object.keys(payload)) if (payload[key] === undefined) delete payload[key];
    const ack = await emitAck(socket, 'send_private_message', payload);
    expect(ack).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await messageCount()).toBe(before);
  });

  it.each([
    ['a string', 'hello'],
    ['an array', [{ text: 'hi' }]],
    ['a number', 7],
    ['a Buffer', Buffer.from('{"text":"hi"}')],
  ])('refuses %s as the whole payload', async (_label, payload) => {
    const [alice] = await pair();
    const socket = await connect(alice);
    const before = await messageCount();
    expect(await emitAck(socket, 'send_private_message', payload)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(await messageCount()).toBe(before);
  });

  it('the first 4000 characters are allowed, and the text is stored verbatim as plain text', async () => {
    const [alice, bob] = await pair();
    const socket = await connect(alice);
    const text = `<img src=x onerror=alert(1)>${'y'.repeat(4000 - 28)}`;
    const message = await sendText(socket, bob.id, text);
    expect(message.text).toBe(text);
    expect((await history(bob, alice.id)).messages[0].text).toBe(text);
  });

  it('refuses messages to non-contacts, to yourself and across a block, storing nothing', async () => {
    const [alice, bob] = await pair();
    const stranger = await signup(t.url);
    const socket = await connect(alice);
    const before = await messageCount();
    const send = (recipientId: string) =>
      emitAck(socket, 'send_private_message', { recipientId, text: 'hi', clientId: newClientId() });

    expect(await send(stranger.id)).toMatchObject({ ok: false, error: { code: 'NOT_A_CONTACT' } });
    expect(await send(alice.id)).toMatchObject({ ok: false, error: { code: 'NOT_A_CONTACT' } });
    expect(await send(new Types.ObjectId().toHexString())).toMatchObject({
      ok: false,
      error: { code: 'NOT_A_CONTACT' },
    });

    await request(t.url)
      .post('/api/blocks')
      .set(bearer(bob))
      .send({ userId: alice.id })
      .expect((r) => expect(r.status).toBeLessThan(300));
    expect(await send(bob.id)).toMatchObject({ ok: false, error: { code: 'BLOCKED' } });
    const bobSocket = await connect(bob);
    expect(
      await emitAck(bobSocket, 'send_private_message', {
        recipientId: alice.id,
        text: 'hi',
        clientId: newClientId(),
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'BLOCKED' },
    });
    expect(await messageCount()).toBe(before);

    await request(t.url)
      .get(`/api/conversations/${stranger.id}/messages`)
      .set(bearer(alice))
      .expect(404);
    await request(t.url)
      .post(`/api/conversations/${stranger.id}/read`)
      .set(bearer(alice))
      .send({ seq: 1 })
      .expect(404);
    await request(t.url)
      .get(`/api/conversations/not-an-id/messages`)
      .set(bearer(alice))
      .expect(400);
    expect(await emitAck(socket, 'load_conversation', { contactId: stranger.id })).toMatchObject({
      ok: false,
      error: { code: 'NOT_A_CONTACT' },
    });
    expect(await emitAck(socket, 'mark_read', { contactId: stranger.id, seq: 1 })).toMatchObject({
      ok: false,
      error: { code: 'NOT_A_CONTACT' },
    });
  });

  it('a clientId sent twice, one after the other, stores one message and both acks carry it', async () => {
    const [alice, bob] = await pair();
    const socket = await connect(alice);
    const bobSocket = await connect(bob);
    const delivered = collect(bobSocket, 'new_message');
    const clientId = newClientId();
    const first = await sendText(socket, bob.id, 'once', clientId);
    const again = await sendText(socket, bob.id, 'once', clientId);
    expect(again).toEqual(first);
    expect(await t.db.collection('messages').countDocuments({ clientId })).toBe(1);
    await sleep(200);
    expect(delivered).toHaveLength(1);
  });

  it('a clientId sent concurrently (several tabs at once) stores one message', async () => {
    const [alice, bob] = await pair();
    const tabs = await Promise.all([connect(alice), connect(alice), connect(alice)]);
    const clientId = newClientId();
    const acks = await Promise.all(
      tabs.flatMap((tab) => [
        sendText(tab, bob.id, 'race', clientId),
        sendText(tab, bob.id, 'race', clientId),
      ]),
    );
    expect(new Set(acks.map((m) => m.id)).size).toBe(1);
    expect(await t.db.collection('messages').countDocuments({ clientId })).toBe(1);
  });

  it('200 concurrent sends from both sides get seq 1..200 with no gaps or duplicates', async () => {
    const [alice, bob] = await pair();
    const aliceSocket = await connect(alice);
    const bobSocket = await connect(bob);
    const started = Date.now();
    const acks = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        i % 2 ? sendText(aliceSocket, bob.id, `a${i}`) : sendText(bobSocket, alice.id, `b${i}`),
      ),
    );
    // A figure for the report, not an assertion.
    console.info(`200 concurrent sends into one conversation: ${Date.now() - started} ms`);
    expect(acks.map((m) => m.seq).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
    const stored = await t.db
      .collection('messages')
      .find({ conversationId: new Types.ObjectId(acks[0].conversationId) })
      .toArray();
    expect(stored.map((m) => m.seq as number).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
    const summary = (await t.app.get(ConversationsService).summariesFor(alice.id, [bob.id])).get(
      bob.id,
    );
    expect(summary?.lastMessage?.seq).toBe(200);
  });

  it('a client that drops out mid-stream catches up with `after` to exactly the full ordered history', async () => {
    const [alice, bob] = await pair();
    const aliceSocket = await connect(alice);
    const bobSocket = await connect(bob);
    const received: MessageInfo[] = [];
    bobSocket.on('new_message', ({ message }) => received.push(message));
    const sending = (async () => {
      for (let i = 0; i < 60; i++) await sendText(aliceSocket, bob.id, `m${i}`);
    })();
    while (received.length < 10) await sleep(10);
    bobSocket.close();
    await sending;
    expect(received.length).toBeLessThan(60);

    // Catch up page by page from the last seq the client has.
    const have = [...received];
    let hasMore = true;
    while (hasMore) {
      const page = await history(bob, alice.id, { after: have[have.length - 1].seq, limit: 7 });
      have.push(...page.messages);
      hasMore = page.hasMore;
    }
    expect(have.map((m) => m.seq)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(have.map((m) => m.text)).toEqual(Array.from({ length: 60 }, (_, i) => `m${i}`));
    expect(await history(bob, alice.id, { after: 60 })).toEqual({
      messages: [],
      hasMore: false,
      peerLastReadSeq: 0,
      cursor: expect.stringMatching(/^\d+\.60$/),
    });
  });

  it('pages history: latest 50 by default, `before` pages back, `limit` 1–100, load_conversation answers and emits', async () => {
    const [alice, bob] = await pair();
    const socket = await connect(alice);
    for (let i = 0; i < 120; i++) await sendText(socket, bob.id, `h${i}`);

    const latest = await history(alice, bob.id);
    expect(latest.messages.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 71 + i));
    expect(latest.hasMore).toBe(true);
    const older = await history(alice, bob.id, { before: 71, limit: 100 });
    expect(older.messages.map((m) => m.seq)).toEqual(Array.from({ length: 70 }, (_, i) => i + 1));
    expect(older.hasMore).toBe(false);
    const window = await history(alice, bob.id, { after: 10, before: 14 });
    expect(window.messages.map((m) => m.seq)).toEqual([11, 12, 13]);
    for (const query of ['limit=0', 'limit=101', 'before=-1', 'after=abc', 'limit=5&extra=1']) {
      await request(t.url)
        .get(`/api/conversations/${bob.id}/messages?${query}`)
        .set(bearer(alice))
        .expect(400);
    }

    const loaded = nextEvent(socket, 'conversation_loaded');
    const ack = await emitAck<HistoryResponse>(socket, 'load_conversation', {
      contactId: bob.id,
      before: 100,
    });
    expect(ack.ok).toBe(true);
    if (!ack.ok) return;
    expect(ack.messages.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 50 + i));
    expect(ack.hasMore).toBe(true);
    expect(await loaded).toEqual({
      contactId: bob.id,
      messages: ack.messages,
      hasMore: true,
      peerLastReadSeq: 0,
      cursor: (ack as { cursor?: string }).cursor,
    });
    expect(
      await emitAck(socket, 'load_conversation', { contactId: bob.id, before: '5' }),
    ).toMatchObject({ ok: false });
  });

  it('keeps unread counts server-side, syncs read state across tabs and sends read receipts', async () => {
    const [alice, bob] = await pair();
    const aliceSocket = await connect(alice);
    const bobTab1 = await connect(bob);
    const bobTab2 = await connect(bob);
    const sent = [];
    for (let i = 0; i < 3; i++) sent.push(await sendText(aliceSocket, bob.id, `u${i}`));
    // Alice's own messages are not unread for her.
    await sendText(bobTab1, alice.id, 'reply');
    const conversations = t.app.get(ConversationsService);
    expect((await conversations.summariesFor(bob.id, [alice.id])).get(alice.id)).toMatchObject({
      unreadCount: 3,
      lastMessage: { seq: 4, senderId: bob.id, type: 'text', text: 'reply' },
    });
    expect((await conversations.summariesFor(alice.id, [bob.id])).get(bob.id)?.unreadCount).toBe(1);

    const tab2Update = nextEvent(bobTab2, 'unread_updated');
    const receipt = nextEvent(aliceSocket, 'message_read');
    expect(await emitAck(bobTab1, 'mark_read', { contactId: alice.id, seq: 2 })).toEqual({
      ok: true,
    });
    expect(await tab2Update).toEqual({ contactId: alice.id, unreadCount: 1, lastReadSeq: 2 });
    expect(await receipt).toEqual({ contactId: bob.id, readerId: bob.id, seq: 2 });

    // Never lowered.
    const lowered = nextEvent(bobTab2, 'unread_updated');
    await emitAck(bobTab1, 'mark_read', { contactId: alice.id, seq: 1 });
    expect(await lowered).toEqual({ contactId: alice.id, unreadCount: 1, lastReadSeq: 2 });

    // Clamped to the newest message.
    const clamped = nextEvent(bobTab1, 'unread_updated');
    await request(t.url)
      .post(`/api/conversations/${alice.id}/read`)
      .set(bearer(bob))
      .send({ seq: 999 })
      .expect(204);
    expect(await clamped).toEqual({ contactId: alice.id, unreadCount: 0, lastReadSeq: 4 });
    // Alice's history carries Bob's read position, so her receipts survive a reload.
    expect((await history(alice, bob.id)).peerLastReadSeq).toBe(4);
    expect((await conversations.summariesFor(bob.id, [alice.id])).get(alice.id)?.unreadCount).toBe(
      0,
    );

    // A new message is unread again.
    await sendText(aliceSocket, bob.id, 'more');
    expect((await conversations.summariesFor(bob.id, [alice.id])).get(alice.id)?.unreadCount).toBe(
      1,
    );
    await request(t.url)
      .post(`/api/conversations/${alice.id}/read`)
      .set(bearer(bob))
      .send({ seq: -1 })
      .expect(400);
    await request(t.url)
      .post(`/api/conversations/${alice.id}/read`)
      .set(bearer(bob))
      .send({ seq: '3' })
      .expect(400);
    expect(await emitAck(bobTab1, 'mark_read', { contactId: alice.id, seq: 1.5 })).toMatchObject({
      ok: false,
    });
  });

  it('shows the unread count and last message in the contacts list', async () => {
    const [alice, bob] = await pair();
    const socket = await connect(alice);
    await sendText(socket, bob.id, 'first');
    await sendText(socket, bob.id, 'second');
    const contacts = await request(t.url).get('/api/contacts').set(bearer(bob)).expect(200);
    expect(contacts.body.contacts.find((c: { id: string }) => c.id === alice.id)).toMatchObject({
      unreadCount: 2,
      lastMessage: { seq: 2, senderId: alice.id, type: 'text', text: 'second' },
    });
  });

  it('relays typing to the contact only, and refuses it for non-contacts', async () => {
    const [alice, bob] = await pair();
    const stranger = await signup(t.url);
    const aliceSocket = await connect(alice);
    const bobSocket = await connect(bob);
    const strangerSocket = await connect(stranger);
    const strangerSaw = collect(strangerSocket, 'typing');
    const typing = nextEvent(bobSocket, 'typing');
    expect(await emitAck(aliceSocket, 'typing', { contactId: bob.id, isTyping: true })).toEqual({
      ok: true,
    });
    expect(await typing).toEqual({ userId: alice.id, isTyping: true });
    expect(
      await emitAck(aliceSocket, 'typing', { contactId: stranger.id, isTyping: true }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_A_CONTACT' } });
    expect(
      await emitAck(aliceSocket, 'typing', { contactId: bob.id, isTyping: 'yes' }),
    ).toMatchObject({ ok: false });
    // Without an ack callback it still works.
    const stopped = nextEvent(bobSocket, 'typing');
    aliceSocket.emit('typing', { contactId: bob.id, isTyping: false });
    expect(await stopped).toEqual({ userId: alice.id, isTyping: false });
    await sleep(100);
    expect(strangerSaw).toEqual([]);
  });

  it('deleting a conversation removes its messages and publishes ConversationDeleted', async () => {
    const [alice, bob] = await pair();
    const socket = await connect(alice);
    const message = await sendText(socket, bob.id, 'to be deleted');
    const events: ConversationDeletedEvent[] = [];
    const emitter = t.app.get(EventEmitter2);
    const listener = (event: ConversationDeletedEvent) => events.push(event);
    emitter.on(DomainEvent.ConversationDeleted, listener);
    try {
      await t.app.get(ConversationsService).deleteConversationBetween(bob.id, alice.id);
    } finally {
      emitter.off(DomainEvent.ConversationDeleted, listener);
    }
    expect(events).toEqual([
      {
        conversationId: message.conversationId,
        participantIds: expect.arrayContaining([alice.id, bob.id]),
      },
    ]);
    const conversationId = new Types.ObjectId(message.conversationId);
    expect(await t.db.collection('messages').countDocuments({ conversationId })).toBe(0);
    expect(await t.db.collection('conversations').countDocuments({ _id: conversationId })).toBe(0);
  });

  it('removing a contact deletes the history for both', async () => {
    const [alice, bob] = await pair();
    const socket = await connect(alice);
    const message = await sendText(socket, bob.id, 'gone soon');
    await request(t.url)
      .post('/api/contacts/remove')
      .set(bearer(bob))
      .send({ contactId: alice.id })
      .expect(200);
    expect(
      await t.db
        .collection('messages')
        .countDocuments({ conversationId: new Types.ObjectId(message.conversationId) }),
    ).toBe(0);
    await request(t.url)
      .get(`/api/conversations/${alice.id}/messages`)
      .set(bearer(bob))
      .expect(404);
  });

  it('deleting an account deletes its conversations and messages', async () => {
    const [alice, bob] = await pair();
    const socket = await connect(alice);
    const message = await sendText(socket, bob.id, 'before deletion');
    socket.close();
    await request(t.url)
      .delete('/api/me')
      .set(bearer(alice))
      .send({ password: alice.password })
      .expect(204);
    expect(
      await t.db
        .collection('messages')
        .countDocuments({ conversationId: new Types.ObjectId(message.conversationId) }),
    ).toBe(0);
    expect(
      await t.db
        .collection('conversations')
        .countDocuments({ _id: new Types.ObjectId(message.conversationId) }),
    ).toBe(0);
    expect(
      await t.db.collection('readstates').countDocuments({ userId: new Types.ObjectId(alice.id) }),
    ).toBe(0);
  });
});
