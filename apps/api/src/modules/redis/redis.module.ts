import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../../config/app-config';
import { Metrics } from '../metrics/metrics.service';

/** The shared Redis connection, or null when REDIS_URL is not set (single-process mode). */
export const REDIS = Symbol('REDIS');
export type RedisClient = Redis | null;

/**
 * `queueWhileDisconnected: false` makes commands fail at once while Redis is unreachable
 * (callers degrade: rate limits fail open, fan-out stays local) instead of making every
 * request wait for reconnection attempts. Subscribers keep the queue so that their
 * subscriptions are made as soon as Redis is back.
 */
export function createRedisClient(
  url: string,
  name: string,
  options: { keyPrefix?: string; queueWhileDisconnected?: boolean; metrics?: Metrics } = {},
): Redis {
  const logger = new Logger(`Redis:${name}`);
  const client = new Redis(url, {
    maxRetriesPerRequest: 2,
    keyPrefix: options.keyPrefix,
    enableOfflineQueue: options.queueWhileDisconnected ?? false,
  });
  // Losing Redis must not crash the process: log and let ioredis reconnect.
  client.on('error', (error) => {
    logger.warn(`Redis error: ${error.message}`);
    options.metrics?.redisError(name);
  });
  return client;
}

/** QUIT waits for Redis to answer, which never happens while it is down: then just drop it. */
export async function closeRedisClient(client: Redis): Promise<void> {
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  await client.quit().catch(() => client.disconnect());
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [AppConfig, Metrics],
      useFactory: (config: AppConfig, metrics: Metrics): RedisClient =>
        config.env.REDIS_URL
          ? createRedisClient(config.env.REDIS_URL, 'main', {
              keyPrefix: config.env.REDIS_KEY_PREFIX,
              metrics,
            })
          : null,
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: RedisClient) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.redis) await closeRedisClient(this.redis);
  }
}
