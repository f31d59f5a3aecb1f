import { Logger, OnModuleInit, UseFilters } from '@nestjs/common';
import {
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import { Authenticator } from '../auth/authenticator';
import { RevokedSessions } from '../auth/revoked-sessions';
import { ChangeFeed } from '../change-feed/change-feed.service';
import { PresenceService } from './presence.service';
import { AppServer, RealtimeService, sessionRoom, userRoom } from './realtime.service';
import { SocketEventGuard } from './socket-event-guard';
import { SocketExceptionsFilter } from './socket-exceptions.filter';
import { socketUser } from './socket-user';
import { SocketTraffic } from './socket-traffic';

/**
 * Authenticates every socket at the handshake with the same Authenticator as HTTP, puts it in
 * its user's and session's rooms, tracks presence, and enforces token expiry and revocation.
 */
@WebSocketGateway()
@UseFilters(SocketExceptionsFilter)
export class ConnectionGateway
  implements OnModuleInit, OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect
{
  private readonly logger = new Logger(ConnectionGateway.name);
  private readonly expiryTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly authenticator: Authenticator,
    private readonly realtime: RealtimeService,
    private readonly presence: PresenceService,
    private readonly guard: SocketEventGuard,
    private readonly traffic: SocketTraffic,
    private readonly revoked: RevokedSessions,
    private readonly changes: ChangeFeed,
  ) {}

  /** Revoked anywhere (any process, the admin CLI): this process cuts its own sockets. */
  onModuleInit(): void {
    this.changes.subscribe('sessions.revoked', ({ sessionIds }) =>
      this.realtime.disconnectSessions(sessionIds),
    );
  }

  afterInit(server: AppServer): void {
    this.realtime.attach(server);
    server.use((socket, next) => {
      // A process that is shutting down takes no new sockets; the client retries elsewhere.
      if (this.traffic.isDraining) return next(new Error('shutting down'));
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      this.authenticator
        .authenticate(token)
        .then((user) => {
          socket.data.user = user;
          // Checked before every event: a memory lookup, no database read.
          socket.use((_packet, serve) => {
            if (this.revoked.has(user.sessionId) || user.expiresAt * 1000 <= Date.now()) {
              socket.disconnect(true);
              return;
            }
            serve();
          });
          next();
        })
        .catch(() => {
          next(new Error('unauthorized'));
          // Socket.IO would keep the refused connection open until its connect timeout.
          // The refusal is written on the next tick; close once it is (close waits for it
          // to drain).
          setImmediate(() => socket.conn.close());
        });
    });
  }

  async handleConnection(socket: Socket): Promise<void> {
    const user = socketUser(socket);
    if (!user) {
      socket.disconnect(true);
      return;
    }
    this.traffic.observe(socket);
    // Before the first await: no packet may reach a handler unscreened.
    this.guard.attach(socket);
    await socket.join([userRoom(user.userId), sessionRoom(user.sessionId)]);
    // Revoked between the handshake's session check and joining its room.
    if (this.revoked.has(user.sessionId)) {
      socket.disconnect(true);
      return;
    }
    // Not served past expiry: the client reconnects with a fresh token.
    const msLeft = Math.max(0, user.expiresAt * 1000 - Date.now());
    this.expiryTimers.set(
      socket.id,
      setTimeout(() => socket.disconnect(true), Math.min(msLeft, 2 ** 31 - 1)),
    );
    await this.presence
      .socketConnected(user.userId)
      .catch((error: Error) => this.logger.warn(error.message));
  }

  async handleDisconnect(socket: Socket): Promise<void> {
    clearTimeout(this.expiryTimers.get(socket.id));
    this.expiryTimers.delete(socket.id);
    const user = socketUser(socket);
    if (!user) return;
    await this.presence
      .socketDisconnected(user.userId)
      .catch((error: Error) => this.logger.warn(error.message));
  }
}
