import { INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type Redis from 'ioredis';
import type { IncomingMessage } from 'node:http';
import type { Server, ServerOptions } from 'socket.io';
import { AppConfig } from '../../config/app-config';
import { isAllowedOrigin } from '../../common/origin-policy';
import { Metrics } from '../metrics/metrics.service';
import { closeRedisClient, createRedisClient } from '../redis/redis.module';

/**
 * Socket.IO server settings: the same origin rule as HTTP, a bounded message size, and the
 * Redis adapter (when REDIS_URL is set) so that several API processes share rooms and fan-out.
 */
export class AppIoAdapter extends IoAdapter {
  private readonly logger = new Logger('Socket.IO');
  private readonly redisClients: Redis[] = [];

  private readonly metrics: Metrics;

  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
    this.metrics = app.get(Metrics);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const allowlist = this.config.corsOrigins;
    const server: Server = super.createIOServer(port, {
      ...options,
      transports: ['websocket', 'polling'],
      maxHttpBufferSize: this.config.env.SOCKET_MAX_PAYLOAD_BYTES,
      serveClient: false,
      cors: undefined,
      allowRequest: (
        request: IncomingMessage,
        callback: (err: string | null | undefined, success: boolean) => void,
      ) => {
        const origin = request.headers.origin;
        // Browsers always send Origin on WebSocket and cross-origin requests; non-browser
        // clients (no Origin) still have to present a valid token.
        const allowed =
          origin === undefined || isAllowedOrigin(origin, request.headers.host, allowlist);
        callback(allowed ? null : 'origin not allowed', allowed);
      },
    });
    const url = this.config.env.REDIS_URL;
    if (url) {
      const { metrics, logger } = this;
      const pub = handleCommandFailures(
        createRedisClient(url, 'socket-pub', { metrics }),
        'socket-pub',
        { logger, metrics },
      );
      const sub = handleCommandFailures(
        createRedisClient(url, 'socket-sub', { queueWhileDisconnected: true, metrics }),
        'socket-sub',
        { logger, metrics },
      );
      this.redisClients.push(pub, sub);
      server.adapter(
        createAdapter(pub, sub, {
          key: `${this.config.env.REDIS_KEY_PREFIX}socket.io`,
          requestsTimeout: 3000,
        }),
      );
      this.logger.log('Using the Redis adapter');
    }
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    await Promise.all(this.redisClients.map(closeRedisClient));
  }
}

/**
 * The Redis adapter fires publish/subscribe commands without handling their failure. While
 * Redis is down those promises reject, and an unhandled rejection would end the process.
 * Attach a handler so an outage only costs cross-process fan-out until Redis is back.
 */
function handleCommandFailures(
  client: Redis,
  name: string,
  { logger, metrics }: { logger: Logger; metrics: Metrics },
): Redis {
  for (const method of [
    'publish',
    'subscribe',
    'psubscribe',
    'unsubscribe',
    'punsubscribe',
  ] as const) {
    const original = (client[method] as (...args: unknown[]) => unknown).bind(client);
    (client as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      const result = original(...args);
      if (result instanceof Promise) {
        result.catch((error: Error) => {
          logger.warn(`Redis ${method} failed: ${error.message}`);
          metrics.redisError(name);
        });
      }
      return result;
    };
  }
  return client;
}
