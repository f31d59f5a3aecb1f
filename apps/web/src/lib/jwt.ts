/** Reads (never verifies) the claims of a JWT; the server is the one that trusts it. */
export function decodeJwtClaims(token: string): Record<string, unknown> | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
    const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
    const binary = atob(padded);
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The session id, if the API puts one in the access token (`sid`, by convention). */
export function sessionIdFromToken(token: string | null): string | null {
  if (!token) return null;
  const claims = decodeJwtClaims(token);
  for (const name of ['sid', 'sessionId', 'session']) {
    const value = claims?.[name];
    if (typeof value === 'string' && value) return value;
  }
  return null;
}
