import { RECOVERY_CODE_COUNT } from '@natter/contracts';
import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** Ten codes like `k3mzq-7vbxa`: 50 random bits each, easy to read and type. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = [...randomBytes(10)].map((byte) => ALPHABET[byte % 32]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** The form that is hashed: lower case, no dash (people type them either way). */
export const normalizeRecoveryCode = (code: string): string => code.toLowerCase().replace(/-/g, '');
