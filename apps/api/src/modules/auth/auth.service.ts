// Over 300 lines: accounts, token issue and verification, refresh rotation and sessions still
// share this service. Splitting it by job (accounts / tokens / sessions) is planned with the
// module clean-up, together with the single token verification; two-factor already lives apart.
import { HttpStatus, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ErrorCode, PublicUser, SessionInfo, TwoFactorChallengeResponse } from '@natter/contracts';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { ApiException } from '../../common/api-exception';
import type { AuthUser } from '../../common/auth-user';
import {
  AccountDeletingEvent,
  DomainEvent,
  DomainEventPublisher,
  InjectDomainEvents,
} from '../../common/domain-events';
import { AuditService } from '../audit/audit.service';
import { ChangeFeed } from '../change-feed/change-feed.service';
import { toPublicUser } from '../users/public-user';
import { UserRecord, UsersRepository } from '../users/users.repository';
import { PasswordHasher } from './password-hasher';
import {
  createRefreshSecret,
  formatRefreshToken,
  hashRefreshSecret,
  parseRefreshToken,
  sameHash,
} from './refresh-token';
import {
  AccessClaims,
  ACCESS_TOKEN_TYPE,
  ClientInfo,
  invalidCredentials,
  invalidRefresh,
  IssuedSession,
  unauthorized,
} from './auth.types';
import { SessionRecord, SessionsRepository } from './sessions.repository';
import { TwoFactorChallenges } from './two-factor/two-factor-challenges';

/**
 * Accounts and sessions. The single place that turns an access token into an AuthUser, used
 * by HTTP (passport strategy) and the Socket.IO handshake alike.
 */
@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly hasher: PasswordHasher,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    @InjectDomainEvents() private readonly events: DomainEventPublisher,
    private readonly twoFactorChallenges: TwoFactorChallenges,
    private readonly changes: ChangeFeed,
  ) {}

  async signup(username: string, password: string, client: ClientInfo): Promise<IssuedSession> {
    const passwordHash = await this.hasher.hash(password);
    const user = await this.users.create(username, passwordHash);
    if (!user) {
      throw new ApiException(
        HttpStatus.CONFLICT,
        ErrorCode.USERNAME_TAKEN,
        'That username is taken',
      );
    }
    return this.startSession(toPublicUser(user), client);
  }

  /** With two-factor sign-in on, a right password only earns a challenge for the second step. */
  async login(
    username: string,
    password: string,
    client: ClientInfo,
  ): Promise<IssuedSession | TwoFactorChallengeResponse> {
    const user = await this.users.findByUsername(username);
    const valid = user
      ? await this.hasher.verify(password, user.passwordHash)
      : await this.hasher.verifyAgainstNothing(password);
    if (!user || !valid) {
      await this.audit.record('login_failed', {
        userId: user?.id,
        username: username.slice(0, 40),
        ip: client.ip,
      });
      throw invalidCredentials();
    }
    if (user.twoFactorEnabled) {
      return { twoFactorRequired: true, challenge: await this.twoFactorChallenges.create(user.id) };
    }
    await this.audit.record('login_succeeded', { userId: user.id, ip: client.ip });
    return this.startSession(toPublicUser(user), client);
  }

  /** Signs in a user whose second factor was just checked (TwoFactorChallenges). */
  async completeTwoFactorLogin(
    userId: string,
    method: string,
    client: ClientInfo,
  ): Promise<IssuedSession> {
    const user = await this.users.findById(userId);
    if (!user) throw invalidCredentials();
    await this.audit.record('login_succeeded', {
      userId,
      ip: client.ip,
      details: { twoFactor: method },
    });
    return this.startSession(toPublicUser(user), client);
  }

  /** The user, when the password is theirs; 401 INVALID_CREDENTIALS otherwise. */
  async requirePassword(userId: string, password: string, message: string): Promise<UserRecord> {
    const user = await this.users.findById(userId);
    if (!user || !(await this.hasher.verify(password, user.passwordHash))) {
      throw new ApiException(HttpStatus.UNAUTHORIZED, ErrorCode.INVALID_CREDENTIALS, message);
    }
    return user;
  }

  /** Verifies an access token and that its session is alive; throws 401 otherwise. */
  async authenticate(token: unknown): Promise<AuthUser> {
    if (typeof token !== 'string' || token.length === 0 || token.length > 2048)
      throw unauthorized();
    let claims: AccessClaims;
    try {
      const { header, payload } = this.jwt.verify<{
        header: { typ?: string };
        payload: AccessClaims;
      }>(token, {
        algorithms: ['HS256'],
        complete: true,
      });
      if (header.typ !== ACCESS_TOKEN_TYPE) throw unauthorized();
      claims = payload;
    } catch {
      throw unauthorized();
    }
    if (
      typeof claims.sub !== 'string' ||
      typeof claims.sid !== 'string' ||
      typeof claims.exp !== 'number'
    ) {
      throw unauthorized();
    }
    const session = await this.sessions.findById(claims.sid);
    if (!session || session.userId !== claims.sub || !this.isLive(session, new Date()))
      throw unauthorized();
    const user = await this.users.findById(claims.sub);
    if (!user) throw unauthorized();
    return {
      userId: user.id,
      sessionId: session.id,
      username: user.username,
      expiresAt: claims.exp,
    };
  }

  async refresh(
    rawToken: unknown,
  ): Promise<{ accessToken: string; refreshToken: string; refreshExpiresAt: Date }> {
    const parsed = parseRefreshToken(rawToken);
    if (!parsed) throw invalidRefresh();
    const now = new Date();
    const session = await this.sessions.findById(parsed.sessionId);
    if (!session || !this.isLive(session, now)) throw invalidRefresh();

    const presented = hashRefreshSecret(parsed.secret);
    if (!sameHash(presented, session.tokenHash)) {
      await this.handleStaleRefreshToken(session, presented, now);
      throw invalidRefresh();
    }
    const secret = createRefreshSecret();
    const rotated = await this.sessions.rotate(session, hashRefreshSecret(secret), now);
    if (!rotated) throw invalidRefresh();
    const user = await this.users.findById(session.userId);
    if (!user) throw invalidRefresh();
    return {
      accessToken: await this.signAccessToken(user.id, session.id),
      refreshToken: formatRefreshToken(session.id, secret),
      refreshExpiresAt: session.expiresAt,
    };
  }

  /** Ends the session named by a valid access token or by a genuine refresh token. */
  async logout(auth: AuthUser | null, rawRefreshToken: unknown): Promise<void> {
    let target: { userId: string; sessionId: string } | null = auth;
    if (!target) {
      const parsed = parseRefreshToken(rawRefreshToken);
      const session = parsed ? await this.sessions.findById(parsed.sessionId) : null;
      if (parsed && session && sameHash(hashRefreshSecret(parsed.secret), session.tokenHash)) {
        target = { userId: session.userId, sessionId: session.id };
      }
    }
    if (!target) return;
    if (await this.sessions.revoke(target.userId, target.sessionId, 'logout', new Date())) {
      await this.publishRevoked(target.userId, [target.sessionId]);
    }
  }

  async me(auth: AuthUser): Promise<PublicUser> {
    const user = await this.users.findById(auth.userId);
    if (!user) throw unauthorized();
    return toPublicUser(user);
  }

  async listSessions(auth: AuthUser): Promise<SessionInfo[]> {
    const sessions = await this.sessions.listActive(auth.userId, new Date());
    return sessions.map((session) => ({
      id: session.id,
      userAgent: session.userAgent,
      ip: session.ip,
      createdAt: session.createdAt.toISOString(),
      lastUsedAt: session.lastUsedAt.toISOString(),
      current: session.id === auth.sessionId,
    }));
  }

  async revokeSession(auth: AuthUser, sessionId: string, ip: string): Promise<void> {
    const revoked = await this.sessions.revoke(
      auth.userId,
      sessionId,
      'revoked_by_user',
      new Date(),
    );
    if (!revoked)
      throw new ApiException(
        HttpStatus.NOT_FOUND,
        ErrorCode.SESSION_NOT_FOUND,
        'Session not found',
      );
    await this.audit.record('session_revoked', { userId: auth.userId, ip, details: { sessionId } });
    await this.publishRevoked(auth.userId, [sessionId]);
  }

  async changePassword(
    auth: AuthUser,
    currentPassword: string,
    newPassword: string,
    ip: string,
  ): Promise<void> {
    const user = await this.requirePassword(
      auth.userId,
      currentPassword,
      'Current password is wrong',
    );
    if (newPassword.toLowerCase() === user.username.toLowerCase()) {
      throw new ApiException(
        HttpStatus.BAD_REQUEST,
        ErrorCode.VALIDATION_FAILED,
        'password must not be the username',
      );
    }
    await this.users.updatePasswordHash(user.id, await this.hasher.hash(newPassword));
    const revoked = await this.revokeAllSessions(user.id, 'password_changed', auth.sessionId);
    await this.audit.record('password_changed', {
      userId: user.id,
      ip,
      details: { revokedSessions: revoked },
    });
  }

  async deleteAccount(auth: AuthUser, password: string, ip: string): Promise<void> {
    const user = await this.requirePassword(auth.userId, password, 'Password is wrong');
    await this.deleteUserAndData(user.id);
    await this.audit.record('account_deleted', { userId: user.id, username: user.username, ip });
  }

  /** Removes a user and everything of theirs; also used by the admin CLI. */
  async deleteUserAndData(userId: string): Promise<void> {
    const sessionIds = await this.sessions.revokeAllExcept(
      userId,
      null,
      'account_deleted',
      new Date(),
    );
    await this.publishRevoked(userId, sessionIds);
    const event: AccountDeletingEvent = { userId };
    await this.events.emitAsync(DomainEvent.AccountDeleting, event);
    await this.sessions.deleteAllForUser(userId);
    await this.users.deleteById(userId);
  }

  /** Revokes every session of a user, except `keepSessionId` when given; returns how many. */
  async revokeAllSessions(
    userId: string,
    reason = 'revoked_by_admin',
    keepSessionId: string | null = null,
  ): Promise<number> {
    const ids = await this.sessions.revokeAllExcept(userId, keepSessionId, reason, new Date());
    await this.publishRevoked(userId, ids);
    return ids.length;
  }

  async resetPassword(userId: string, newPassword: string): Promise<void> {
    await this.users.updatePasswordHash(userId, await this.hasher.hash(newPassword));
    await this.revokeAllSessions(userId);
    await this.audit.record('password_changed', { userId, details: { by: 'admin' } });
  }

  private async startSession(user: PublicUser, client: ClientInfo): Promise<IssuedSession> {
    const sessionId = this.sessions.newId();
    const secret = createRefreshSecret();
    const refreshExpiresAt = new Date(
      Date.now() + this.config.env.REFRESH_TOKEN_TTL_DAYS * 86_400_000,
    );
    await this.sessions.create({
      id: sessionId,
      userId: user.id,
      tokenHash: hashRefreshSecret(secret),
      userAgent: client.userAgent.slice(0, 300),
      ip: client.ip,
      expiresAt: refreshExpiresAt,
    });
    return {
      user,
      accessToken: await this.signAccessToken(user.id, sessionId),
      refreshToken: formatRefreshToken(sessionId, secret),
      refreshExpiresAt,
    };
  }

  private signAccessToken(userId: string, sessionId: string): Promise<string> {
    return this.jwt.signAsync(
      { sid: sessionId },
      {
        subject: userId,
        jwtid: randomUUID(),
        algorithm: 'HS256',
        expiresIn: this.config.env.ACCESS_TOKEN_TTL_SECONDS,
        header: { alg: 'HS256', typ: ACCESS_TOKEN_TYPE },
      },
    );
  }

  private isLive(session: SessionRecord, now: Date): boolean {
    return session.revokedAt === null && session.expiresAt > now;
  }

  /**
   * A token that was valid once but has been rotated away is being presented again: someone
   * holds a copy. Revoke the whole session (its token family). Tabs of one browser share the
   * cookie and the SPA refreshes one at a time, so a legitimate client does not replay.
   */
  private async handleStaleRefreshToken(
    session: SessionRecord,
    presented: string,
    now: Date,
  ): Promise<void> {
    if (!session.retiredTokenHashes.some((hash) => sameHash(hash, presented))) return;
    if (await this.sessions.revoke(session.userId, session.id, 'refresh_token_reused', now)) {
      await this.audit.record('refresh_token_reused', {
        userId: session.userId,
        details: { sessionId: session.id },
      });
      await this.publishRevoked(session.userId, [session.id]);
    }
  }

  /** Every API process disconnects those sessions' sockets (SPEC §8.4), the CLI's included. */
  private async publishRevoked(userId: string, sessionIds: string[]): Promise<void> {
    if (sessionIds.length === 0) return;
    await this.changes.publish('sessions.revoked', { userId, sessionIds });
  }
}
