import request from 'supertest';
import { MetricsServer } from '../src/modules/metrics/metrics.server';
import {
  bearer,
  ClientSocket,
  connectSocket,
  nextEvent,
  signup,
  sleep,
  uniqueName,
} from './support/clients';
import { scrape } from './support/metrics';
import { befriend, emitAck, sendText } from './support/messaging';
import { createTestApp, dropDatabase, TestApp } from './support/test-app';

describe('metrics', () => {
  describe('with METRICS_PORT unset', () => {
    it('serves no metrics: no metrics server, and nothing on the public port', async () => {
      const testApp = await createTestApp({ label: 'metricsoff' });
      try {
        expect(testApp.app.get(MetricsServer).address()).toBeNull();
        await request(testApp.url).get('/metrics').expect(404);
        await request(testApp.url).get('/api/metrics').expect(404);
      } finally {
        await dropDatabase(testApp);
        await testApp.close();
      }
    });
  });

  describe('with METRICS_PORT set', () => {
    let testApp: TestApp;
    let metricsUrl: string;
    const sockets: ClientSocket[] = [];

    beforeAll(async () => {
      testApp = await createTestApp({
        label: 'metrics',
        // 0: any free port, read back below. A small login limit to see refusals counted.
        env: { METRICS_PORT: '0', RATE_LOGIN_USERNAME_LIMIT: '2' },
      });
      const address = testApp.app.get(MetricsServer).address();
      if (!address) throw new Error('the metrics server is not listening');
      metricsUrl = `http://127.0.0.1:${address.port}/metrics`;
    });
    afterAll(async () => {
      sockets.forEach((socket) => socket.close());
      await dropDatabase(testApp);
      await testApp.close();
    });

    it('listens on its own loopback port, serving only GET /metrics', async () => {
      expect(testApp.app.get(MetricsServer).address()?.address).toBe('127.0.0.1');
      const base = metricsUrl.replace(/\/metrics$/, '');
      expect((await fetch(`${base}/`)).status).toBe(404);
      expect((await fetch(`${base}/api/health`)).status).toBe(404);
      expect((await fetch(metricsUrl, { method: 'POST' })).status).toBe(404);
      // And the public port does not serve them.
      await request(testApp.url).get('/metrics').expect(404);
    });

    it('serves valid Prometheus text with the process, event-loop and Natter series', async () => {
      const { families } = await scrape(metricsUrl);
      const names = new Set(families.map((family) => family.name));
      for (const name of [
        'process_cpu_seconds_total',
        'process_resident_memory_bytes',
        'nodejs_eventloop_lag_p99_seconds',
        'natter_http_request_duration_seconds',
        'natter_sockets_connected',
        'natter_socket_connections_total',
        'natter_socket_events_total',
        'natter_socket_ack_duration_seconds',
        'natter_messages_stored_total',
        'natter_deliveries_total',
        'natter_db_command_duration_seconds',
        'natter_db_command_failures_total',
        'natter_rate_limit_refusals_total',
        'natter_redis_errors_total',
      ]) {
        expect(names).toContain(name);
      }
      const ack = families.find((family) => family.name === 'natter_socket_ack_duration_seconds');
      expect(ack?.type).toBe('HISTOGRAM');
    });

    it('counts connections, socket events, acks, stored messages, deliveries, HTTP and database work', async () => {
      const before = await scrape(metricsUrl);
      const alice = await signup(testApp.url);
      const bob = await signup(testApp.url);
      await befriend(testApp.url, alice, bob);
      const aliceSocket = await connectSocket(testApp.url, alice.accessToken);
      const bobSocket = await connectSocket(testApp.url, bob.accessToken);
      sockets.push(aliceSocket, bobSocket);
      for (let i = 0; i < 3; i++) {
        const delivered = nextEvent(bobSocket, 'new_message');
        await sendText(aliceSocket, bob.id, `hello ${i}`);
        await delivered;
      }
      await request(testApp.url)
        .get(`/api/conversations/${bob.id}/messages`)
        .set(bearer(alice))
        .expect(200);
      const after = await scrape(metricsUrl);
      const delta = (name: string, labels?: Record<string, string>) =>
        after.value(name, labels) - before.value(name, labels);

      expect(delta('natter_socket_connections_total')).toBe(2);
      expect(after.value('natter_sockets_connected')).toBe(2);
      expect(delta('natter_messages_stored_total')).toBe(3);
      const send = { event: 'send_private_message' };
      expect(delta('natter_socket_events_total', { ...send, outcome: 'ok' })).toBe(3);
      expect(delta('natter_socket_ack_duration_seconds', send)).toBe(3);
      // new_message to the recipient and to the sender's other tabs, message_sent to the sender.
      expect(delta('natter_deliveries_total', { event: 'new_message' })).toBe(6);
      expect(delta('natter_deliveries_total', { event: 'message_sent' })).toBe(3);
      expect(
        delta('natter_http_request_duration_seconds', {
          method: 'POST',
          route: '/api/signup',
          status: '201',
        }),
      ).toBe(2);
      expect(
        delta('natter_http_request_duration_seconds', {
          method: 'GET',
          route: '/api/conversations/:contactId/messages',
          status: '200',
        }),
      ).toBe(1);
      expect(delta('natter_db_command_duration_seconds', { command: 'insert' })).toBeGreaterThan(0);
      expect(delta('natter_db_command_duration_seconds', { command: 'find' })).toBeGreaterThan(0);

      aliceSocket.close();
      bobSocket.close();
      await waitFor(async () => (await scrape(metricsUrl)).value('natter_sockets_connected') === 0);
    });

    it('counts refusals by limiter and failed acks by error code', async () => {
      const before = await scrape(metricsUrl);
      const user = await signup(testApp.url);
      for (let i = 0; i < 3; i++) {
        await request(testApp.url)
          .post('/api/login')
          .send({ username: user.username, password: 'wrong password here' });
      }
      const socket = await connectSocket(testApp.url, user.accessToken);
      sockets.push(socket);
      const refused = await emitAck(socket, 'send_private_message', { text: 'no recipient' });
      expect(refused.ok).toBe(false);
      const after = await scrape(metricsUrl);
      expect(
        after.value('natter_rate_limit_refusals_total', { limiter: 'login-username' }) -
          before.value('natter_rate_limit_refusals_total', { limiter: 'login-username' }),
      ).toBe(1);
      expect(
        after.value('natter_socket_events_total', {
          event: 'send_private_message',
          outcome: 'VALIDATION_FAILED',
        }) -
          before.value('natter_socket_events_total', {
            event: 'send_private_message',
            outcome: 'VALIDATION_FAILED',
          }),
      ).toBe(1);
      socket.close();
    });

    it('never puts a user id, a username, message text or a raw path in a label', async () => {
      const alice = await signup(testApp.url, uniqueName('secretname'));
      const bob = await signup(testApp.url);
      await befriend(testApp.url, alice, bob);
      const socket = await connectSocket(testApp.url, alice.accessToken);
      sockets.push(socket);
      const text = `private text ${uniqueName('t')}`;
      await sendText(socket, bob.id, text);
      // Client-chosen event names (with and without an ack) and paths carrying ids.
      const untyped = socket as unknown as { emit: (event: string, ...args: unknown[]) => void };
      untyped.emit(`evil_${alice.id}`, {});
      untyped.emit(`evil_${alice.username}`, {}, () => undefined);
      await request(testApp.url)
        .get(`/api/conversations/${bob.id}/messages?after=0`)
        .set(bearer(alice));
      await request(testApp.url).get(`/api/no-such-thing/${alice.id}`).set(bearer(alice));
      await request(testApp.url).get(`/${alice.username}`);
      await sleep(100);

      const values = (await scrape(metricsUrl)).labelValues();
      expect(values.length).toBeGreaterThan(0);
      for (const secret of [alice.id, bob.id, alice.username, bob.username, text, 'evil_']) {
        expect(values.filter((value) => value.includes(secret))).toEqual([]);
      }
      // Collapsed and templated instead.
      expect(values).toContain('unknown');
      expect(values).toContain('/api/conversations/:contactId/messages');
      expect(values).toContain('unmatched');
      socket.close();
    });
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await sleep(50);
  }
  throw new Error('condition not met in time');
}
