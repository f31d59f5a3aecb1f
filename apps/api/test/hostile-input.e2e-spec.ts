import request from 'supertest';
import { io } from 'socket.io-client';
import {
  bearer,
  ClientSocket,
  connectSocket,
  sleep,
  signup,
  TestUser,
  waitForDisconnect,
} from './support/clients';
import { emitRawWithAck, nestedJson, nestedQuery } from './support/hostile';
import { befriend, emitAck, sendText } from './support/messaging';
import { createTestApp, dropDatabase, TestApp } from './support/test-app';

/**
 * Attacks on input depth and size, on the real stack: none may crash the process, answer
 * 5xx, leave an ack unanswered or echo the payload back.
 */
describe('hostile input', () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  const sockets: ClientSocket[] = [];
  const open = async (user: TestUser) => {
    const socket = await connectSocket(t.url, user.accessToken);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    t = await createTestApp({ label: 'hostile' });
    alice = await signup(t.url);
    bob = await signup(t.url);
    await befriend(t.url, alice, bob);
  });
  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await dropDatabase(t);
    await t.close();
  });

  /** The app still serves: HTTP, the given socket, and a brand-new socket. */
  async function expectStillServing(socket: ClientSocket): Promise<void> {
    await request(t.url).get('/api/health').expect(200);
    expect(socket.connected).toBe(true);
    await sendText(socket, bob.id, 'still here');
    const fresh = await open(alice);
    expect(await emitAck(fresh, 'typing', { contactId: bob.id, isTyping: true })).toEqual({
      ok: true,
    });
  }

  describe('deeply nested socket packets', () => {
    it.each([2_500, 6_000])(
      'a %i-level typing packet gets a clean error ack, no echo, and the process keeps serving',
      async (levels) => {
        const socket = await open(alice);
        const echoes: string[] = [];
        socket.onAny((event: string) => echoes.push(event));
        // The packet of the report: 2["typing",{"contactId":…,"isTyping":[[[…]]]}]
        const ack = await emitRawWithAck(
          socket,
          'typing',
          `{"contactId":"${bob.id}","isTyping":${nestedJson(levels, 'true')}}`,
        );
        expect(ack).toEqual({
          ok: false,
          error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/nested/) },
        });
        expect(JSON.stringify(ack).length).toBeLessThan(200);
        await expectStillServing(socket);
        // Nest's default filter would have answered with an `exception` event.
        expect(echoes.filter((event) => event === 'exception')).toEqual([]);
      },
    );

    it.each(['send_private_message', 'load_conversation', 'mark_read', 'no_such_event'])(
      'refuses a 6,000-level payload on %s with an error ack',
      async (event) => {
        const socket = await open(alice);
        const ack = await emitRawWithAck(
          socket,
          event,
          `{"contactId":"${bob.id}","deep":${nestedJson(6_000)}}`,
        );
        expect(ack).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
        expect(JSON.stringify(ack).length).toBeLessThan(200);
        await expectStillServing(socket);
      },
    );

    it('answers an unknown event instead of leaving its ack unanswered', async () => {
      const socket = await open(alice);
      expect(await emitAck(socket, 'no_such_event', { a: 1 })).toEqual({
        ok: false,
        error: { code: 'NOT_FOUND', message: 'Unknown event' },
      });
    });
  });

  // Every endpoint that reads a JSON body, with the field it reads.
  // `:bob` stands for bob's id, known once the suite has started.
  const withIds = (path: string) => path.replace(':bob', bob.id);
  const bodyEndpoints: [method: 'post' | 'delete', name: string, field: string, auth: boolean][] = [
    ['post', '/api/signup', 'username', false],
    ['post', '/api/login', 'username', false],
    ['post', '/api/refresh', 'x', false],
    ['post', '/api/logout', 'x', false],
    ['post', '/api/password', 'currentPassword', true],
    ['delete', '/api/me', 'password', true],
    ['post', '/api/friend-requests/send', 'username', true],
    ['post', '/api/friend-requests/accept', 'requestId', true],
    ['post', '/api/friend-requests/reject', 'requestId', true],
    ['post', '/api/friend-requests/cancel', 'requestId', true],
    ['post', '/api/contacts/remove', 'userId', true],
    ['post', '/api/blocks', 'userId', true],
    ['post', '/api/conversations/:bob/read', 'seq', true],
  ];
  const levels = [500, 2_500, 6_000, 40_000];
  const bodyCases = bodyEndpoints.flatMap(([method, name, field, auth]) =>
    levels.map((level) => ({ method, name, field, auth, level })),
  );

  describe('deeply nested REST bodies', () => {
    it.each(bodyCases.map((c) => [`${c.method.toUpperCase()} ${c.name}`, c.level, c] as const))(
      '%s with a body nested %i levels deep answers 400 without echoing it',
      async (_name, level, { method, name, field, auth }) => {
        const body = `{"${field}":${nestedJson(level, '"x"')}}`;
        const req = request(t.url)[method](withIds(name)).set('Content-Type', 'application/json');
        if (auth) req.set(bearer(alice));
        const response = await req.send(body);
        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({
          statusCode: 400,
          code: 'VALIDATION_FAILED',
          message: 'Request body is nested more than 8 levels deep',
        });
        expect(response.text.length).toBeLessThan(300);
      },
    );
  });

  // Every JSON endpoint, each with a query string it does not expect to be nested.
  const queryEndpoints: [method: 'get' | 'post' | 'delete', name: string][] = [
    ['get', '/api/users/search'],
    ['get', '/api/conversations/:bob/messages'],
    ['get', '/api/contacts'],
    ['get', '/api/me'],
    ['get', '/api/sessions'],
    ['get', '/api/friend-requests/pending'],
    ['get', '/api/blocks'],
    ['post', '/api/login'],
    ['post', '/api/friend-requests/send'],
    ['delete', '/api/me'],
  ];
  // 3 characters a level: 4,000 levels is 12 KB, within Node's 16 KB limit on request heads.
  const queryLevels = [500, 2_500, 4_000];

  describe('deeply nested query strings', () => {
    it.each(
      queryEndpoints.flatMap(([method, name]) =>
        queryLevels.map((level) => [method.toUpperCase(), name, level, method] as const),
      ),
    )('%s %s with a key nested %i levels deep answers 400', async (_m, name, level, method) => {
      const response = await request(t.url)
        [method](`${withIds(name)}?${nestedQuery('q', level)}`)
        .set(bearer(alice));
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(response.text.length).toBeLessThan(300);
    });

    it('answers 431 before the application for a query past the request-head limit (40,000 levels)', async () => {
      const response = await request(t.url)
        .get(`/api/contacts?${nestedQuery('q', 40_000)}`)
        .set(bearer(alice))
        .catch((error: { response?: request.Response }) => error.response);
      expect(response?.status).toBe(431);
      await request(t.url).get('/api/health').expect(200);
    });

    it('refuses a query with too many values', async () => {
      const query = Array.from({ length: 1_200 }, () => 'limit=1').join('&');
      const response = await request(t.url)
        .get(`/api/conversations/${bob.id}/messages?${query}`)
        .set(bearer(alice));
      expect(response.status).toBe(400);
    });
  });

  describe('login throttle tracker', () => {
    it.each([
      ['an object with its own toString', '{"username":{"toString":1},"password":"x"}'],
      ['a nested array', `{"username":${nestedJson(7, '"x"')},"password":"x"}`],
      ['a number', '{"username":12345,"password":"x"}'],
    ])('answers 400, not 500, for a username that is %s', async (_what, body) => {
      const response = await request(t.url)
        .post('/api/login')
        .set('Content-Type', 'application/json')
        .send(body);
      expect(response.status).toBe(400);
    });
  });

  describe('socket abuse', () => {
    let limited: TestApp;
    let mallory: TestUser;

    beforeAll(async () => {
      limited = await createTestApp({
        label: 'flood',
        env: { RATE_SOCKET_EVENTS_LIMIT: '20', RATE_SOCKET_EVENTS_WINDOW_SECONDS: '60' },
      });
      mallory = await signup(limited.url);
    });
    afterAll(async () => {
      await dropDatabase(limited);
      await limited.close();
    });

    it('counts unknown events against the rate limit and cuts off a flood of them', async () => {
      const socket = await connectSocket(limited.url, mallory.accessToken);
      sockets.push(socket);
      const flood = (count: number) => {
        for (let i = 0; i < count; i++) {
          (socket as unknown as { emit(event: string): void }).emit('no_such_event');
        }
      };
      const first = await emitAck(socket, 'no_such_event', {});
      expect(first).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      const disconnected = waitForDisconnect(socket, 15_000);
      // Past the limit of 20, short of the cut-off at 3× the limit: refused, with the reason.
      flood(30);
      expect(await emitAck(socket, 'no_such_event', {})).toMatchObject({
        ok: false,
        error: { code: 'RATE_LIMITED' },
      });
      flood(200);
      expect(await disconnected).toBe('io server disconnect');
    });

    it('closes a handshake refused for a bad token at once, not at the connect timeout', async () => {
      const socket = io(limited.url, {
        auth: { token: 'not-a-token' },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
      expect(error.message).toBe('unauthorized');
      const engine = socket.io.engine;
      const closed = new Promise<string>((resolve) => {
        if (engine.readyState === 'closed') resolve('closed');
        engine.once('close', (reason: string) => resolve(reason));
      });
      // Socket.IO's connect timeout is 45 s by default (10 s here): well past this wait.
      const outcome = await Promise.race([closed, sleep(5_000).then(() => 'still open')]);
      socket.close();
      expect(outcome).not.toBe('still open');
    });

    it('refuses a foreign origin at the handshake', async () => {
      await expect(
        connectSocket(limited.url, mallory.accessToken, { origin: 'https://evil.example' }),
      ).rejects.toThrow();
    });
  });
});
