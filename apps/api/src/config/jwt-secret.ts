/* eslint-disable security/detect-non-literal-fs-filename -- the path is DATA_DIR from configuration, never from a request */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Outside production, a missing secret is generated once and kept in the data directory
 * (mode 0600) so that it survives restarts. There is never a hard-coded fallback.
 */
function loadOrCreateLocalSecret(
  dataDir: string,
  fileName: string,
  create: () => string,
  isUsable: (secret: string) => boolean,
): string {
  const file = join(dataDir, fileName);
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (isUsable(secret)) return secret;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = create();
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}

/** The JWT signing secret (DATA_DIR/jwt-secret). */
export function loadOrCreateJwtSecret(dataDir: string): string {
  return loadOrCreateLocalSecret(
    dataDir,
    'jwt-secret',
    () => randomBytes(48).toString('base64url'),
    (secret) => secret.length >= 32,
  );
}

/** 32 bytes as 64 hex digits: the form DATA_ENCRYPTION_KEY takes. */
export const DATA_KEY_PATTERN = /^[0-9a-fA-F]{64}$/;

/** The key that encrypts data at rest such as TOTP secrets (DATA_DIR/data-encryption-key). */
export function loadOrCreateDataKey(dataDir: string): string {
  return loadOrCreateLocalSecret(
    dataDir,
    'data-encryption-key',
    () => randomBytes(32).toString('hex'),
    (key) => DATA_KEY_PATTERN.test(key),
  );
}
