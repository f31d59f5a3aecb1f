import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../../config/app-config';

/** The shared Redis connection, or null when REDIS_URL is not set (single-process mode). */
export const REDIS = Symbol('REDIS');
export type RedisClient = Redis | null;

export function createRedisClient(url: string, name: string, keyPrefix?: string): Redis {
  const logger = new Logger(`Redis:${name}`);
  const client = new Redis(url, { maxRetriesPerRequest: 2, keyPrefix });
  // Losing Redis must not crash the process: log and let ioredis reconnect.
  client.on('error', (error) => logger.warn(`Redis error: ${error.message}`));
  return client;
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [AppConfig],
      useFactory: (config: AppConfig): RedisClient =>
        config.env.REDIS_URL ? createRedisClient(config.env.REDIS_URL, 'main', config.env.REDIS_KEY_PREFIX) : null,
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: RedisClient) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}
