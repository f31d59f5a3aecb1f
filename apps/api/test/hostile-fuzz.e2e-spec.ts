import 'reflect-metadata';
import { ErrorCode } from '@natter/contracts';
import fc from 'fast-check';
import request from 'supertest';
import { bearer, ClientSocket, connectSocket, signup, TestUser } from './support/clients';
import { emitRawWithAck } from './support/hostile';
import { befriend } from './support/messaging';
import { createTestApp, dropDatabase, TestApp } from './support/test-app';

/**
 * Property: whatever a client sends (shapes near the real ones, junk, prototype keys,
 * operators, values nested up to 20,000 levels), every socket event gets an ack that is a
 * well-formed refusal or success, never INTERNAL, and every REST request gets a non-5xx
 * answer. The run counts keep the suite to a few seconds of requests.
 */
describe('hostile input, fuzzed', () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let socket: ClientSocket;
  const knownCodes = new Set<string>(Object.values(ErrorCode));

  beforeAll(async () => {
    t = await createTestApp({ label: 'fuzz' });
    alice = await signup(t.url);
    bob = await signup(t.url);
    await befriend(t.url, alice, bob);
    socket = await connectSocket(t.url, alice.accessToken);
  });
  afterAll(async () => {
    socket?.close();
    await dropDatabase(t);
    await t.close();
  });

  /** A JSON text an attacker might write: near-valid, arbitrary, or nested very deep. */
  const hostileJson = () => {
    const ids = fc.constantFrom(bob.id, alice.id, '507f1f77bcf86cd799439011', 'not-an-id');
    const junk = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      ids,
      fc.constant({ $ne: null }),
      fc.jsonValue({ maxDepth: 4 }),
    );
    const nearValid = fc.record(
      {
        recipientId: fc.oneof(ids, junk),
        contactId: fc.oneof(ids, junk),
        text: fc.oneof(fc.string(), junk),
        clientId: fc.oneof(fc.uuid(), junk),
        seq: fc.oneof(fc.integer(), junk),
        before: fc.oneof(fc.integer(), junk),
        isTyping: fc.oneof(fc.boolean(), junk),
        username: fc.oneof(fc.string(), junk),
        password: fc.oneof(fc.string(), junk),
        requestId: fc.oneof(ids, junk),
        userId: fc.oneof(ids, junk),
        constructor: junk,
      },
      { requiredKeys: [] },
    );
    // Up to 30 KB of nesting: two of them stay under the socket packet limit (64 KB).
    const deep = fc.constantFrom('[', '{"a":', '{"__proto__":', '[1,').chain((open) =>
      fc.integer({ min: 1, max: Math.floor(30_000 / (open.length + 1)) }).map((levels) => {
        const close = open.startsWith('[') ? ']' : '}';
        return `${open.repeat(levels)}0${close.repeat(levels)}`;
      }),
    );
    return fc.oneof(
      nearValid.map((value) => JSON.stringify(value)),
      junk.map((value) => JSON.stringify(value) ?? 'null'),
      deep,
      deep.map((text) => `{"contactId":"${bob.id}","isTyping":${text}}`),
      fc.constant(`{"__proto__":{"admin":true},"contactId":"${bob.id}","isTyping":true}`),
    );
  };

  it.each(['send_private_message', 'load_conversation', 'mark_read', 'typing', 'no_such_event'])(
    'every %s gets a well-formed ack, never INTERNAL',
    async (event) => {
      await fc.assert(
        fc.asyncProperty(hostileJson(), fc.option(hostileJson()), async (first, second) => {
          const args = second === null ? first : `${first},${second}`;
          const ack = await emitRawWithAck(socket, event, args);
          expect(typeof ack.ok).toBe('boolean');
          if (!ack.ok) {
            expect(knownCodes.has(ack.error.code)).toBe(true);
            expect(ack.error.code).not.toBe('INTERNAL');
            expect(JSON.stringify(ack).length).toBeLessThan(1_000);
          }
        }),
        { numRuns: 30 },
      );
      expect(socket.connected).toBe(true);
    },
  );

  const bodyEndpoints: ['post' | 'delete', string][] = [
    ['post', '/api/signup'],
    ['post', '/api/login'],
    ['post', '/api/password'],
    ['delete', '/api/me'],
    ['post', '/api/friend-requests/send'],
    ['post', '/api/friend-requests/accept'],
    ['post', '/api/friend-requests/reject'],
    ['post', '/api/friend-requests/cancel'],
    ['post', '/api/contacts/remove'],
    ['post', '/api/blocks'],
    ['post', '/api/conversations/:bob/read'],
  ];

  it.each(bodyEndpoints)('%s %s answers every hostile body without a 5xx', async (method, path) => {
    await fc.assert(
      fc.asyncProperty(hostileJson(), async (body) => {
        const response = await request(t.url)
          [method](path.replace(':bob', bob.id))
          .set(bearer(alice))
          .set('Content-Type', 'application/json')
          .send(body);
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: 15 },
    );
  });

  it.each([
    '/api/users/search',
    '/api/conversations/:bob/messages',
    '/api/contacts',
    '/api/friend-requests/pending',
  ])('GET %s answers every hostile query string without a 5xx', async (path) => {
    await fc.assert(
      fc.asyncProperty(fc.webQueryParameters(), async (query) => {
        const response = await request(t.url)
          .get(`${path.replace(':bob', bob.id)}?${query}`)
          .set(bearer(alice));
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: 20 },
    );
  });

  it('is still serving', async () => {
    await request(t.url).get('/api/me').set(bearer(alice)).expect(200);
  });
});
