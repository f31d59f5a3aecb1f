import request from 'supertest';
import { bearer, ClientSocket, connectSocket, nextEvent, signup } from './support/clients';
import { befriend, sendText } from './support/messaging';
import { createTestApp, dropDatabase, TestApp } from './support/test-app';

/**
 * Redis carries fan-out and rate-limit counters, not data: when it cannot be reached the API
 * keeps serving, stores and acknowledges messages, and says it is not ready.
 */
describe('Redis unreachable', () => {
  let t: TestApp;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    // Nothing listens on port 1: every Redis command fails.
    t = await createTestApp({
      label: 'redisdown',
      env: { REDIS_URL: 'redis://127.0.0.1:1', REDIS_KEY_PREFIX: 'outage:' },
    });
  });
  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await dropDatabase(t);
    await t.close();
  });

  it('still signs people up, stores and delivers messages, and reports not ready', async () => {
    const alice = await signup(t.url);
    const bob = await signup(t.url);
    await befriend(t.url, alice, bob);
    const aliceSocket = await connectSocket(t.url, alice.accessToken);
    const bobSocket = await connectSocket(t.url, bob.accessToken);
    sockets.push(aliceSocket, bobSocket);

    const delivered = nextEvent(bobSocket, 'new_message', 10_000);
    const message = await sendText(aliceSocket, bob.id, 'stored without redis');
    expect(message.seq).toBe(1);
    expect((await delivered).message.id).toBe(message.id);

    const history = await request(t.url)
      .get(`/api/conversations/${alice.id}/messages`)
      .set(bearer(bob))
      .expect(200);
    expect(history.body.messages.map((m: { text: string }) => m.text)).toEqual([
      'stored without redis',
    ]);

    const ready = await request(t.url).get('/api/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      statusCode: 503,
      code: 'SERVICE_UNAVAILABLE',
      details: { database: { status: 'up' }, redis: { status: 'down' } },
    });
    await request(t.url).get('/api/health').expect(200);
  });
});
