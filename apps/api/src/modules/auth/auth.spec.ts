import { EventEmitter2 } from '@nestjs/event-emitter';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../../config/app-config';
import { EnvironmentVariables } from '../../config/env.schema';
import { AuditService } from '../audit/audit.service';
import type { ChangeFeed } from '../change-feed/change-feed.service';
import { UserRecord, UsersRepository } from '../users/users.repository';
import { AccessTokens } from './access-tokens';
import { AccountsService } from './accounts.service';
import { Authenticator } from './authenticator';
import type { IssuedSession } from './auth.types';
import { JwtStrategy } from './jwt.strategy';
import type { TwoFactorChallenges } from './two-factor/two-factor-challenges';
import { PasswordHasher } from './password-hasher';
import { NewSession, SessionRecord, SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

/** In-memory stand-ins for the repositories: the rules are under test, not Mongoose. */
class FakeUsers {
  readonly byId = new Map<string, UserRecord>();
  async create(username: string, passwordHash: string): Promise<UserRecord | null> {
    if ([...this.byId.values()].some((u) => u.usernameLower === username.toLowerCase())) {
      return null;
    }
    const user = {
      id: String(this.byId.size + 1).padStart(24, 'a'),
      username,
      usernameLower: username.toLowerCase(),
      passwordHash,
      createdAt: new Date(),
      lastSeenAt: null,
      twoFactorEnabled: false,
    };
    this.byId.set(user.id, user);
    return user;
  }
  async findById(id: string) {
    return this.byId.get(id) ?? null;
  }
  async findByUsername(name: string) {
    return [...this.byId.values()].find((u) => u.usernameLower === name.toLowerCase()) ?? null;
  }
  async updatePasswordHash(id: string, hash: string) {
    this.byId.get(id)!.passwordHash = hash;
  }
}

class FakeSessions {
  readonly byId = new Map<string, SessionRecord>();
  private next = 0;
  newId() {
    return String(++this.next).padStart(24, 'b');
  }
  async create(input: NewSession) {
    const record: SessionRecord = {
      ...input,
      retiredTokenHashes: [],
      rotatedAt: null,
      createdAt: new Date(),
      lastUsedAt: new Date(),
      revokedAt: null,
    };
    this.byId.set(input.id, record);
    return record;
  }
  async findById(id: string) {
    const s = this.byId.get(id);
    return s ? { ...s, retiredTokenHashes: [...s.retiredTokenHashes] } : null;
  }
  async rotate(session: SessionRecord, newHash: string, now: Date) {
    const stored = this.byId.get(session.id)!;
    if (stored.tokenHash !== session.tokenHash || stored.revokedAt) return false;
    stored.retiredTokenHashes.push(stored.tokenHash);
    stored.tokenHash = newHash;
    stored.rotatedAt = now;
    return true;
  }
  async revoke(userId: string, id: string, _reason: string, now: Date) {
    const s = this.byId.get(id);
    if (!s || s.userId !== userId || s.revokedAt) return false;
    s.revokedAt = now;
    return true;
  }
  async revokeAllExcept(userId: string, keepId: string | null, _reason: string, now: Date) {
    const ids: string[] = [];
    for (const s of this.byId.values()) {
      if (s.userId === userId && s.id !== keepId && !s.revokedAt) {
        s.revokedAt = now;
        ids.push(s.id);
      }
    }
    return ids;
  }
}

/** A fast hasher: bcrypt's cost is checked by the e2e suite against the stored hash. */
class FakeHasher {
  verifiedAgainstNothing = 0;
  async hash(password: string) {
    return `hashed:${password}`;
  }
  async verify(password: string, hash: string) {
    return hash === `hashed:${password}`;
  }
  async verifyAgainstNothing(): Promise<false> {
    this.verifiedAgainstNothing++;
    return false;
  }
}

function setup() {
  const users = new FakeUsers();
  const sessions = new FakeSessions();
  const hasher = new FakeHasher();
  const events = new EventEmitter2();
  const revoked: string[][] = [];
  const changes = {
    publish: async (_kind: string, payload: { sessionIds: string[] }) => {
      revoked.push(payload.sessionIds);
    },
  };
  const env = Object.assign(new EnvironmentVariables(), { JWT_SECRET: 'x'.repeat(40) });
  const config = new AppConfig(env);
  const audit = { record: jest.fn().mockResolvedValue(undefined) } as unknown as AuditService;
  const challenges = { create: jest.fn().mockResolvedValue('c'.repeat(43)) };
  const usersRepo = users as unknown as UsersRepository;
  const sessionsRepo = sessions as unknown as SessionsRepository;
  const jwt = new JwtService({ secret: config.jwtSecret });
  const tokens = new AccessTokens(jwt, config);
  const sessionsService = new SessionsService(
    sessionsRepo,
    usersRepo,
    tokens,
    config,
    audit,
    changes as unknown as ChangeFeed,
  );
  const accounts = new AccountsService(
    usersRepo,
    hasher as unknown as PasswordHasher,
    sessionsService,
    audit,
    events,
    challenges as unknown as TwoFactorChallenges,
  );
  const authenticator = new Authenticator(tokens, sessionsRepo, usersRepo);
  return {
    jwt,
    config,
    accounts,
    sessionsService,
    authenticator,
    users,
    sessions,
    hasher,
    revoked,
    audit,
    challenges,
  };
}

const client = { ip: '127.0.0.1', userAgent: 'jest' };

describe('accounts, sessions and access tokens', () => {
  it('maps a duplicate username to 409 USERNAME_TAKEN', async () => {
    const { accounts } = setup();
    await accounts.signup('Alice', 'password 1', client);
    await expect(accounts.signup('alice', 'password 2', client)).rejects.toMatchObject({
      response: { code: 'USERNAME_TAKEN', statusCode: 409 },
    });
  });

  it('spends a hash comparison on unknown users so timing does not reveal them', async () => {
    const { accounts, hasher } = setup();
    await expect(accounts.login('ghost', 'whatever pw', client)).rejects.toMatchObject({
      response: { code: 'INVALID_CREDENTIALS' },
    });
    expect(hasher.verifiedAgainstNothing).toBe(1);
  });

  it('answers a right password with only a challenge when two-factor sign-in is on', async () => {
    const { accounts, users, sessions, challenges } = setup();
    const signedUp = await accounts.signup('tess', 'password 1', client);
    (await users.findById(signedUp.user.id))!.twoFactorEnabled = true;
    const sessionsBefore = JSON.stringify(sessions);
    expect(await accounts.login('tess', 'password 1', client)).toEqual({
      twoFactorRequired: true,
      challenge: 'c'.repeat(43),
    });
    expect(challenges.create).toHaveBeenCalledWith(signedUp.user.id);
    expect(JSON.stringify(sessions)).toBe(sessionsBefore);
    await expect(accounts.login('tess', 'wrong password', client)).rejects.toMatchObject({
      response: { code: 'INVALID_CREDENTIALS' },
    });
    expect(challenges.create).toHaveBeenCalledTimes(1);
  });

  it('a bad token is a rejected promise, never a synchronous throw (the handshake chains .then)', async () => {
    const { authenticator } = setup();
    let outcome: Promise<unknown> | undefined;
    expect(() => {
      outcome = authenticator.authenticate('not a token');
    }).not.toThrow();
    await expect(outcome).rejects.toMatchObject({ response: { code: 'UNAUTHORIZED' } });
  });

  it('issues access tokens that authenticate, with a pinned type', async () => {
    const { accounts, authenticator } = setup();
    const issued = await accounts.signup('bob', 'password 1', client);
    const auth = await authenticator.authenticate(issued.accessToken);
    expect(auth).toMatchObject({ userId: issued.user.id, username: 'bob' });
    const [header] = issued.accessToken.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({
      alg: 'HS256',
      typ: 'at+jwt',
    });
  });

  it('rotates refresh tokens and revokes the session when an old one comes back', async () => {
    const { accounts, sessionsService, authenticator, revoked } = setup();
    const issued = await accounts.signup('carol', 'password 1', client);
    const next = await sessionsService.refresh(issued.refreshToken);
    expect(next.refreshToken).not.toBe(issued.refreshToken);
    await expect(sessionsService.refresh(issued.refreshToken)).rejects.toMatchObject({
      response: { code: 'INVALID_REFRESH_TOKEN' },
    });
    expect(revoked).toHaveLength(1);
    await expect(sessionsService.refresh(next.refreshToken)).rejects.toThrow();
    await expect(authenticator.authenticate(next.accessToken)).rejects.toThrow();
  });

  it('does not revoke anything for a token it never issued', async () => {
    const { accounts, sessionsService, revoked } = setup();
    const issued = await accounts.signup('dave', 'password 1', client);
    const [sessionId] = issued.refreshToken.split('.');
    await expect(sessionsService.refresh(`${sessionId}.${'A'.repeat(43)}`)).rejects.toThrow();
    expect(revoked).toHaveLength(0);
    await expect(sessionsService.refresh(issued.refreshToken)).resolves.toBeDefined();
  });

  it('changing the password revokes the other sessions and keeps the current one', async () => {
    const { accounts, authenticator, revoked } = setup();
    const first = await accounts.signup('erin', 'password 1', client);
    const second = (await accounts.login('erin', 'password 1', client)) as IssuedSession;
    const auth = await authenticator.authenticate(first.accessToken);
    await accounts.changePassword(auth, 'password 1', 'password 2', client.ip);
    expect(revoked).toEqual([
      [
        (await authenticator.authenticate(second.accessToken).catch(() => null))?.sessionId ??
          expect.any(String),
      ],
    ]);
    await expect(authenticator.authenticate(second.accessToken)).rejects.toThrow();
    await expect(authenticator.authenticate(first.accessToken)).resolves.toBeDefined();
  });

  it('refuses a new password equal to the username', async () => {
    const { accounts, authenticator } = setup();
    const issued = await accounts.signup('frank123', 'password 1', client);
    const auth = await authenticator.authenticate(issued.accessToken);
    await expect(
      accounts.changePassword(auth, 'password 1', 'FRANK123', client.ip),
    ).rejects.toMatchObject({ response: { statusCode: 400 } });
  });

  it('HTTP: passport-jwt verifies each token once and the Authenticator does not verify it again', async () => {
    const { accounts, authenticator, jwt, config } = setup();
    const issued = await accounts.signup('gina', 'password 1', client);
    const strategy = new JwtStrategy(config, authenticator);
    const viaPassport = (token: string) =>
      new Promise((resolve, reject) => {
        const call = Object.assign(Object.create(strategy) as JwtStrategy, {
          success: resolve,
          fail: (info: unknown) => reject(info ?? new Error('failed')),
          error: reject,
        });
        call.authenticate({ headers: { authorization: `Bearer ${token}` } } as never, {});
      });
    const verify = jest.spyOn(jwt, 'verify');
    await expect(viaPassport(issued.accessToken)).resolves.toMatchObject({
      userId: issued.user.id,
      username: 'gina',
    });
    expect(verify).not.toHaveBeenCalled();
    const [sessionId] = issued.refreshToken.split('.');
    const untyped = await jwt.signAsync(
      { sid: sessionId },
      { subject: issued.user.id, header: { alg: 'HS256', typ: 'JWT' } },
    );
    await expect(viaPassport(untyped)).rejects.toMatchObject({
      response: { code: 'UNAUTHORIZED' },
    });
    await expect(viaPassport(`${issued.accessToken}x`)).rejects.toBeDefined();
  });
});
