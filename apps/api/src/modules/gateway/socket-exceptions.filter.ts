import { ArgumentsHost, Catch, Logger, WsExceptionFilter } from '@nestjs/common';
import { ErrorCode } from '@natter/contracts';
import { ackError } from './socket-payload';

/**
 * Replaces Nest's default WebSocket filter, which emits an `exception` event carrying the
 * event's payload back to the client (an attacker's deeply nested payload then overflows the
 * encoder outside any handler, and ends the process). This one answers the event's ack, if
 * it has one, with a bare INTERNAL error, and logs only the error's name.
 */
@Catch()
export class SocketExceptionsFilter implements WsExceptionFilter {
  private readonly logger = new Logger('SocketExceptions');

  catch(exception: unknown, host: ArgumentsHost): void {
    const name = exception instanceof Error ? exception.name : typeof exception;
    this.logger.error(`Socket event failed outside its handler: ${name}`);
    const ack = host.getArgs().find((arg: unknown) => typeof arg === 'function') as
      ((response: unknown) => void) | undefined;
    try {
      ack?.(ackError(ErrorCode.INTERNAL, 'Something went wrong'));
    } catch {
      // The socket is gone; nothing left to tell.
    }
  }
}
