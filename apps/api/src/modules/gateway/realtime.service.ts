import { Injectable, Logger } from '@nestjs/common';
import type {
  ClientToServerEvents,
  ServerEventName,
  ServerEventPayload,
  ServerToClientEvents,
} from '@natter/contracts';
import type { Server } from 'socket.io';
import { Metrics } from '../metrics/metrics.service';

export type AppServer = Server<ClientToServerEvents, ServerToClientEvents>;

export const userRoom = (userId: string) => `user:${userId}`;
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;

/**
 * The one way feature code talks to connected clients. Rooms make it cluster-wide: with the
 * Redis adapter, an emit to a user's room reaches their sockets on every API process.
 */
@Injectable()
export class RealtimeService {
  private readonly logger = new Logger(RealtimeService.name);
  private server: AppServer | null = null;

  constructor(private readonly metrics: Metrics) {}

  attach(server: AppServer): void {
    this.server = server;
  }

  emitToUser<E extends ServerEventName>(
    userId: string,
    event: E,
    payload: ServerEventPayload<E>,
  ): void {
    this.emitToRooms([userRoom(userId)], event, payload);
  }

  emitToUsers<E extends ServerEventName>(
    userIds: string[],
    event: E,
    payload: ServerEventPayload<E>,
  ): void {
    this.emitToRooms(userIds.map(userRoom), event, payload);
  }

  /** To a user's sockets except one (e.g. the sender's other tabs). */
  emitToUserExcept<E extends ServerEventName>(
    userId: string,
    exceptSocketId: string,
    event: E,
    payload: ServerEventPayload<E>,
  ): void {
    if (!this.server) return;
    this.metrics.delivered(event, 1);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    (this.server.to(userRoom(userId)).except(exceptSocketId) as any).emit(event, payload);
  }

  /**
   * Tells a session's sockets on this process why, then disconnects them. Local only: every
   * process runs it for itself when it learns of the revocation (change feed), Redis or not.
   */
  disconnectSessions(sessionIds: string[]): void {
    if (!this.server || sessionIds.length === 0) return;
    for (const sessionId of sessionIds) {
      this.server.local.to(sessionRoom(sessionId)).emit('session_revoked', { sessionId });
    }
    this.server.local.in(sessionIds.map(sessionRoom)).disconnectSockets(true);
  }

  /**
   * Closes the transport of every socket on this process without a disconnect packet, so the
   * clients see a dropped connection and reconnect (to another process, through the proxy).
   * Each transport first sends what is queued for it (acks included); resolves when all are
   * closed, or at the bound, with how many there were.
   */
  async closeLocalConnections(timeoutMs: number): Promise<number> {
    if (!this.server) return 0;
    const sockets = [...this.server.of('/').sockets.values()];
    const closed = sockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (socket.conn.readyState === 'closed') return resolve();
          socket.conn.once('close', () => resolve());
          socket.conn.close();
        }),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(closed),
      new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
    return sockets.length;
  }

  /** How many sockets a user has across the cluster. */
  async socketCount(userId: string): Promise<number> {
    if (!this.server) return 0;
    try {
      return (await this.server.in(userRoom(userId)).fetchSockets()).length;
    } catch (error) {
      this.logger.warn(`Could not count sockets: ${(error as Error).message}`);
      return 0;
    }
  }

  /** Which of these users have at least one socket anywhere in the cluster. */
  async onlineUserIds(userIds: string[]): Promise<Set<string>> {
    const online = new Set<string>();
    if (!this.server || userIds.length === 0) return online;
    try {
      // The Redis adapter answers for the whole cluster; the in-memory one knows its own rooms.
      const adapter = this.server.of('/').adapter as typeof this.server.sockets.adapter & {
        allRooms?: () => Promise<Set<string>>;
      };
      const rooms = adapter.allRooms ? await adapter.allRooms() : new Set(adapter.rooms.keys());
      for (const userId of userIds) if (rooms.has(userRoom(userId))) online.add(userId);
    } catch (error) {
      this.logger.warn(`Could not read presence: ${(error as Error).message}`);
    }
    return online;
  }

  private emitToRooms<E extends ServerEventName>(
    rooms: string[],
    event: E,
    payload: ServerEventPayload<E>,
  ): void {
    if (!this.server || rooms.length === 0) return;
    this.metrics.delivered(event, rooms.length);
    // The sender's confirmation goes out once per newly stored message (never for a resend).
    if (event === 'message_sent') this.metrics.messageStored();
    // Typed at the call sites through ServerEventPayload; socket.io's own overloads cannot
    // express a generic event name.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    (this.server.to(rooms) as any).emit(event, payload);
  }
}
