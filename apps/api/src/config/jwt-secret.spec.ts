import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateDataKey, loadOrCreateJwtSecret } from './jwt-secret';

describe(loadOrCreateJwtSecret.name, () => {
  it('generates a random secret once, readable only by its owner, and reuses it', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'natter-secret-')), 'data');
    const first = loadOrCreateJwtSecret(dir);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(statSync(join(dir, 'jwt-secret')).mode & 0o777).toBe(0o600);
    expect(loadOrCreateJwtSecret(dir)).toBe(first);
    expect(
      loadOrCreateJwtSecret(join(mkdtempSync(join(tmpdir(), 'natter-secret-')), 'data')),
    ).not.toBe(first);
  });

  it('replaces a file too short to be a real secret', () => {
    const dir = mkdtempSync(join(tmpdir(), 'natter-secret-'));
    writeFileSync(join(dir, 'jwt-secret'), 'weak\n');
    const secret = loadOrCreateJwtSecret(dir);
    expect(secret).not.toBe('weak');
    expect(readFileSync(join(dir, 'jwt-secret'), 'utf8').trim()).toBe(secret);
  });
});

describe(loadOrCreateDataKey.name, () => {
  it('generates a 256-bit key once, readable only by its owner, and reuses it', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'natter-key-')), 'data');
    const first = loadOrCreateDataKey(dir);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(dir, 'data-encryption-key')).mode & 0o777).toBe(0o600);
    expect(loadOrCreateDataKey(dir)).toBe(first);
  });

  it('replaces a file that does not hold a key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'natter-key-'));
    writeFileSync(join(dir, 'data-encryption-key'), 'not-a-key\n');
    expect(loadOrCreateDataKey(dir)).toMatch(/^[0-9a-f]{64}$/);
  });
});
