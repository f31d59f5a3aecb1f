// Over 300 lines: one suite for two-factor sign-in against the real app: set-up, sign-in,
// every error row and the limits share the accounts and the test's own TOTP.
import 'reflect-metadata';
import { ErrorCode } from '@natter/contracts';
import request from 'supertest';
import { bearer, refreshCookieFrom, signup, TestUser, uniqueName } from './support/clients';
import { createTestApp, dropDatabase, TestApp } from './support/test-app';
import { freshCode, hotp, sleepMs, totp, wrongCode } from './support/totp';

interface TwoFactorUser extends TestUser {
  secret: string;
  recoveryCodes: string[];
  usedSteps: Set<number>;
}

async function enableTwoFactor(url: string, user: TestUser): Promise<TwoFactorUser> {
  const setup = await request(url).post('/api/2fa/setup').set(bearer(user)).expect(200);
  const usedSteps = new Set<number>();
  const code = await freshCode(setup.body.secret, usedSteps);
  const enabled = await request(url)
    .post('/api/2fa/enable')
    .set(bearer(user))
    .send({ code })
    .expect(200);
  return {
    ...user,
    secret: setup.body.secret,
    recoveryCodes: enabled.body.recoveryCodes,
    usedSteps,
  };
}

async function passwordStep(url: string, user: TestUser): Promise<string> {
  const response = await request(url)
    .post('/api/login')
    .send({ username: user.username, password: user.password })
    .expect(200);
  expect(response.body).toEqual({ twoFactorRequired: true, challenge: expect.any(String) });
  return response.body.challenge;
}

const secondStep = (url: string, body: object) => request(url).post('/api/login/2fa').send(body);

describe('the independent TOTP of the tests', () => {
  it('matches the RFC 6238 SHA-1 test vectors', () => {
    const key = Buffer.from('12345678901234567890');
    // RFC 6238 appendix B: T = 59, 1111111109, 1234567890, 20000000000 (8 digits).
    expect(hotp(key, Math.floor(59 / 30), 8)).toBe('94287082');
    expect(hotp(key, Math.floor(1111111109 / 30), 8)).toBe('07081804');
    expect(hotp(key, Math.floor(1234567890 / 30), 8)).toBe('89005924');
    expect(hotp(key, Math.floor(20000000000 / 30), 8)).toBe('65353130');
  });
});

describe('two-factor sign-in', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ label: 'twofactor' });
  });
  afterAll(async () => {
    await dropDatabase(t);
    await t.close();
  });

  it('sets up, enables and signs in in two steps with a code computed from the secret', async () => {
    const user = await signup(t.url);
    const setup = await request(t.url).post('/api/2fa/setup').set(bearer(user)).expect(200);
    const { secret, otpauthUri } = setup.body;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(otpauthUri);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('Natter');
    expect(uri.searchParams.get('algorithm') ?? 'SHA1').toBe('SHA1');
    expect(uri.searchParams.get('digits') ?? '6').toBe('6');
    expect(uri.searchParams.get('period') ?? '30').toBe('30');

    // Not active until enabled: the password alone still signs in.
    await request(t.url)
      .post('/api/login')
      .send({ username: user.username, password: user.password })
      .expect(200)
      .expect((response) => expect(response.body.accessToken).toEqual(expect.any(String)));

    const usedSteps = new Set<number>();
    const enabled = await request(t.url)
      .post('/api/2fa/enable')
      .set(bearer(user))
      .send({ code: await freshCode(secret, usedSteps) })
      .expect(200);
    const codes: string[] = enabled.body.recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);

    const me = await request(t.url).get('/api/me').set(bearer(user)).expect(200);
    expect(me.body.user.twoFactorEnabled).toBe(true);

    // Encrypted at rest; recovery codes only as hashes.
    const stored = await t.db
      .collection('twofactorsecrets')
      .findOne({ userId: new (await import('mongoose')).Types.ObjectId(user.id) });
    const storedText = JSON.stringify(stored);
    expect(stored?.secret).toEqual(expect.any(String));
    expect(storedText).not.toContain(secret);
    expect(storedText.toLowerCase()).not.toContain(secret.toLowerCase());
    for (const code of codes) {
      expect(storedText).not.toContain(code);
      expect(storedText).not.toContain(code.replace('-', ''));
    }
    expect(
      await t.db.collection('auditevents').countDocuments({ type: 'two_factor_enabled' }),
    ).toBe(1);

    const first = await request(t.url)
      .post('/api/login')
      .send({ username: user.username, password: user.password })
      .expect(200);
    expect(first.body).toEqual({ twoFactorRequired: true, challenge: expect.any(String) });
    expect(first.headers['set-cookie']).toBeUndefined();

    const second = await secondStep(t.url, {
      challenge: first.body.challenge,
      code: await freshCode(secret, usedSteps),
    }).expect(200);
    expect(second.body.user).toMatchObject({ id: user.id, twoFactorEnabled: true });
    expect(refreshCookieFrom(second)).toMatch(/^natter_refresh=/);
    await request(t.url).get('/api/me').set(bearer(second.body)).expect(200);
  });

  it('signs in with a recovery code, once per code', async () => {
    const user = await enableTwoFactor(t.url, await signup(t.url));
    const [code, other] = user.recoveryCodes;
    await secondStep(t.url, {
      challenge: await passwordStep(t.url, user),
      recoveryCode: code.toUpperCase(),
    }).expect(200);
    const again = await secondStep(t.url, {
      challenge: await passwordStep(t.url, user),
      recoveryCode: code,
    }).expect(401);
    expect(again.body.code).toBe(ErrorCode.INVALID_TWO_FACTOR_CODE);
    await secondStep(t.url, {
      challenge: await passwordStep(t.url, user),
      recoveryCode: other.replace('-', ''),
    }).expect(200);
    expect(
      await t.db
        .collection('auditevents')
        .countDocuments({ type: 'two_factor_recovery_code_used' }),
    ).toBeGreaterThanOrEqual(2);
  });

  it('refuses a TOTP code replayed within its window', async () => {
    const user = await enableTwoFactor(t.url, await signup(t.url));
    const code = await freshCode(user.secret, user.usedSteps);
    await secondStep(t.url, { challenge: await passwordStep(t.url, user), code }).expect(200);
    const replay = await secondStep(t.url, {
      challenge: await passwordStep(t.url, user),
      code,
    }).expect(401);
    expect(replay.body.code).toBe(ErrorCode.INVALID_TWO_FACTOR_CODE);
    // The code that enabled 2FA is spent too.
    const [enableStep] = [...user.usedSteps];
    const enableCode = totp(user.secret, enableStep);
    if (enableCode !== code) {
      await secondStep(t.url, {
        challenge: await passwordStep(t.url, user),
        code: enableCode,
      }).expect(401);
    }
  });

  it('a challenge works once', async () => {
    const user = await enableTwoFactor(t.url, await signup(t.url));
    const challenge = await passwordStep(t.url, user);
    await secondStep(t.url, {
      challenge,
      code: await freshCode(user.secret, user.usedSteps),
    }).expect(200);
    const reused = await secondStep(t.url, {
      challenge,
      recoveryCode: user.recoveryCodes[0],
    }).expect(401);
    expect(reused.body.code).toBe(ErrorCode.CHALLENGE_EXPIRED);
  });

  it('of two concurrent uses of one challenge, exactly one signs in', async () => {
    const user = await enableTwoFactor(t.url, await signup(t.url));
    const challenge = await passwordStep(t.url, user);
    const results = await Promise.all([
      secondStep(t.url, { challenge, code: await freshCode(user.secret, user.usedSteps) }),
      secondStep(t.url, { challenge, recoveryCode: user.recoveryCodes[0] }),
      secondStep(t.url, { challenge, recoveryCode: user.recoveryCodes[1] }),
    ]);
    expect(results.map((response) => response.status).sort()).toEqual([200, 401, 401]);
    expect(
      await t.db.collection('sessions').countDocuments({
        userId: new (await import('mongoose')).Types.ObjectId(user.id),
        revokedAt: null,
      }),
    ).toBe(2);
  });

  it('a challenge dies after five wrong codes', async () => {
    const user = await enableTwoFactor(t.url, await signup(t.url));
    const challenge = await passwordStep(t.url, user);
    for (let attempt = 1; attempt <= 5; attempt++) {
      const wrong = await secondStep(t.url, { challenge, code: wrongCode(user.secret) }).expect(
        401,
      );
      expect(wrong.body.code).toBe(ErrorCode.INVALID_TWO_FACTOR_CODE);
    }
    const sixth = await secondStep(t.url, {
      challenge,
      code: await freshCode(user.secret, user.usedSteps),
    }).expect(401);
    expect(sixth.body.code).toBe(ErrorCode.CHALLENGE_EXPIRED);
    expect(
      await t.db.collection('auditevents').countDocuments({
        type: 'two_factor_code_failed',
        userId: new (await import('mongoose')).Types.ObjectId(user.id),
      }),
    ).toBe(5);
  });

  it('a challenge signs in only its own user and a made-up one is expired', async () => {
    const alice = await enableTwoFactor(t.url, await signup(t.url));
    const bob = await enableTwoFactor(t.url, await signup(t.url));
    const challenge = await passwordStep(t.url, alice);
    // Bob's valid code does not complete Alice's sign-in.
    await secondStep(t.url, { challenge, code: await freshCode(bob.secret, bob.usedSteps) }).expect(
      401,
    );
    const made = await secondStep(t.url, {
      challenge: 'A'.repeat(43),
      code: '123456',
    }).expect(401);
    expect(made.body.code).toBe(ErrorCode.CHALLENGE_EXPIRED);
  });

  it('answers a wrong password exactly as for an account without 2FA', async () => {
    const plain = await signup(t.url);
    const protectedUser = await enableTwoFactor(t.url, await signup(t.url));
    const attempt = async (user: TestUser) => {
      const started = process.hrtime.bigint();
      const response = await request(t.url)
        .post('/api/login')
        .send({ username: user.username, password: 'not the password' });
      return { response, ms: Number(process.hrtime.bigint() - started) / 1e6 };
    };
    const timings: Record<'plain' | 'protected', number[]> = { plain: [], protected: [] };
    for (let round = 0; round < 5; round++) {
      const a = await attempt(plain);
      const b = await attempt(protectedUser);
      expect(b.response.status).toBe(a.response.status);
      expect(b.response.status).toBe(401);
      expect(b.response.body).toEqual(a.response.body);
      expect(b.response.headers['set-cookie']).toEqual(a.response.headers['set-cookie']);
      expect(Object.keys(b.response.headers).sort()).toEqual(
        Object.keys(a.response.headers).sort(),
      );
      timings.plain.push(a.ms);
      timings.protected.push(b.ms);
    }
    // Both are one bcrypt comparison and nothing else; medians within a factor of two.
    const median = (values: number[]) => [...values].sort((x, y) => x - y)[2];
    const ratio = median(timings.protected) / median(timings.plain);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });

  it('disables with the password and a code (or a recovery code), revoking other sessions', async () => {
    const user = await enableTwoFactor(t.url, await signup(t.url));
    const other = await secondStep(t.url, {
      challenge: await passwordStep(t.url, user),
      recoveryCode: user.recoveryCodes[0],
    }).expect(200);
    await request(t.url).get('/api/me').set(bearer(other.body)).expect(200);

    const wrongPassword = await request(t.url)
      .post('/api/2fa/disable')
      .set(bearer(user))
      .send({ password: 'not the password', code: await freshCode(user.secret, user.usedSteps) })
      .expect(401);
    expect(wrongPassword.body.code).toBe(ErrorCode.INVALID_CREDENTIALS);
    const wrong = await request(t.url)
      .post('/api/2fa/disable')
      .set(bearer(user))
      .send({ password: user.password, code: wrongCode(user.secret) })
      .expect(400);
    expect(wrong.body.code).toBe(ErrorCode.INVALID_TWO_FACTOR_CODE);
    await request(t.url)
      .post('/api/2fa/disable')
      .set(bearer(user))
      .send({ password: user.password, recoveryCode: user.recoveryCodes[0] })
      .expect(400);

    await request(t.url)
      .post('/api/2fa/disable')
      .set(bearer(user))
      .send({ password: user.password, recoveryCode: user.recoveryCodes[1] })
      .expect(204);
    await request(t.url).get('/api/me').set(bearer(other.body)).expect(401);
    const me = await request(t.url).get('/api/me').set(bearer(user)).expect(200);
    expect(me.body.user.twoFactorEnabled).toBe(false);
    const login = await request(t.url)
      .post('/api/login')
      .send({ username: user.username, password: user.password })
      .expect(200);
    expect(login.body.accessToken).toEqual(expect.any(String));
    expect(
      await t.db
        .collection('twofactorsecrets')
        .countDocuments({ userId: new (await import('mongoose')).Types.ObjectId(user.id) }),
    ).toBe(0);
    expect(
      await t.db.collection('auditevents').countDocuments({ type: 'two_factor_disabled' }),
    ).toBe(1);
  });

  it('enabling revokes the other sessions and keeps the current one', async () => {
    const user = await signup(t.url);
    const other = await request(t.url)
      .post('/api/login')
      .send({ username: user.username, password: user.password })
      .expect(200);
    await enableTwoFactor(t.url, user);
    await request(t.url).get('/api/me').set(bearer(other.body)).expect(401);
    await request(t.url).get('/api/me').set(bearer(user)).expect(200);
  });

  describe('error rows', () => {
    it('setup and enable', async () => {
      const user = await signup(t.url);
      const noSetup = await request(t.url)
        .post('/api/2fa/enable')
        .set(bearer(user))
        .send({ code: '123456' })
        .expect(400);
      expect(noSetup.body.code).toBe(ErrorCode.TWO_FACTOR_SETUP_REQUIRED);

      const first = await request(t.url).post('/api/2fa/setup').set(bearer(user)).expect(200);
      const replaced = await request(t.url).post('/api/2fa/setup').set(bearer(user)).expect(200);
      expect(replaced.body.secret).not.toBe(first.body.secret);
      // A code of the replaced secret no longer enables.
      const stale = await request(t.url)
        .post('/api/2fa/enable')
        .set(bearer(user))
        .send({ code: totp(first.body.secret) })
        .expect(400);
      expect(stale.body.code).toBe(ErrorCode.INVALID_TWO_FACTOR_CODE);

      for (const body of [{}, { code: '12345' }, { code: 123456 }, { code: '123456', x: 1 }]) {
        const response = await request(t.url)
          .post('/api/2fa/enable')
          .set(bearer(user))
          .send(body)
          .expect(400);
        expect(response.body.code).toBe(ErrorCode.VALIDATION_FAILED);
      }
      const usedSteps = new Set<number>();
      await request(t.url)
        .post('/api/2fa/enable')
        .set(bearer(user))
        .send({ code: await freshCode(replaced.body.secret, usedSteps) })
        .expect(200);
      const again = await request(t.url)
        .post('/api/2fa/enable')
        .set(bearer(user))
        .send({ code: await freshCode(replaced.body.secret, usedSteps) })
        .expect(409);
      expect(again.body.code).toBe(ErrorCode.TWO_FACTOR_ALREADY_ENABLED);
      const setupAgain = await request(t.url).post('/api/2fa/setup').set(bearer(user)).expect(409);
      expect(setupAgain.body.code).toBe(ErrorCode.TWO_FACTOR_ALREADY_ENABLED);
    });

    it('disable', async () => {
      const user = await signup(t.url);
      const notOn = await request(t.url)
        .post('/api/2fa/disable')
        .set(bearer(user))
        .send({ password: user.password, code: '123456' })
        .expect(400);
      expect(notOn.body.code).toBe(ErrorCode.TWO_FACTOR_NOT_ENABLED);
      for (const body of [
        { password: user.password },
        { password: user.password, code: '123456', recoveryCode: 'abcde-fghij' },
        { code: '123456' },
        { password: user.password, recoveryCode: 'not a code' },
      ]) {
        const response = await request(t.url)
          .post('/api/2fa/disable')
          .set(bearer(user))
          .send(body)
          .expect(400);
        expect(response.body.code).toBe(ErrorCode.VALIDATION_FAILED);
      }
    });

    it('the second sign-in step', async () => {
      const user = await enableTwoFactor(t.url, await signup(t.url));
      const challenge = await passwordStep(t.url, user);
      for (const body of [
        { challenge },
        { challenge, code: '123456', recoveryCode: 'abcde-fghij' },
        { challenge: 'short', code: '123456' },
        { challenge, code: { $gt: '' } },
        { challenge, code: '123456', username: 'x' },
      ]) {
        const response = await secondStep(t.url, body).expect(400);
        expect(response.body.code).toBe(ErrorCode.VALIDATION_FAILED);
      }
      const wrong = await secondStep(t.url, { challenge, code: wrongCode(user.secret) }).expect(
        401,
      );
      expect(wrong.body.code).toBe(ErrorCode.INVALID_TWO_FACTOR_CODE);
      // Bad input did not use up attempts: the challenge still signs in.
      await secondStep(t.url, {
        challenge,
        code: await freshCode(user.secret, user.usedSteps),
      }).expect(200);
    });

    it('every 2FA route but the second sign-in step needs an access token', async () => {
      for (const path of ['/api/2fa/setup', '/api/2fa/enable', '/api/2fa/disable']) {
        await request(t.url).post(path).send({}).expect(401);
      }
    });

    it('is documented in the OpenAPI document', async () => {
      const docs = await request(t.url).get('/api/docs-json').expect(200);
      expect(Object.keys(docs.body.paths)).toEqual(
        expect.arrayContaining([
          '/api/2fa/setup',
          '/api/2fa/enable',
          '/api/2fa/disable',
          '/api/login/2fa',
        ]),
      );
      expect(docs.body.components.schemas.LoginTwoFactorDto).toBeDefined();
    });
  });
});

describe('two-factor limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      label: 'twofactorlimits',
      env: { TWO_FACTOR_CHALLENGE_TTL_SECONDS: '1', RATE_TWO_FACTOR_USER_LIMIT: '4' },
    });
  });
  afterAll(async () => {
    await dropDatabase(t);
    await t.close();
  });

  it('an expired challenge is refused', async () => {
    const user = await enableTwoFactor(t.url, await signup(t.url));
    const challenge = await passwordStep(t.url, user);
    await sleepMs(1500);
    const late = await secondStep(t.url, {
      challenge,
      code: await freshCode(user.secret, user.usedSteps),
    }).expect(401);
    expect(late.body.code).toBe(ErrorCode.CHALLENGE_EXPIRED);
  });

  it('limits code attempts per user across challenges with 429', async () => {
    const user = await enableTwoFactor(t.url, await signup(t.url)); // one attempt (enable)
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const challenge = await passwordStep(t.url, user);
      statuses.push((await secondStep(t.url, { challenge, code: wrongCode(user.secret) })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    // Another user is not affected.
    const other = await enableTwoFactor(t.url, await signup(t.url, uniqueName('o')));
    await secondStep(t.url, {
      challenge: await passwordStep(t.url, other),
      code: await freshCode(other.secret, other.usedSteps),
    }).expect(200);
  });
});
