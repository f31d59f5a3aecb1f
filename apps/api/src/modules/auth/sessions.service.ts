import { HttpStatus, Injectable } from '@nestjs/common';
import { ErrorCode, PublicUser, SessionInfo } from '@natter/contracts';
import { ApiException } from '../../common/api-exception';
import type { AuthUser } from '../../common/auth-user';
import { AppConfig } from '../../config/app-config';
import { AuditService } from '../audit/audit.service';
import { ChangeFeed } from '../change-feed/change-feed.service';
import { UsersRepository } from '../users/users.repository';
import { AccessTokens } from './access-tokens';
import { ClientInfo, invalidRefresh, IssuedSession } from './auth.types';
import {
  createRefreshSecret,
  formatRefreshToken,
  hashRefreshSecret,
  parseRefreshToken,
  sameHash,
} from './refresh-token';
import { isLive, SessionRecord, SessionsRepository } from './sessions.repository';

/**
 * Sessions and their refresh tokens: starting one, rotating its refresh token (a rotated-away
 * token presented again revokes the whole session), listing and ending them. Every revocation
 * reaches every API process, which disconnects that session's sockets.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly users: UsersRepository,
    private readonly tokens: AccessTokens,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly changes: ChangeFeed,
  ) {}

  async start(user: PublicUser, client: ClientInfo): Promise<IssuedSession> {
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
      accessToken: await this.tokens.sign(user.id, sessionId),
      refreshToken: formatRefreshToken(sessionId, secret),
      refreshExpiresAt,
    };
  }

  async refresh(
    rawToken: unknown,
  ): Promise<{ accessToken: string; refreshToken: string; refreshExpiresAt: Date }> {
    const parsed = parseRefreshToken(rawToken);
    if (!parsed) throw invalidRefresh();
    const now = new Date();
    const session = await this.sessions.findById(parsed.sessionId);
    if (!session || !isLive(session, now)) throw invalidRefresh();

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
      accessToken: await this.tokens.sign(user.id, session.id),
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

  async list(auth: AuthUser): Promise<SessionInfo[]> {
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

  async revoke(auth: AuthUser, sessionId: string, ip: string): Promise<void> {
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

  /** Revokes every session of a user, except `keepSessionId` when given; returns how many. */
  async revokeAll(
    userId: string,
    reason = 'revoked_by_admin',
    keepSessionId: string | null = null,
  ): Promise<number> {
    const ids = await this.sessions.revokeAllExcept(userId, keepSessionId, reason, new Date());
    await this.publishRevoked(userId, ids);
    return ids.length;
  }

  /** Removes a user's sessions for good (account deletion, after revokeAll). */
  deleteAllFor(userId: string): Promise<void> {
    return this.sessions.deleteAllForUser(userId);
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
