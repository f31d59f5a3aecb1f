import 'reflect-metadata';
import type { HistoryResponse, MessageInfo } from '@natter/contracts';
import request from 'supertest';
import { actionsApi, catchUp, fullHistory } from './support/actions';
import {
  bearer,
  ClientSocket,
  connectSocket,
  nextEvent,
  signup,
  TestUser,
} from './support/clients';
import { befriend, emitAck, sendText } from './support/messaging';
import { createTestApp, dropDatabase, TestApp } from './support/test-app';

/** The change catch-up: `cursor` on history, `GET …/changes?since=`. */
describe('message changes catch-up', () => {
  let t: TestApp;
  let api: ReturnType<typeof actionsApi>;
  const sockets: ClientSocket[] = [];
  const connect = async (user: TestUser) => {
    const socket = await connectSocket(t.url, user.accessToken);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    t = await createTestApp({ label: 'msgchanges' });
    api = actionsApi(t.url);
  });
  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await dropDatabase(t);
    await t.close();
  });

  const pair = async () => {
    const [a, b] = await Promise.all([signup(t.url), signup(t.url)]);
    await befriend(t.url, a, b);
    return [a, b] as const;
  };
  const asState = (messages: MessageInfo[]) => new Map(messages.map((m) => [m.id, m]));
  const sorted = (state: Map<string, MessageInfo>) =>
    [...state.values()].sort((a, b) => a.seq - b.seq);

  it('every history response carries a cursor, over REST and conversation_loaded', async () => {
    const [alice, bob] = await pair();
    const socket = await connect(alice);
    await sendText(socket, bob.id, 'hi');
    const rest = await api.history(alice, bob.id);
    expect(rest.cursor).toMatch(/^\d+\.\d+$/);
    const loaded = nextEvent(socket, 'conversation_loaded');
    const ack = await emitAck<HistoryResponse>(socket, 'load_conversation', { contactId: bob.id });
    expect(ack).toMatchObject({ ok: true, cursor: rest.cursor });
    expect((await loaded).cursor).toBe(rest.cursor);
  });

  it('a client offline while messages were edited, deleted, reacted to, hidden and sent ends with exactly the server’s state', async () => {
    const [alice, bob] = await pair();
    const aliceSocket = await connect(alice);
    const sent: MessageInfo[] = [];
    for (let i = 0; i < 6; i++) sent.push(await sendText(aliceSocket, bob.id, `message ${i}`));
    // Bob's phone loads the conversation, then goes offline.
    const page = await api.history(bob, alice.id);
    const phone = asState(page.messages);

    await api.edit(alice, sent[0].id, { text: 'message 0, edited' }).expect(200);
    await api.delete(alice, sent[1].id, 'everyone').expect(204);
    await api.react(alice, sent[2].id, { emoji: '🎉' }).expect(200);
    await api.react(bob, sent[2].id, { emoji: '👍' }).expect(200); // from Bob's laptop
    await api.react(bob, sent[3].id, { emoji: '😮' }).expect(200);
    await api.unreact(bob, sent[3].id).expect(200);
    await api.delete(bob, sent[4].id, 'me').expect(204); // hidden from the laptop
    await api.delete(alice, sent[5].id, 'me').expect(204); // Alice's hide is none of Bob's business
    const reply = await sendText(aliceSocket, bob.id, 'a new one');
    await api.edit(alice, reply.id, { text: 'a new one, edited' }).expect(200);

    const cursor = await catchUp(t.url, bob, alice.id, phone, page.cursor);
    expect(sorted(phone)).toEqual(sorted(await fullHistory(t.url, bob, alice.id)));
    expect(phone.has(sent[4].id)).toBe(false);
    expect(phone.get(sent[5].id)?.text).toBe('message 5');

    // Nothing more to fetch from the new cursor.
    const again = (await api.changes(bob, alice.id, cursor).expect(200)).body;
    expect(again).toEqual({ messages: [], hiddenIds: [], cursor, hasMore: false });
  });

  it('exact under concurrency: changes made while history loads are all caught up', async () => {
    const [alice, bob] = await pair();
    const aliceSocket = await connect(alice);
    const bobSocket = await connect(bob);
    const messages: MessageInfo[] = [];
    for (let i = 0; i < 5; i++) messages.push(await sendText(aliceSocket, bob.id, `m${i}`));
    const emojis = ['😀', '🎉', '🔥', '👍', '❤️'];
    for (let round = 0; round < 3; round++) {
      const work: Promise<unknown>[] = [];
      messages.forEach((message, i) => {
        work.push(
          emitAck(bobSocket, 'react', { messageId: message.id, emoji: emojis[(i + round) % 5] }),
        );
        work.push(
          emitAck(aliceSocket, 'react', {
            messageId: message.id,
            emoji: emojis[(i + round + 1) % 5],
          }),
        );
        work.push(
          emitAck(aliceSocket, 'edit_message', { messageId: message.id, text: `m${i} r${round}` }),
        );
      });
      work.push(sendText(aliceSocket, bob.id, `new in round ${round}`));
      const loading = api.history(bob, alice.id, '?limit=100');
      const [page] = await Promise.all([loading, ...work]);
      const state = asState(page.messages);
      await catchUp(t.url, bob, alice.id, state, page.cursor);
      expect(sorted(state)).toEqual(sorted(await fullHistory(t.url, bob, alice.id)));
    }
  });

  it('pages with hasMore when more changed than one call returns', async () => {
    const [alice, bob] = await pair();
    const aliceSocket = await connect(alice);
    const first = await sendText(aliceSocket, bob.id, 'edited many times');
    const page = await api.history(bob, alice.id);
    for (let i = 0; i < 105; i++)
      await emitAck(aliceSocket, 'edit_message', { messageId: first.id, text: `version ${i}` });
    const firstCall = (await api.changes(bob, alice.id, page.cursor).expect(200)).body;
    expect(firstCall.hasMore).toBe(true);
    const state = asState(page.messages);
    await catchUp(t.url, bob, alice.id, state, page.cursor);
    expect(state.get(first.id)?.text).toBe('version 104');
  });

  it('malformed cursors are 400, never 500; a cursor from elsewhere is 410 CURSOR_EXPIRED', async () => {
    const [alice, bob] = await pair();
    const socket = await connect(alice);
    await sendText(socket, bob.id, 'x');
    const base = `/api/conversations/${bob.id}/changes`;
    for (const query of [
      '',
      '?since=',
      '?since=abc',
      '?since=1',
      '?since=1.',
      '?since=.1',
      '?since=-1.0',
      '?since=01.0',
      '?since=1.2.3',
      '?since=1e3.0',
      `?since=${'9'.repeat(16)}.0`,
      '?since[]=1.0',
      '?since=1.0&since=2.0',
      '?since=%00',
      '?since=1.0&extra=1',
    ]) {
      const response = await request(t.url)
        .get(base + query)
        .set(bearer(alice));
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
    }
    const gone = await api.changes(alice, bob.id, '999.999').expect(410);
    expect(gone.body.code).toBe('CURSOR_EXPIRED');
    await request(t.url)
      .get(`/api/conversations/not-an-id/changes?since=0.0`)
      .set(bearer(alice))
      .expect(400);
  });
});
