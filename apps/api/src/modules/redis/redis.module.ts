import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../../config/app-config';
import { Metrics } from '../metrics/metrics.service';

/** The shared Redis connection, or null when REDIS_URL is not set (single-process mode). */
export const REDIS = Symbol('REDIS');
export type RedisClient = Redis | null;

/** No Redis command waits longer than this; callers degrade as if Redis were down. */
export const REDIS_COMMAND_TIMEOUT_MS = 1000;
/** How often each client checks that Redis still answers. */
const STALL_CHECK_INTERVAL_MS = 1000;
const STALLS_BEFORE_RECONNECT = 2;

/** Emitted by a client made here when Redis answers again after failing or stalling. */
export const REDIS_RECOVERED = 'natter:recovered';

/**
 * Every command is bounded in time: a command timeout, one retry across a reconnect, and no
 * offline queue (`queueWhileDisconnected: false`: commands fail at once while Redis is
 * unreachable and callers degrade: rate limits count locally, fan-out stays local). Commands
 * that timed out are never resent after a reconnect: their callers have moved on.
 * Subscribers keep the queue so that their subscriptions are made as soon as Redis is back;
 * it holds only the adapter's few subscribe commands, so it stays small.
 *
 * A frozen Redis (connection open, no replies) raises no error by itself, and commands
 * written to it would pile up. A watchdog pings every second; two pings in a row that time
 * out drop the connection (rejecting whatever was in flight) and reconnect. The client emits
 * REDIS_RECOVERED when a ping succeeds again after a failure.
 */
export function createRedisClient(
  url: string,
  name: string,
  options: { keyPrefix?: string; queueWhileDisconnected?: boolean; metrics?: Metrics } = {},
): Redis {
  const logger = new Logger(`Redis:${name}`);
  const client = new Redis(url, {
    maxRetriesPerRequest: 1,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: 2000,
    // The watchdog decides when a connection works; a ready check (INFO) sent to a frozen
    // server would leave the client connecting forever.
    enableReadyCheck: false,
    autoResendUnfulfilledCommands: false,
    keyPrefix: options.keyPrefix,
    enableOfflineQueue: options.queueWhileDisconnected ?? false,
  });
  // Losing Redis must not crash the process: log and let ioredis reconnect.
  client.on('error', (error) => {
    logger.warn(`Redis error: ${error.message}`);
    options.metrics?.redisError(name);
  });
  watchForStalls(client, logger);
  return client;
}

function watchForStalls(client: Redis, logger: Logger): void {
  let state: 'unknown' | 'up' | 'down' = 'unknown';
  let checking = false;
  // One late answer may be this process's own event loop running behind (a busy CPU), not
  // Redis: the connection is dropped only after STALLS_BEFORE_RECONNECT in a row.
  let failuresInARow = 0;
  const markDown = () => {
    if (state === 'up') state = 'down';
  };
  client.on('close', markDown);
  const timer = setInterval(() => {
    if (checking || client.status !== 'ready') return;
    checking = true;
    client
      .ping()
      .then(
        () => {
          failuresInARow = 0;
          if (state === 'down') {
            logger.log('Redis answers again');
            client.emit(REDIS_RECOVERED);
          }
          state = 'up';
        },
        (error: Error) => {
          if (state !== 'down') logger.warn(`Redis stopped answering: ${error.message}`);
          markDown();
          if (state === 'unknown') state = 'down';
          failuresInARow += 1;
          if (failuresInARow >= STALLS_BEFORE_RECONNECT && client.status === 'ready') {
            failuresInARow = 0;
            client.disconnect(true);
          }
        },
      )
      .finally(() => {
        checking = false;
      });
  }, STALL_CHECK_INTERVAL_MS);
  timer.unref();
  client.once('end', () => clearInterval(timer));
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
