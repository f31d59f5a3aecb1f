import type { CookieOptions, Request, Response } from 'express';

export const REFRESH_COOKIE = 'natter_refresh';
/** Scoped to the API: the cookie is only ever read by /api/refresh and /api/logout. */
const COOKIE_PATH = '/api';

function options(request: Request, expires?: Date): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'strict',
    // Secure wherever the request reached us over HTTPS (directly or via a trusted proxy).
    secure: request.secure,
    path: COOKIE_PATH,
    ...(expires ? { expires } : {}),
  };
}

export function setRefreshCookie(
  request: Request,
  response: Response,
  token: string,
  expires: Date,
): void {
  response.cookie(REFRESH_COOKIE, token, options(request, expires));
}

export function clearRefreshCookie(request: Request, response: Response): void {
  response.clearCookie(REFRESH_COOKIE, options(request));
}

export function readRefreshCookie(request: Request): unknown {
  return (request.cookies as Record<string, unknown> | undefined)?.[REFRESH_COOKIE];
}
