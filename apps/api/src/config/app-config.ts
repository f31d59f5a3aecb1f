import { resolve } from 'node:path';
import type { EnvironmentVariables } from './env.schema';
import { loadOrCreateJwtSecret } from './jwt-secret';

export interface RateLimit {
  limit: number;
  windowMs: number;
}

/** Typed, validated configuration. Everything else reads settings through this class. */
export class AppConfig {
  readonly jwtSecret: string;

  constructor(readonly env: EnvironmentVariables) {
    this.jwtSecret = env.JWT_SECRET ?? loadOrCreateJwtSecret(this.dataDir);
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
  rate(
    name: 'LOGIN_IP' | 'LOGIN_USERNAME' | 'SIGNUP_IP' | 'API_USER' | 'SOCKET_EVENTS' | 'UPLOADS',
  ): RateLimit {
    const env = this.env as unknown as Record<string, number>;
    return {
      limit: env[`RATE_${name}_LIMIT`],
      windowMs: env[`RATE_${name}_WINDOW_SECONDS`] * 1000,
    };
  }
}
