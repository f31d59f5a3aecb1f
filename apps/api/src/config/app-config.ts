import { resolve } from 'node:path';
import type { EnvironmentVariables } from './env.schema';
import { loadOrCreateDataKey, loadOrCreateJwtSecret } from './jwt-secret';

export interface RateLimit {
  limit: number;
  windowMs: number;
}

/** Typed, validated configuration. Everything else reads settings through this class. */
export class AppConfig {
  readonly jwtSecret: string;
  private dataKey: Buffer | null = null;

  constructor(readonly env: EnvironmentVariables) {
    this.jwtSecret = env.JWT_SECRET ?? loadOrCreateJwtSecret(this.dataDir);
  }

  /** 32 bytes for AES-256-GCM (data at rest); generated on first use outside production. */
  get dataEncryptionKey(): Buffer {
    this.dataKey ??= Buffer.from(
      this.env.DATA_ENCRYPTION_KEY ?? loadOrCreateDataKey(this.dataDir),
      'hex',
    );
    return this.dataKey;
  }

  get isProduction(): boolean {
    return this.env.NODE_ENV === 'production';
  }
  get dataDir(): string {
    return resolve(this.env.DATA_DIR);
  }
  get corsOrigins(): string[] {
    return this.env.CORS_ORIGINS.split(',')
      .map((origin) => origin.trim().replace(/\/$/, ''))
      .filter(Boolean);
  }
  /** The windows for editing and deleting one's own messages, in milliseconds. */
  get messageEditWindowMs(): number {
    return this.env.MESSAGE_EDIT_WINDOW_SECONDS * 1000;
  }
  get messageDeleteWindowMs(): number {
    return this.env.MESSAGE_DELETE_WINDOW_SECONDS * 1000;
  }
  rate(
    name:
      | 'LOGIN_IP'
      | 'LOGIN_USERNAME'
      | 'SIGNUP_IP'
      | 'API_USER'
      | 'SOCKET_EVENTS'
      | 'UPLOADS'
      | 'TWO_FACTOR_USER',
  ): RateLimit {
    const env = this.env as unknown as Record<string, number>;
    return {
      limit: env[`RATE_${name}_LIMIT`],
      windowMs: env[`RATE_${name}_WINDOW_SECONDS`] * 1000,
    };
  }
}
