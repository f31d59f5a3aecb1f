import { INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type Redis from 'ioredis';
import type { IncomingMessage } from 'node:http';
import type { Server, ServerOptions } from 'socket.io';
import { AppConfig } from '../../config/app-config';
import { isAllowedOrigin } from '../../common/origin-policy';
import { Metrics } from '../metrics/metrics.service';
import {
  closeRedisClient,
  createRedisClient,
  REDIS_COMMAND_TIMEOUT_MS,
  REDIS_RECOVERED,
} from '../redis/redis.module';
import type { AppServer } from './realtime.service';

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
      // A client that opens a connection must complete the Socket.IO handshake promptly
      // (refused handshakes are closed at once by ConnectionGateway).
      connectTimeout: 10_000,
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
      const sub = rememberSubscriptions(
        handleCommandFailures(
          createRedisClient(url, 'socket-sub', { queueWhileDisconnected: true, metrics }),
          'socket-sub',
          { logger, metrics },
        ),
      );
      this.redisClients.push(pub, sub);
      server.adapter(
        createAdapter(pub, sub, {
          key: `${this.config.env.REDIS_KEY_PREFIX}socket.io`,
          // Cluster-wide questions (presence) give up quickly while Redis is hung.
          requestsTimeout: 2 * REDIS_COMMAND_TIMEOUT_MS,
        }),
      );
      tellClientsToResync(server, pub, sub, this.logger);
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

/**
 * While Redis was failing or hung, messages published to other processes were lost (they are
 * stored, and were acked, but not delivered live). When a connection of the adapter answers
 * again, the clients that may have missed something are told to catch up, as they do after
 * a reconnect of their own:
 * - the subscriber recovered: this process missed what others published, so its own
 *   sockets resync;
 * - the publisher recovered: others missed what this process published, so every socket in
 *   the cluster resyncs (the subscribers are back by then in a full outage; in a partial one
 *   only this process lost its link).
 * Clients coalesce the resyncs of one outage into one catch-up.
 */
function tellClientsToResync(server: Server, pub: Redis, sub: Redis, logger: Logger): void {
  const app = server as unknown as AppServer;
  const event = { reason: 'redis-recovered' } as const;
  sub.on(REDIS_RECOVERED, () => {
    // Resubscribed first, so that nothing published after the clients' catch-up is missed.
    void resubscribe(sub).finally(() => {
      logger.log('Redis subscriber recovered: local clients resync');
      app.local.emit('resync', event);
    });
  });
  pub.on(REDIS_RECOVERED, () => {
    logger.log('Redis publisher recovered: every client resyncs');
    app.emit('resync', event);
  });
}

const SUBSCRIPTIONS = Symbol('subscriptions');
type Subscriptions = { channels: Set<string>; patterns: Set<string> };
type Subscriber = Redis & { [SUBSCRIPTIONS]?: Subscriptions };

/**
 * ioredis resubscribes after a reconnect only to what Redis had confirmed; when it reconnects
 * to a frozen Redis, its resubscription is never confirmed, and a second reconnect forgets the
 * adapter's channels for good. So they are remembered here and subscribed again whenever the
 * client recovers (subscribing twice is harmless).
 */
function rememberSubscriptions(client: Redis): Redis {
  const subscriptions: Subscriptions = { channels: new Set(), patterns: new Set() };
  (client as Subscriber)[SUBSCRIPTIONS] = subscriptions;
  for (const [method, names] of [
    ['subscribe', subscriptions.channels],
    ['psubscribe', subscriptions.patterns],
  ] as const) {
    const original = (client[method] as (...args: unknown[]) => unknown).bind(client);
    (client as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      for (const name of args.flat()) if (typeof name === 'string') names.add(name);
      return original(...args);
    };
  }
  return client;
}

async function resubscribe(client: Redis): Promise<void> {
  const subscriptions = (client as Subscriber)[SUBSCRIPTIONS];
  if (!subscriptions) return;
  await Promise.allSettled([
    subscriptions.channels.size ? client.subscribe(...subscriptions.channels) : undefined,
    subscriptions.patterns.size ? client.psubscribe(...subscriptions.patterns) : undefined,
  ]);
}
