import type { IncomingHttpHeaders } from 'node:http';

/**
 * SPEC §2: a request whose Origin matches the host it was sent to is always allowed (whether
 * reached as localhost, 127.0.0.1 or a domain); other origins only when listed in CORS_ORIGINS.
 * The same rule guards cookie endpoints and the Socket.IO handshake.
 */
export function isAllowedOrigin(
  origin: string,
  host: string | undefined,
  allowlist: string[],
): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (host && parsed.host === host.toLowerCase()) return true;
  return allowlist.includes(parsed.origin);
}

/**
 * For cookie-authenticated endpoints: refuse requests a browser marks as cross-site. Requests
 * without Origin and Sec-Fetch-Site come from non-browser clients, which cannot be forged by a
 * third-party page, so they pass.
 */
export function isCrossSiteRequest(headers: IncomingHttpHeaders, allowlist: string[]): boolean {
  const origin = headers.origin;
  if (typeof origin === 'string' && origin !== 'null') {
    return !isAllowedOrigin(origin, headers.host, allowlist);
  }
  if (origin === 'null') return true;
  const fetchSite = headers['sec-fetch-site'];
  return typeof fetchSite === 'string' && !['same-origin', 'none'].includes(fetchSite);
}
