import { createHmac } from 'node:crypto';

/**
 * RFC 6238 written out with node:crypto, independent of the library the API uses, so a test
 * that signs in with these codes checks the API against the standard, not against itself.
 */
export function base32Decode(input: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of input.replace(/=+$/, '').toUpperCase()) {
    const value = alphabet.indexOf(char);
    if (value < 0) throw new Error(`not base32: ${char}`);
    bits += value.toString(2).padStart(5, '0');
  }
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** HOTP (RFC 4226) of one counter with HMAC-SHA1. */
export function hotp(key: Buffer, counter: number, digits = 6): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The 30-second step of a moment (seconds since the epoch). */
export const timeStep = (epochSeconds = Date.now() / 1000) => Math.floor(epochSeconds / 30);

/** The 6-digit TOTP of a base32 secret for a time step (default: now). */
export const totp = (base32Secret: string, step = timeStep()) =>
  hotp(base32Decode(base32Secret), step);

export const sleepMs = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A code the API accepts now (its window is the current step ±1) from a step not used yet for
 * this secret. Waits out the last seconds of a step, so the code cannot age out in flight.
 */
export async function freshCode(secret: string, usedSteps: Set<number>): Promise<string> {
  const secondsIntoStep = (Date.now() / 1000) % 30;
  if (secondsIntoStep > 27) await sleepMs((30.5 - secondsIntoStep) * 1000);
  const now = timeStep();
  const candidates = (Date.now() / 1000) % 30 > 3 ? [now + 1, now, now - 1] : [now + 1, now];
  const step = candidates.find((candidate) => !usedSteps.has(candidate));
  if (step === undefined) throw new Error('every step in the window is used');
  usedSteps.add(step);
  return totp(secret, step);
}

/** A six-digit code that is valid for none of the steps the API accepts now. */
export function wrongCode(secret: string): string {
  const now = timeStep();
  const valid = new Set([-2, -1, 0, 1, 2].map((delta) => totp(secret, now + delta)));
  return ['000000', '111111', '222222', '333333'].find((code) => !valid.has(code))!;
}
