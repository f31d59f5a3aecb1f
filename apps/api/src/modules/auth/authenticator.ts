import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../../common/auth-user';
import { UsersRepository } from '../users/users.repository';
import { AccessTokens } from './access-tokens';
import { AccessClaims, unauthorized } from './auth.types';
import { isLive, SessionsRepository } from './sessions.repository';

/**
 * The single place that turns an access token into an AuthUser, for HTTP (JwtStrategy, after
 * passport-jwt verified the token) and the Socket.IO handshake alike: the session must be
 * alive and the user must exist.
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly tokens: AccessTokens,
    private readonly sessions: SessionsRepository,
    private readonly users: UsersRepository,
  ) {}

  /**
   * Verifies an access token and that its session is alive; rejects with 401 otherwise (async:
   * a bad token is a rejected promise, never a synchronous throw, for the callers' `.then`).
   */
  async authenticate(token: unknown): Promise<AuthUser> {
    return this.authenticateClaims(this.tokens.verify(token));
  }

  /** For claims of a token already verified (AccessTokens.verify or passport-jwt + claimsOf). */
  async authenticateClaims(claims: AccessClaims): Promise<AuthUser> {
    const session = await this.sessions.findById(claims.sid);
    if (!session || session.userId !== claims.sub || !isLive(session, new Date()))
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
}
