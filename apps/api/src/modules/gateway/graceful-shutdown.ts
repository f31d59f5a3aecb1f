import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import { RealtimeService } from './realtime.service';
import { SocketTraffic } from './socket-traffic';

/**
 * How long a shutdown waits for pending socket events: far above a normal send's few
 * milliseconds, and with the close bound below still under Docker's default 10 s stop grace
 * period (the compose files give 30 s).
 */
export const DRAIN_TIMEOUT_MS = 6000;
/** How long closing sockets may take to send what is queued for them (acks). */
const CLOSE_TIMEOUT_MS = 3000;

/**
 * SIGTERM (through Nest's shutdown hooks) under load: stop accepting connections, let the
 * events already received finish (every acknowledged message is stored by then), then close
 * every socket's transport so its client reconnects, through the proxy, to another process.
 * Nest closes the HTTP server, Redis and the database after this hook, in that order.
 */
@Injectable()
export class GracefulShutdown implements BeforeApplicationShutdown {
  private readonly logger = new Logger(GracefulShutdown.name);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly traffic: SocketTraffic,
    private readonly realtime: RealtimeService,
  ) {}

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    const started = Date.now();
    // New TCP connections are refused from here on; open ones (and their requests) go on.
    const httpServer = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (httpServer?.listening) httpServer.close();
    const pendingAtStart = this.traffic.pending;
    const { unanswered } = await this.traffic.drain(DRAIN_TIMEOUT_MS);
    // Waits for the queued packets to go out: Socket.IO's own close, which Nest runs next,
    // discards them.
    const closed = await this.realtime.closeLocalConnections(CLOSE_TIMEOUT_MS);
    if (signal || pendingAtStart > 0 || closed > 0) {
      this.logger.log(
        `Shutting down${signal ? ` on ${signal}` : ''}: ${pendingAtStart - unanswered} pending ` +
          `events finished, ${unanswered} unanswered, ${closed} sockets closed ` +
          `in ${Date.now() - started} ms`,
      );
    }
  }
}
