import { TOTP_DIGITS, TOTP_PERIOD_SECONDS } from '@natter/contracts';
import { generateSecret, generateURI, verify } from 'otplib';

/** RFC 6238 through otplib: SHA-1, 6 digits, 30-second steps, one step of drift either way. */
const TOTP_OPTIONS = {
  algorithm: 'sha1',
  digits: TOTP_DIGITS,
  period: TOTP_PERIOD_SECONDS,
} as const;

export const ISSUER = 'Natter';

/** A new random secret (20 bytes, as authenticator apps expect), base32. */
export const newTotpSecret = (): string => generateSecret({ length: 20 });

export const otpauthUri = (secret: string, username: string): string =>
  generateURI({ issuer: ISSUER, label: username, secret, ...TOTP_OPTIONS });

/** The time step the code belongs to when it is valid now (±1 step), otherwise null. */
export async function matchTotp(secret: string, code: string): Promise<number | null> {
  const result = await verify({
    secret,
    token: code,
    epochTolerance: TOTP_PERIOD_SECONDS,
    ...TOTP_OPTIONS,
  });
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}
