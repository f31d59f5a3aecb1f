import { Injectable, Logger } from '@nestjs/common';
import { ErrorCode } from '@natter/contracts';
import type { Socket } from 'socket.io';
import { inputShapeProblem } from '../../common/input-shape';
import { AppConfig } from '../../config/app-config';
import { ackError } from './socket-payload';
import { SocketRateLimiter } from './socket-rate-limiter';
import { socketUser } from './socket-user';

/** A socket that keeps sending this many times its limit after being refused is cut off. */
export const FLOOD_DISCONNECT_FACTOR = 3;

type Ack = (response: unknown) => void;

/**
 * Screens every incoming packet of a socket before any handler sees it, known events and
 * unknown ones alike: it counts the packet against the user's rate limit (cutting off a
 * socket that keeps flooding), refuses payloads nested too deep or too wide, and answers
 * events no handler listens to. A refused packet gets an error ack (when it asked for one)
 * that never repeats the payload, and goes no further.
 *
 * Packets go on to their handlers in the order they arrived, so a slow counter (Redis)
 * never lets a later event overtake an earlier one.
 */
@Injectable()
export class SocketEventGuard {
  private readonly logger = new Logger(SocketEventGuard.name);

  constructor(
    private readonly limiter: SocketRateLimiter,
    private readonly config: AppConfig,
  ) {}

  attach(socket: Socket): void {
    let released: Promise<void> = Promise.resolve();
    socket.use((packet, next) => {
      // Screened at once (counters are asked in parallel), let through in arrival order.
      const verdict = this.screen(socket, packet);
      released = released.then(async () => {
        if (await verdict) next();
      });
    });
  }

  /** Whether the packet may go on to its handler; a refusal is answered here. Never rejects. */
  async screen(socket: Socket, packet: unknown[]): Promise<boolean> {
    const last = packet[packet.length - 1];
    const ack = typeof last === 'function' ? (last as Ack) : undefined;
    const refuse = (code: ErrorCode, message: string) => {
      try {
        ack?.(ackError(code, message));
      } catch {
        // The socket is gone; nothing left to tell.
      }
      return false;
    };
    try {
      const user = socketUser(socket);
      if (!user) return refuse(ErrorCode.UNAUTHORIZED, 'Not signed in');
      if (!(await this.limiter.consume(user.userId))) {
        this.countRefusal(socket);
        return refuse(ErrorCode.RATE_LIMITED, 'Too many events; slow down');
      }
      const [event, ...args] = ack ? packet.slice(0, -1) : packet;
      const problem = inputShapeProblem(args);
      if (problem) return refuse(ErrorCode.VALIDATION_FAILED, `Event payload ${problem}`);
      if (typeof event !== 'string' || socket.listeners(event).length === 0) {
        return refuse(ErrorCode.NOT_FOUND, 'Unknown event');
      }
      return true;
    } catch (error) {
      this.logger.error(`Could not screen a socket event: ${(error as Error)?.name}`);
      return refuse(ErrorCode.INTERNAL, 'Something went wrong');
    }
  }

  private countRefusal(socket: Socket): void {
    const data = socket.data as { refusedEvents?: number };
    data.refusedEvents = (data.refusedEvents ?? 0) + 1;
    const { limit } = this.config.rate('SOCKET_EVENTS');
    if (data.refusedEvents >= (FLOOD_DISCONNECT_FACTOR - 1) * limit) socket.disconnect(true);
  }
}
