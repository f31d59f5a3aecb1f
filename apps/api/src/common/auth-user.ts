import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';

/** Who is acting: resolved from a verified access token and a live session. */
export interface AuthUser {
  userId: string;
  sessionId: string;
  username: string;
  /** Access token expiry, seconds since the epoch. */
  expiresAt: number;
}

export const IS_PUBLIC = 'natter:isPublic';
/** Marks a route that needs no access token. Everything else requires one. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthUser => {
    return context.switchToHttp().getRequest<{ user: AuthUser }>().user;
  },
);
