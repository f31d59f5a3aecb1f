import type { MessageInfo } from '@natter/contracts';
import { Types } from 'mongoose';
import request from 'supertest';
import { SWEEP_DELAY_MS } from '../src/modules/messages/conversations.service';
import { bearer, ClientSocket, signup, sleep, TestUser, socketsOf } from './support/clients';
import { befriend, emitAck, newClientId, sendText } from './support/messaging';
import {
  closeApps,
  createTwoApps,
  sharedRedisEnv,
  TestApp,
  uniqueDatabaseUri,
} from './support/test-app';

/** The change feed's promise: a change reaches every other process within a second. */
const PROPAGATION_MS = 1_000;

const trySend = (socket: ClientSocket, recipientId: string, text: string) =>
  emitAck<{ message: MessageInfo }>(socket, 'send_private_message', {
    recipientId,
    text,
    clientId: newClientId(),
  });

/**
 * Relationship facts are cached in each process: a block or a removal must refuse the very next
 * send on the process that made it, and every send on another process after a second, with
 * Redis and without (the change feed goes through the database).
 */
describe.each([
  ['with Redis', true],
  ['without Redis', false],
])('relationship changes reach every process (%s)', (_label, withRedis) => {
  let one: TestApp;
  let two: TestApp;
  const sockets = socketsOf();
  const connect = (app: TestApp, user: TestUser) => sockets.connect(app.url, user);
  const pair = async () => {
    const a = await signup(one.url);
    const b = await signup(one.url);
    await befriend(one.url, a, b);
    return [a, b] as const;
  };
  const countIn = (conversationId: string) =>
    one.db
      .collection('messages')
      .countDocuments({ conversationId: new Types.ObjectId(conversationId) });

  beforeAll(async () => {
    const databaseUri = uniqueDatabaseUri('msgrel');
    const env: Record<string, string> = withRedis ? sharedRedisEnv() : {};
    [one, two] = await createTwoApps({ label: 'msgrel', databaseUri, env });
  });
  afterAll(async () => {
    sockets.closeAll();
    await closeApps(one, two);
  });

  it('a block refuses the very next send on the same process and every send on the other after a second', async () => {
    const [alice, bob] = await pair();
    const aliceOnOne = await connect(one, alice);
    const aliceOnTwo = await connect(two, alice);
    // Warm both processes' caches.
    const first = await sendText(aliceOnOne, bob.id, 'before');
    await sendText(aliceOnTwo, bob.id, 'before, elsewhere');
    await request(one.url)
      .post('/api/blocks')
      .set(bearer(bob))
      .send({ userId: alice.id })
      .expect(201);
    const next = await trySend(aliceOnOne, bob.id, 'right after the block');
    expect(next).toMatchObject({ ok: false, error: { code: 'BLOCKED' } });
    await sleep(PROPAGATION_MS);
    for (let i = 0; i < 3; i++)
      expect(await trySend(aliceOnTwo, bob.id, `elsewhere ${i}`)).toMatchObject({
        ok: false,
        error: { code: 'BLOCKED' },
      });
    // Nothing of the refused sends is stored anywhere.
    expect(await one.db.collection('messages').countDocuments({ text: /after|elsewhere \d/ })).toBe(
      0,
    );
    expect(await countIn(first.conversationId)).toBe(0);
  });

  it('a removal refuses the next send here and elsewhere; a send racing it elsewhere is never readable and gets swept', async () => {
    const [alice, bob] = await pair();
    const aliceOnOne = await connect(one, alice);
    const aliceOnTwo = await connect(two, alice);
    const before = await sendText(aliceOnTwo, bob.id, 'warm');
    await sendText(aliceOnOne, bob.id, 'warm too');
    await request(one.url)
      .post('/api/contacts/remove')
      .set(bearer(bob))
      .send({ contactId: alice.id })
      .expect(200);
    expect(await trySend(aliceOnOne, bob.id, 'refused here')).toMatchObject({
      ok: false,
      error: { code: 'NOT_A_CONTACT' },
    });
    // Process two may still accept a send until the removal reaches it: such a message lands
    // in the deleted conversation id, which nobody can read.
    const racing = await trySend(aliceOnTwo, bob.id, 'racing the removal');
    await sleep(PROPAGATION_MS);
    expect(await trySend(aliceOnTwo, bob.id, 'refused elsewhere')).toMatchObject({
      ok: false,
      error: { code: 'NOT_A_CONTACT' },
    });
    await befriend(one.url, alice, bob);
    const fresh = await sendText(aliceOnTwo, bob.id, 'new history');
    expect(fresh.conversationId).not.toBe(before.conversationId);
    for (const app of [one, two]) {
      const page = await request(app.url)
        .get(`/api/conversations/${alice.id}/messages`)
        .query({ after: 0 })
        .set(bearer(bob))
        .expect(200);
      expect(page.body.messages.map((m: MessageInfo) => m.text)).toEqual(['new history']);
    }
    if (racing.ok) expect(racing.message.conversationId).toBe(before.conversationId);
    // The deleting process sweeps the old id once every process has learnt of the removal.
    const deadline = Date.now() + SWEEP_DELAY_MS + 10_000;
    while ((await countIn(before.conversationId)) > 0 && Date.now() < deadline) await sleep(200);
    expect(await countIn(before.conversationId)).toBe(0);
  });

  it('unblocking and befriending again lets the pair write again on both processes', async () => {
    const [alice, bob] = await pair();
    const aliceOnOne = await connect(one, alice);
    const aliceOnTwo = await connect(two, alice);
    await sendText(aliceOnTwo, bob.id, 'warm');
    await request(one.url)
      .post('/api/blocks')
      .set(bearer(alice))
      .send({ userId: bob.id })
      .expect(201);
    await sleep(PROPAGATION_MS);
    expect(await trySend(aliceOnTwo, bob.id, 'blocked')).toMatchObject({ ok: false });
    await request(one.url).delete(`/api/blocks/${bob.id}`).set(bearer(alice)).expect(204);
    await befriend(one.url, alice, bob);
    expect((await sendText(aliceOnOne, bob.id, 'again here')).seq).toBe(1);
    await sleep(PROPAGATION_MS);
    expect((await sendText(aliceOnTwo, bob.id, 'again there')).seq).toBe(2);
  });
});
