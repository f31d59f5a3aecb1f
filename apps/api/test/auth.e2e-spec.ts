// Over 300 lines: one suite for accounts and sessions against the real app (sign-up, login,
// tokens, sessions, password and account, hostile input, rate limits), sharing one app.
import { createHmac } from 'node:crypto';
import request from 'supertest';
import {
  bearer,
  connectSocket,
  refreshCookieFrom,
  signup,
  sleep,
  uniqueName,
  waitForDisconnect,
} from './support/clients';
import { createTestApp, dropDatabase, TestApp } from './support/test-app';

const SECRET = 'test-secret-that-is-long-enough-0123456789';

const b64 = (value: object | string) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
function signJwt(header: object, payload: object, secret = SECRET): string {
  const body = `${b64(header)}.${b64(payload)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}
const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());

describe('accounts and sessions', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ label: 'auth' });
  });
  afterAll(async () => {
    await dropDatabase(t);
    await t.close();
  });

  describe('POST /api/signup', () => {
    it('creates the account, returns { user, accessToken } and a hardened refresh cookie', async () => {
      const username = uniqueName('Sign');
      const response = await request(t.url)
        .post('/api/signup')
        .send({ username, password: 'a good password' })
        .expect(201);
      expect(response.body).toEqual({
        user: {
          id: expect.any(String),
          username,
          createdAt: expect.any(String),
          twoFactorEnabled: false,
        },
        accessToken: expect.any(String),
      });
      const cookie = ([] as string[]).concat(response.headers['set-cookie'])[0];
      expect(cookie).toMatch(/^natter_refresh=/);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      expect(cookie).toMatch(/Path=\/api/);
      const stored = await t.db
        .collection('users')
        .findOne({ usernameLower: username.toLowerCase() });
      expect(stored?.passwordHash).toMatch(/^\$2[aby]\$12\$/);
    });

    it.each<[Record<string, unknown>, string]>([
      [{ username: 'ab', password: 'long enough pw' }, 'too short name'],
      [{ username: 'a'.repeat(21), password: 'long enough pw' }, 'too long name'],
      [{ username: 'bad name!', password: 'long enough pw' }, 'bad characters'],
      [{ username: uniqueName(), password: 'short' }, 'short password'],
      [{ username: uniqueName(), password: 'é'.repeat(37) }, 'password over 72 bytes'],
      [{ username: 'samename', password: 'SameName' }, 'password equal to username'],
      [{ username: uniqueName(), password: 12345678 }, 'non-string password'],
      [{ username: uniqueName() }, 'missing password'],
      [{ username: uniqueName(), password: 'long enough pw', isAdmin: true }, 'unknown field'],
    ])('refuses %j (%s) with 400 and stores nothing', async (body, _reason) => {
      const before = await t.db.collection('users').countDocuments();
      const response = await request(t.url).post('/api/signup').send(body).expect(400);
      expect(response.body).toMatchObject({
        statusCode: 400,
        error: 'Bad Request',
        code: 'VALIDATION_FAILED',
      });
      expect(await t.db.collection('users').countDocuments()).toBe(before);
    });

    it('refuses a taken name in any letter case with 409 USERNAME_TAKEN', async () => {
      const user = await signup(t.url);
      const response = await request(t.url)
        .post('/api/signup')
        .send({ username: user.username.toUpperCase(), password: 'another password' })
        .expect(409);
      expect(response.body.code).toBe('USERNAME_TAKEN');
    });

    it('lets exactly one of many concurrent signups of one name win', async () => {
      const username = uniqueName('race');
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          request(t.url)
            .post('/api/signup')
            .send({
              username: i % 2 ? username : username.toUpperCase(),
              password: 'race password 1',
            }),
        ),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      expect(results.filter((r) => r.status === 409)).toHaveLength(5);
      expect(
        await t.db.collection('users').countDocuments({ usernameLower: username.toLowerCase() }),
      ).toBe(1);
    });

    it('refuses operator and mass-assignment payloads with 400 and changes nothing', async () => {
      const before = await t.db.collection('users').countDocuments();
      for (const body of [
        { username: { $ne: null }, password: 'whatever long' },
        { username: { $gt: '' }, password: { $ne: null } },
        { username: uniqueName(), password: 'long enough pw', passwordHash: 'x', _id: 'abc' },
        { username: [uniqueName()], password: 'long enough pw' },
      ]) {
        await request(t.url).post('/api/signup').send(body).expect(400);
      }
      await request(t.url)
        .post('/api/login')
        .send({ username: { $ne: null }, password: { $ne: null } })
        .expect(400);
      expect(await t.db.collection('users').countDocuments()).toBe(before);
    });
  });

  describe('POST /api/login', () => {
    it('signs in with the right password (any letter case of the name)', async () => {
      const user = await signup(t.url);
      const response = await request(t.url)
        .post('/api/login')
        .send({ username: user.username.toUpperCase(), password: user.password })
        .expect(200);
      expect(response.body.user.id).toBe(user.id);
      expect(refreshCookieFrom(response)).toMatch(/^natter_refresh=/);
    });

    it('answers unknown user and wrong password with the same 401 body', async () => {
      const user = await signup(t.url);
      const wrong = await request(t.url)
        .post('/api/login')
        .send({ username: user.username, password: 'not the password' })
        .expect(401);
      const unknown = await request(t.url)
        .post('/api/login')
        .send({ username: uniqueName('nobody'), password: 'not the password' })
        .expect(401);
      expect(wrong.body).toEqual(unknown.body);
      expect(wrong.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'Invalid username or password',
        code: 'INVALID_CREDENTIALS',
      });
      const audit = await t.db.collection('auditevents').countDocuments({ type: 'login_failed' });
      expect(audit).toBeGreaterThanOrEqual(2);
    });
  });

  describe('tokens', () => {
    it('rotates the refresh cookie and revokes the family when a rotated token is replayed', async () => {
      const user = await signup(t.url);
      const first = await request(t.url)
        .post('/api/refresh')
        .set('Cookie', user.refreshCookie)
        .expect(200);
      expect(first.body).toEqual({ accessToken: expect.any(String) });
      const rotated = refreshCookieFrom(first);
      expect(rotated).not.toBe(user.refreshCookie);
      // The stolen (old) cookie is replayed: refused, and the whole session is revoked.
      const replay = await request(t.url)
        .post('/api/refresh')
        .set('Cookie', user.refreshCookie)
        .expect(401);
      expect(replay.body.code).toBe('INVALID_REFRESH_TOKEN');
      await request(t.url).post('/api/refresh').set('Cookie', rotated).expect(401);
      await request(t.url).get('/api/me').set(bearer(first.body)).expect(401);
      expect(
        await t.db.collection('auditevents').countDocuments({ type: 'refresh_token_reused' }),
      ).toBeGreaterThanOrEqual(1);
    });

    it('of several concurrent refreshes with one cookie, exactly one succeeds', async () => {
      const user = await signup(t.url);
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          request(t.url).post('/api/refresh').set('Cookie', user.refreshCookie),
        ),
      );
      // Never two live tokens from one: the others are refused (and, arriving after the
      // rotation, count as reuse of a rotated token, which ends the session).
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      for (const loser of results.filter((r) => r.status !== 200)) {
        expect(loser.status).toBe(401);
        expect(loser.body.code).toBe('INVALID_REFRESH_TOKEN');
      }
    });

    it('refuses a missing or forged refresh cookie', async () => {
      await request(t.url).post('/api/refresh').expect(401);
      await request(t.url)
        .post('/api/refresh')
        .set('Cookie', 'natter_refresh=000000000000000000000000.' + 'A'.repeat(43))
        .expect(401);
      await request(t.url).post('/api/refresh').set('Cookie', 'natter_refresh=garbage').expect(401);
    });

    it('refuses refresh and logout from another site', async () => {
      const user = await signup(t.url);
      const response = await request(t.url)
        .post('/api/refresh')
        .set('Cookie', user.refreshCookie)
        .set('Origin', 'https://evil.example')
        .expect(403);
      expect(response.body.code).toBe('CROSS_SITE_REQUEST');
      await request(t.url)
        .post('/api/logout')
        .set('Cookie', user.refreshCookie)
        .set('Sec-Fetch-Site', 'cross-site')
        .expect(403);
      // Still usable from our own origin.
      await request(t.url)
        .post('/api/refresh')
        .set('Cookie', user.refreshCookie)
        .set('Origin', t.url)
        .expect(200);
    });

    it('logout invalidates both the access token and the refresh cookie', async () => {
      const user = await signup(t.url);
      const response = await request(t.url).post('/api/logout').set(bearer(user)).expect(204);
      expect(([] as string[]).concat(response.headers['set-cookie'])[0]).toMatch(
        /natter_refresh=;/,
      );
      await request(t.url).get('/api/me').set(bearer(user)).expect(401);
      await request(t.url).post('/api/refresh').set('Cookie', user.refreshCookie).expect(401);
    });

    it('logout by cookie alone ends that session', async () => {
      const user = await signup(t.url);
      await request(t.url).post('/api/logout').set('Cookie', user.refreshCookie).expect(204);
      await request(t.url).get('/api/me').set(bearer(user)).expect(401);
    });

    describe('forged access tokens are 401 on REST and refused on the socket', () => {
      let user: Awaited<ReturnType<typeof signup>>;
      const forged: Record<string, () => string> = {};

      beforeAll(async () => {
        user = await signup(t.url);
        const claims = claimsOf(user.accessToken);
        const now = Math.floor(Date.now() / 1000);
        forged['wrong secret'] = () =>
          signJwt({ alg: 'HS256', typ: 'at+jwt' }, claims, 'another-secret-another-secret-another');
        forged['alg none'] = () => `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64(claims)}.`;
        forged['expired'] = () =>
          signJwt({ alg: 'HS256', typ: 'at+jwt' }, { ...claims, iat: now - 2000, exp: now - 1000 });
        forged['wrong type'] = () => signJwt({ alg: 'HS256', typ: 'JWT' }, claims);
        forged['tampered subject'] = () => {
          const [h, , s] = user.accessToken.split('.');
          return `${h}.${b64({ ...claims, sub: '000000000000000000000000' })}.${s}`;
        };
        forged['unknown session'] = () =>
          signJwt({ alg: 'HS256', typ: 'at+jwt' }, { ...claims, sid: '000000000000000000000000' });
        forged['garbage'] = () => 'not-a-jwt';
      });

      it.each([
        'wrong secret',
        'alg none',
        'expired',
        'wrong type',
        'tampered subject',
        'unknown session',
        'garbage',
      ])('%s', async (name) => {
        const token = forged[name]();
        const response = await request(t.url)
          .get('/api/me')
          .set('Authorization', `Bearer ${token}`)
          .expect(401);
        expect(response.body.code).toBe('UNAUTHORIZED');
        await expect(connectSocket(t.url, token)).rejects.toThrow('unauthorized');
      });

      it('the genuine token works on both', async () => {
        await request(t.url).get('/api/me').set(bearer(user)).expect(200);
        const socket = await connectSocket(t.url, user.accessToken);
        socket.close();
      });
    });

    it('refuses sockets without a token and from foreign origins', async () => {
      const user = await signup(t.url);
      await expect(connectSocket(t.url, undefined)).rejects.toThrow('unauthorized');
      await expect(
        connectSocket(t.url, user.accessToken, { origin: 'https://evil.example' }),
      ).rejects.toThrow();
      const ok = await connectSocket(t.url, user.accessToken, { origin: t.url });
      ok.close();
    });
  });

  describe('sessions', () => {
    it('lists sessions with the current one marked', async () => {
      const user = await signup(t.url);
      await request(t.url)
        .post('/api/login')
        .set('User-Agent', 'second-device')
        .send({ username: user.username, password: user.password });
      const response = await request(t.url).get('/api/sessions').set(bearer(user)).expect(200);
      expect(response.body.sessions).toHaveLength(2);
      expect(response.body.sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
      expect(response.body.sessions[0]).toEqual({
        id: expect.any(String),
        userAgent: expect.any(String),
        ip: expect.any(String),
        createdAt: expect.any(String),
        lastUsedAt: expect.any(String),
        current: expect.any(Boolean),
      });
    });

    it('revoking a session closes its live socket within a second and kills its tokens', async () => {
      const user = await signup(t.url);
      const socket = await connectSocket(t.url, user.accessToken);
      const revoked = new Promise((resolve) => socket.once('session_revoked', resolve));
      const sessions = await request(t.url).get('/api/sessions').set(bearer(user)).expect(200);
      const current = sessions.body.sessions.find((s: { current: boolean }) => s.current);
      const other = await request(t.url)
        .post('/api/login')
        .send({ username: user.username, password: user.password })
        .expect(200);
      await request(t.url)
        .delete(`/api/sessions/${current.id}`)
        .set(bearer(other.body))
        .expect(204);
      await expect(revoked).resolves.toEqual({ sessionId: current.id });
      await waitForDisconnect(socket, 1000);
      await request(t.url).get('/api/me').set(bearer(user)).expect(401);
      await request(t.url).post('/api/refresh').set('Cookie', user.refreshCookie).expect(401);
      expect(
        await t.db.collection('auditevents').countDocuments({ type: 'session_revoked' }),
      ).toBeGreaterThanOrEqual(1);
    });

    it("cannot revoke someone else's session (404) and malformed ids are 400", async () => {
      const a = await signup(t.url);
      const b = await signup(t.url);
      const bSessions = await request(t.url).get('/api/sessions').set(bearer(b)).expect(200);
      const response = await request(t.url)
        .delete(`/api/sessions/${bSessions.body.sessions[0].id}`)
        .set(bearer(a))
        .expect(404);
      expect(response.body.code).toBe('SESSION_NOT_FOUND');
      await request(t.url).get('/api/me').set(bearer(b)).expect(200);
      await request(t.url).delete('/api/sessions/not-an-id').set(bearer(a)).expect(400);
    });

    it('a socket is not served past its token expiry', async () => {
      const short = await createTestApp({
        label: 'expiry',
        env: { ACCESS_TOKEN_TTL_SECONDS: '30' },
      });
      try {
        const user = await signup(short.url);
        const claims = claimsOf(user.accessToken);
        // Same session, but a token that expires in a few seconds (enough for the handshake
        // of a loaded machine; with +1 it could expire before the handshake was checked).
        const token = signJwt(
          { alg: 'HS256', typ: 'at+jwt' },
          { ...claims, exp: Math.floor(Date.now() / 1000) + 3 },
        );
        const socket = await connectSocket(short.url, token);
        await waitForDisconnect(socket, 6000);
      } finally {
        await dropDatabase(short);
        await short.close();
      }
    });
  });

  describe('password and account', () => {
    it('changing the password revokes every other session', async () => {
      const user = await signup(t.url);
      const other = await request(t.url)
        .post('/api/login')
        .send({ username: user.username, password: user.password })
        .expect(200);
      const otherSocket = await connectSocket(t.url, other.body.accessToken);
      await request(t.url)
        .post('/api/password')
        .set(bearer(user))
        .send({ currentPassword: 'wrong password', newPassword: 'new password 1' })
        .expect(401);
      await request(t.url)
        .post('/api/password')
        .set(bearer(user))
        .send({ currentPassword: user.password, newPassword: 'short' })
        .expect(400);
      await request(t.url)
        .post('/api/password')
        .set(bearer(user))
        .send({ currentPassword: user.password, newPassword: user.username })
        .expect(400);
      await request(t.url)
        .post('/api/password')
        .set(bearer(user))
        .send({ currentPassword: user.password, newPassword: 'new password 1' })
        .expect(204);
      await waitForDisconnect(otherSocket, 1000);
      await request(t.url).get('/api/me').set(bearer(other.body)).expect(401);
      await request(t.url).get('/api/me').set(bearer(user)).expect(200);
      await request(t.url)
        .post('/api/login')
        .send({ username: user.username, password: user.password })
        .expect(401);
      await request(t.url)
        .post('/api/login')
        .send({ username: user.username, password: 'new password 1' })
        .expect(200);
      expect(
        await t.db.collection('auditevents').countDocuments({ type: 'password_changed' }),
      ).toBeGreaterThanOrEqual(1);
    });

    it('deletes the account only with the right password', async () => {
      const user = await signup(t.url);
      await request(t.url)
        .delete('/api/me')
        .set(bearer(user))
        .send({ password: 'wrong password' })
        .expect(401);
      await request(t.url).get('/api/me').set(bearer(user)).expect(200);
      await request(t.url)
        .delete('/api/me')
        .set(bearer(user))
        .send({ password: user.password })
        .expect(204);
      await request(t.url).get('/api/me').set(bearer(user)).expect(401);
      await request(t.url)
        .post('/api/login')
        .send({ username: user.username, password: user.password })
        .expect(401);
      expect(
        await t.db
          .collection('users')
          .countDocuments({ usernameLower: user.username.toLowerCase() }),
      ).toBe(0);
      expect(
        await t.db.collection('auditevents').countDocuments({ type: 'account_deleted' }),
      ).toBeGreaterThanOrEqual(1);
    });

    it('requires a token for /me', async () => {
      const response = await request(t.url).get('/api/me').expect(401);
      expect(response.body).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
    });
  });

  describe('hostile HTTP input', () => {
    it('bad JSON is 400 BAD_JSON', async () => {
      const response = await request(t.url)
        .post('/api/login')
        .set('Content-Type', 'application/json')
        .send('{bad')
        .expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'BAD_JSON' });
    });
    it('a wrong content type is 415', async () => {
      const response = await request(t.url)
        .post('/api/login')
        .set('Content-Type', 'text/plain')
        .send('username=a')
        .expect(415);
      expect(response.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });
    it('an oversized body is 413', async () => {
      await request(t.url)
        .post('/api/login')
        .send({ username: 'x'.repeat(200_000), password: 'y' })
        .expect(413);
    });
    it('errors never leak stack traces', async () => {
      const response = await request(t.url).get('/api/nope').expect(404);
      expect(JSON.stringify(response.body)).not.toMatch(/at .*\.js/);
    });
    it('answers CORS only for its own origin and the configured list', async () => {
      const allowed = await createTestApp({
        label: 'cors',
        env: { CORS_ORIGINS: 'https://app.example' },
      });
      try {
        const listed = await request(allowed.url)
          .options('/api/login')
          .set('Origin', 'https://app.example')
          .set('Access-Control-Request-Method', 'POST');
        expect(listed.headers['access-control-allow-origin']).toBe('https://app.example');
        expect(listed.headers['access-control-allow-credentials']).toBe('true');
        const foreign = await request(allowed.url)
          .options('/api/login')
          .set('Origin', 'https://evil.example')
          .set('Access-Control-Request-Method', 'POST');
        expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
        const same = await request(allowed.url).get('/api/health').set('Origin', allowed.url);
        expect(same.headers['access-control-allow-origin']).toBe(allowed.url);
      } finally {
        await dropDatabase(allowed);
        await allowed.close();
      }
    });
    it('serves security headers and the OpenAPI document', async () => {
      const response = await request(t.url).get('/api/health').expect(200);
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      const docs = await request(t.url).get('/api/docs-json').expect(200);
      expect(Object.keys(docs.body.paths)).toEqual(
        expect.arrayContaining(['/api/signup', '/api/login', '/api/refresh', '/api/sessions/{id}']),
      );
      expect(docs.body.components.schemas.SignupDto).toBeDefined();
      await request(t.url).get('/api/health/ready').expect(200);
    });
  });
});

describe('rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      label: 'throttle',
      env: {
        RATE_LOGIN_IP_LIMIT: '1000',
        RATE_LOGIN_USERNAME_LIMIT: '3',
        RATE_SIGNUP_IP_LIMIT: '4',
      },
    });
  });
  afterAll(async () => {
    await dropDatabase(t);
    await t.close();
  });

  it('limits login attempts per username with 429 and Retry-After', async () => {
    const user = await signup(t.url);
    for (let i = 0; i < 3; i++) {
      await request(t.url)
        .post('/api/login')
        .send({ username: user.username, password: 'wrong password' })
        .expect(401);
    }
    const limited = await request(t.url)
      .post('/api/login')
      .send({ username: user.username, password: user.password })
      .expect(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another account is unaffected.
    const other = await signup(t.url);
    await request(t.url)
      .post('/api/login')
      .send({ username: other.username, password: other.password })
      .expect(200);
  });

  it('limits signups per IP', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(
        (
          await request(t.url)
            .post('/api/signup')
            .send({ username: uniqueName(), password: 'long enough pw' })
        ).status,
      );
    }
    expect(statuses).toContain(429);
    await sleep(0);
  });
});

describe('the per-client API limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ label: 'apilimit', env: { RATE_API_USER_LIMIT: '5' } });
  });
  afterAll(async () => {
    await dropDatabase(t);
    await t.close();
  });

  it('limits ordinary requests but never the health probes', async () => {
    for (let i = 0; i < 10; i++) await request(t.url).get('/api/health').expect(200);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await request(t.url).post('/api/refresh')).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses).toContain(429);
    await request(t.url).get('/api/health/ready').expect(200);
  });
});
