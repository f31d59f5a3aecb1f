import { Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { AppConfig } from '../../../config/app-config';

const VERSION = 'v1';

/**
 * Encrypts small secrets at rest with AES-256-GCM under DATA_ENCRYPTION_KEY. The owner's id is
 * authenticated data, so a ciphertext copied onto another user's record does not decrypt.
 * Stored form: `v1.<iv>.<tag>.<ciphertext>` (base64url).
 */
@Injectable()
export class SecretCipher {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    this.key = config.dataEncryptionKey;
  }

  encrypt(plain: string, ownerId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(ownerId));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), body]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /** Null when the value was not made by this key for this owner (or is corrupt). */
  decrypt(stored: string, ownerId: string): string | null {
    const [version, iv, tag, body] = stored.split('.');
    if (version !== VERSION || !iv || !tag || body === undefined) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(ownerId));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(body, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      return null;
    }
  }

  /**
   * A keyed hash (HMAC-SHA256 under a key derived for this purpose): without the data key, a
   * stolen database does not let anyone test guesses of a recovery code offline.
   */
  keyedHash(purpose: string, value: string): string {
    const purposeKey = createHmac('sha256', this.key).update(`natter:${purpose}`).digest();
    return createHmac('sha256', purposeKey).update(value).digest('base64url');
  }
}
