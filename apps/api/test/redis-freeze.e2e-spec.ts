import type { MessageInfo } from '@natter/contracts';
import request from 'supertest';
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
import { befriend, sendText } from './support/messaging';
import { startOwnRedis, OwnRedis } from './support/redis-server';
import { createTestApp, dropDatabase, TestApp, uniqueDatabaseUri } from './support/test-app';

/**
 * A frozen Redis (SIGSTOP: connections stay open, nothing answers) is the worst outage: no
 * error is ever raised by itself. Two API processes share the suite's own Redis; while it
 * is frozen, sends are still stored and acked and readiness says 503 at once; once it
 * thaws, live delivery resumes and recipients are told to catch up (`resync`).
 */
describe('Redis frozen', () => {
  let redis: OwnRedis;
  let a: TestApp;
  let b: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let aliceSocket: ClientSocket;
  let bobSocket: ClientSocket;

  beforeAll(async () => {
    redis = await startOwnRedis();
    const databaseUri = uniqueDatabaseUri('freeze');
    const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'freeze:' };
    a = await createTestApp({ label: 'freeze', databaseUri, env });
    b = await createTestApp({ label: 'freeze', databaseUri, env });
    alice = await signup(a.url);
    bob = await signup(a.url);
    await befriend(a.url, alice, bob);
    aliceSocket = await connectSocket(a.url, alice.accessToken);
    bobSocket = await connectSocket(b.url, bob.accessToken);
  });
  afterAll(async () => {
    aliceSocket?.close();
    bobSocket?.close();
    await redis?.thaw();
    await dropDatabase(a);
    await Promise.all([a?.close(), b?.close()]);
    await redis?.stop();
  });

  it('keeps storing and acking, answers readiness 503 fast, and converges after it thaws', async () => {
    // Cross-process delivery works before the freeze.
    const before = nextEvent(bobSocket, 'new_message', 10_000);
    const first = await sendText(aliceSocket, bob.id, 'before the freeze');
    expect((await before).message.id).toBe(first.id);

    const resyncs = collect(bobSocket, 'resync');
    redis.freeze();
    const sentDuringFreeze: MessageInfo[] = [];
    for (let i = 0; i < 10; i++) {
      sentDuringFreeze.push(await sendText(aliceSocket, bob.id, `frozen ${i}`));
    }
    expect(sentDuringFreeze.map((m) => m.seq)).toEqual(
      Array.from({ length: 10 }, (_, i) => first.seq + 1 + i),
    );
    // Stored, not merely acked.
    const stored = await a.db
      .collection('messages')
      .countDocuments({ clientId: { $in: sentDuringFreeze.map((m) => m.clientId) } });
    expect(stored).toBe(10);

    // Readiness is bounded by design (each probe gives up after 800 ms); the margin is for a
    // busy machine, not a hang: a hung probe would take the whole test timeout.
    const started = Date.now();
    const ready = await request(a.url).get('/api/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.details.redis.status).toBe('down');
    expect(Date.now() - started).toBeLessThan(1_500);
    // Ordinary requests are served (rate limits count in this process meanwhile).
    await request(a.url).get('/api/me').set(bearer(alice)).expect(200);
    // Held for several of the clients' stall checks (one a second), so that each of them
    // reconnects to the frozen server at least once, and sends keep working all along.
    for (let i = 0; i < 6; i++) {
      await sleep(1_000);
      sentDuringFreeze.push(await sendText(aliceSocket, bob.id, `still frozen ${i}`));
    }

    redis.thaw();
    // Both processes notice Redis is back and tell their clients to catch up.
    await waitFor(() => resyncs.length > 0, 15_000);
    await waitFor(
      async () => (await request(a.url).get('/api/health/ready')).status === 200,
      15_000,
    );

    // What bob missed live is there when he catches up, in order, exactly once.
    const history = await request(b.url)
      .get(`/api/conversations/${alice.id}/messages`)
      .query({ after: first.seq })
      .set(bearer(bob))
      .expect(200);
    expect(history.body.messages.map((m: MessageInfo) => m.id)).toEqual(
      sentDuringFreeze.map((m) => m.id),
    );

    // Live cross-process delivery works again.
    const after = nextEvent(bobSocket, 'new_message', 10_000);
    const last = await sendText(aliceSocket, bob.id, 'after the thaw');
    expect((await after).message.id).toBe(last.id);
  });
});

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(200);
  }
}
