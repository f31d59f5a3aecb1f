import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { AccessClaims, ACCESS_TOKEN_TYPE, unauthorized } from './auth.types';

/** A verified token as jsonwebtoken's `complete: true` returns it. */
export interface VerifiedToken {
  header: { typ?: string };
  payload: unknown;
}

/** Longer than any token this API signs: refused before any work is spent on it. */
export const MAX_ACCESS_TOKEN_LENGTH = 2048;

/** The options every access token is verified with, by passport-jwt (HTTP) and here (sockets). */
export const ACCESS_TOKEN_VERIFY_OPTIONS = {
  algorithms: ['HS256' as const],
  complete: true as const,
};

/**
 * Access tokens: short-lived HS256 JWTs of type `at+jwt` naming a user (`sub`) and a session
 * (`sid`). Each token is verified once per request: by passport-jwt on HTTP (JwtStrategy hands
 * the result to `claimsOf`), by `verify` on the socket handshake.
 */
@Injectable()
export class AccessTokens {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  sign(userId: string, sessionId: string): Promise<string> {
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

  /** Signature, pinned algorithm, expiry, type and claims; throws 401 otherwise. */
  verify(token: unknown): AccessClaims {
    if (!isPlausibleToken(token)) throw unauthorized();
    let verified: VerifiedToken;
    try {
      verified = this.jwt.verify<VerifiedToken>(token, ACCESS_TOKEN_VERIFY_OPTIONS);
    } catch {
      throw unauthorized();
    }
    return claimsOf(verified);
  }
}

export function isPlausibleToken(token: unknown): token is string {
  return typeof token === 'string' && token.length > 0 && token.length <= MAX_ACCESS_TOKEN_LENGTH;
}

/** The claims of a token whose signature and expiry were checked; throws 401 for any other kind. */
export function claimsOf(verified: VerifiedToken): AccessClaims {
  if (verified.header.typ !== ACCESS_TOKEN_TYPE) throw unauthorized();
  const claims = verified.payload as Partial<AccessClaims> | null;
  if (
    typeof claims?.sub !== 'string' ||
    typeof claims.sid !== 'string' ||
    typeof claims.exp !== 'number'
  ) {
    throw unauthorized();
  }
  return claims as AccessClaims;
}
