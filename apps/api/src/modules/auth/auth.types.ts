import { HttpStatus } from '@nestjs/common';
import { AuthResponse, ErrorCode } from '@natter/contracts';
import type { Request } from 'express';
import { ApiException } from '../../common/api-exception';

export const ACCESS_TOKEN_TYPE = 'at+jwt';

export interface ClientInfo {
  ip: string;
  userAgent: string;
}

export const clientInfo = (request: Request): ClientInfo => ({
  ip: String(request.ip ?? ''),
  userAgent: String(request.headers['user-agent'] ?? ''),
});

export interface IssuedSession extends AuthResponse {
  refreshToken: string;
  refreshExpiresAt: Date;
}

export interface AccessClaims {
  sub: string;
  sid: string;
  jti: string;
  exp: number;
}

export const invalidCredentials = () =>
  new ApiException(
    HttpStatus.UNAUTHORIZED,
    ErrorCode.INVALID_CREDENTIALS,
    'Invalid username or password',
  );
export const invalidRefresh = () =>
  new ApiException(
    HttpStatus.UNAUTHORIZED,
    ErrorCode.INVALID_REFRESH_TOKEN,
    'Session expired; please sign in again',
  );
export const unauthorized = () =>
  new ApiException(HttpStatus.UNAUTHORIZED, ErrorCode.UNAUTHORIZED, 'Unauthorized');
