import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig } from '../../config/app-config';
import type { AuthUser } from '../../common/auth-user';
import { AuthService } from './auth.service';

const extractBearer = ExtractJwt.fromAuthHeaderAsBearerToken();

/**
 * passport-jwt checks the signature, pinned algorithm and expiry; the full check (token type,
 * live session, existing user) is AuthService.authenticate, the same one the socket uses.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AppConfig,
    private readonly auth: AuthService,
  ) {
    super({
      jwtFromRequest: extractBearer,
      secretOrKey: config.jwtSecret,
      algorithms: ['HS256'],
      ignoreExpiration: false,
      passReqToCallback: true,
    });
  }

  validate(request: Request): Promise<AuthUser> {
    // passport keeps one process-wide strategy registry. When several app instances share a
    // process (the multi-process e2e suites), each request must still be checked by the
    // AuthService of the app that received it, which configureApp publishes on the Express app.
    const auth = (request.app?.locals?.authService as AuthService | undefined) ?? this.auth;
    return auth.authenticate(extractBearer(request));
  }
}
