import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { RevokedSessions } from '../src/modules/auth/revoked-sessions';
import { buildAdminCli, runAdminCli } from './support/admin-cli';
import {
  bearer,
  ClientSocket,
  connectSocket,
  refreshCookieFrom,
  signup,
  TestUser,
  waitForDisconnect,
} from './support/clients';
import { befriend, emitAck, newClientId } from './support/messaging';
import { createTestApp, dropDatabase, TestApp, uniqueDatabaseUri } from './support/test-app';
import { freshCode } from './support/totp';

/** SPEC §8.4: revoked by any path, a session's sockets on every process are cut within 2 s. */
const REVOCATION_DEADLINE_MS = 2000;

/** Resolves with the time the socket disconnected (it may already have). */
function disconnectedAt(socket: ClientSocket): Promise<number> {
  return new Promise((resolve) => {
    if (socket.disconnected) resolve(Date.now());
    else socket.once('disconnect', () => resolve(Date.now()));
  });
}

async function login(url: string, user: TestUser): Promise<TestUser> {
  const response = await request(url)
    .post('/api/login')
    .send({ username: user.username, password: user.password })
    .expect(200);
  return {
    ...user,
    accessToken: response.body.accessToken,
    refreshCookie: refreshCookieFrom(response),
  };
}

const redisEnv = () => ({
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  REDIS_KEY_PREFIX: `t${randomBytes(4).toString('hex')}:`,
});

describe.each([
  ['without Redis', () => ({})],
  ['with Redis', redisEnv],
])('the admin CLI (its own process) cuts live sockets %s', (_label, env) => {
  let t: TestApp;
  let databaseUri: string;
  let shared: Record<string, string>;

  beforeAll(async () => {
    buildAdminCli();
    databaseUri = uniqueDatabaseUri('revokecli');
    shared = env();
    t = await createTestApp({ label: 'revokecli', databaseUri, env: shared });
  }, 240_000);
  afterAll(async () => {
    await dropDatabase(t);
    await t.close();
  });

  it.each([['revoke-sessions'], ['delete', '--yes']])(
    '%s disconnects the user’s socket within 2 s',
    async (...command) => {
      const user = await signup(t.url);
      const second = await login(t.url, user);
      const sockets = [
        await connectSocket(t.url, user.accessToken),
        await connectSocket(t.url, second.accessToken),
      ];
      const cut = sockets.map(disconnectedAt);
      const run = await runAdminCli([command[0], user.username, ...command.slice(1)], {
        MONGODB_URI: databaseUri,
        ...shared,
      });
      expect(run.output).toMatch(command[0] === 'delete' ? /deleted/ : /revoked 2 sessions/);
      expect(run.code).toBe(0);
      for (const at of await Promise.all(cut)) {
        expect(at - run.doneAt).toBeLessThan(REVOCATION_DEADLINE_MS);
      }
      await request(t.url).get('/api/me').set(bearer(user)).expect(401);
    },
    60_000,
  );
});

describe('revocation across two API processes without Redis', () => {
  let one: TestApp;
  let two: TestApp;

  beforeAll(async () => {
    const databaseUri = uniqueDatabaseUri('revoketwo');
    one = await createTestApp({ label: 'revoketwo', databaseUri });
    two = await createTestApp({ label: 'revoketwo', databaseUri });
  });
  afterAll(async () => {
    await dropDatabase(one);
    await one.close();
    await two.close();
  });

  /** Each path revokes `victim` (a session of `user`) through process one. */
  const paths: [string, (user: TestUser, victim: TestUser) => Promise<unknown>][] = [
    ['logout', (_user, victim) => request(one.url).post('/api/logout').set(bearer(victim))],
    [
      'DELETE /api/sessions/:id',
      async (user, victim) => {
        const sessions = await request(one.url).get('/api/sessions').set(bearer(victim));
        const id = sessions.body.sessions.find((s: { current: boolean }) => s.current).id;
        await request(one.url).delete(`/api/sessions/${id}`).set(bearer(user)).expect(204);
      },
    ],
    [
      'password change',
      (user) =>
        request(one.url)
          .post('/api/password')
          .set(bearer(user))
          .send({ currentPassword: user.password, newPassword: 'another good password' })
          .expect(204),
    ],
    [
      'refresh-token reuse',
      async (_user, victim) => {
        await request(one.url).post('/api/refresh').set('Cookie', victim.refreshCookie).expect(200);
        await request(one.url).post('/api/refresh').set('Cookie', victim.refreshCookie).expect(401);
      },
    ],
    [
      'account deletion',
      (user) =>
        request(one.url)
          .delete('/api/me')
          .set(bearer(user))
          .send({ password: user.password })
          .expect(204),
    ],
    [
      'enabling two-factor sign-in',
      async (user) => {
        const setup = await request(one.url).post('/api/2fa/setup').set(bearer(user)).expect(200);
        await request(one.url)
          .post('/api/2fa/enable')
          .set(bearer(user))
          .send({ code: await freshCode(setup.body.secret, new Set()) })
          .expect(200);
      },
    ],
  ];

  it.each(paths)(
    '%s cuts the session’s sockets on both processes within 2 s',
    async (_p, revoke) => {
      const user = await signup(one.url);
      const victim = await login(one.url, user);
      const victimSockets = [
        await connectSocket(one.url, victim.accessToken),
        await connectSocket(two.url, victim.accessToken),
      ];
      const cut = victimSockets.map(disconnectedAt);
      const started = Date.now();
      await revoke(user, victim);
      const revokedAt = Date.now();
      for (const at of await Promise.all(cut)) {
        expect(at - revokedAt).toBeLessThan(REVOCATION_DEADLINE_MS);
        expect(at).toBeGreaterThanOrEqual(started);
      }
    },
  );

  it('keeps the sockets of sessions that were not revoked', async () => {
    const user = await signup(one.url);
    const victim = await login(one.url, user);
    const kept = await connectSocket(two.url, user.accessToken);
    const cut = await connectSocket(two.url, victim.accessToken);
    await request(one.url).post('/api/logout').set(bearer(victim)).expect(204);
    await waitForDisconnect(cut, REVOCATION_DEADLINE_MS + 1000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(kept.connected).toBe(true);
    kept.close();
  });

  it('refuses every event of a session this process knows is revoked', async () => {
    const alice = await signup(two.url);
    const bob = await signup(two.url);
    await befriend(two.url, alice, bob);
    const socket = await connectSocket(two.url, alice.accessToken);
    const sessions = await request(two.url).get('/api/sessions').set(bearer(alice)).expect(200);
    // Learned of the revocation, but its sockets not (yet) cut: the event is still refused.
    two.app.get(RevokedSessions).add([sessions.body.sessions[0].id]);
    const ack = emitAck(socket, 'send_private_message', {
      recipientId: bob.id,
      text: 'after revocation',
      clientId: newClientId(),
    });
    await expect(ack).rejects.toThrow();
    expect(socket.connected).toBe(false);
    expect(await two.db.collection('messages').countDocuments({ text: 'after revocation' })).toBe(
      0,
    );
  }, 30_000);
});
