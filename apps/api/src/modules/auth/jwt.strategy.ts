import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig } from '../../config/app-config';
import type { AuthUser } from '../../common/auth-user';
import {
  ACCESS_TOKEN_VERIFY_OPTIONS,
  claimsOf,
  isPlausibleToken,
  VerifiedToken,
} from './access-tokens';
import { unauthorized } from './auth.types';
import { Authenticator } from './authenticator';

const extractBearer = ExtractJwt.fromAuthHeaderAsBearerToken();

/**
 * passport-jwt verifies the token (signature, pinned algorithm, expiry) once, with the header
 * (`complete`); the rest of the check (token type, live session, existing user) is the
 * Authenticator's, the same one the socket handshake uses.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AppConfig,
    private readonly authenticator: Authenticator,
  ) {
    super({
      jwtFromRequest: extractBearer,
      secretOrKey: config.jwtSecret,
      algorithms: ACCESS_TOKEN_VERIFY_OPTIONS.algorithms,
      jsonWebTokenOptions: { complete: ACCESS_TOKEN_VERIFY_OPTIONS.complete },
      ignoreExpiration: false,
      passReqToCallback: true,
    });
  }

  async validate(request: Request, verified: VerifiedToken): Promise<AuthUser> {
    if (!isPlausibleToken(extractBearer(request))) throw unauthorized();
    return this.authenticator.authenticateClaims(claimsOf(verified));
  }
}
