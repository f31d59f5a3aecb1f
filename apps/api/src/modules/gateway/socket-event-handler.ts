import { HttpException, Injectable, Logger } from '@nestjs/common';
import { Ack, ErrorCode } from '@natter/contracts';
import type { Socket } from 'socket.io';
import { classify } from '../../common/all-exceptions.filter';
import type { AuthUser } from '../../common/auth-user';
import { ackError, parsePayload } from './socket-payload';
import { isTokenExpired, socketUser } from './socket-user';

const CODE_BY_STATUS: Partial<Record<number, ErrorCode>> = {
  400: ErrorCode.VALIDATION_FAILED,
  404: ErrorCode.NOT_FOUND,
  503: ErrorCode.SERVICE_UNAVAILABLE,
};

/**
 * What every client event handler does around its own work: refuse an expired session,
 * validate the payload with the contract DTO, and turn any failure into an error ack. Nothing
 * thrown here or in `run` escapes: every path answers the ack, and no answer repeats the
 * payload. (Rate limits and payload depth are checked earlier, for every packet, by
 * SocketEventGuard.)
 */
@Injectable()
export class SocketEventHandler {
  private readonly logger = new Logger('SocketEvents');

  async handle<D extends object, R extends object>(
    socket: Socket,
    dto: new () => D,
    payload: unknown,
    run: (user: AuthUser, value: D) => Promise<Ack<R>>,
  ): Promise<Ack<R>> {
    try {
      const user = socketUser(socket);
      if (!user || isTokenExpired(user)) {
        socket.disconnect(true);
        return ackError(ErrorCode.UNAUTHORIZED, 'Session expired');
      }
      const parsed = parsePayload(dto, payload);
      if (!parsed.ok) return parsed;
      return await run(user, parsed.value);
    } catch (error) {
      return this.toAck(error);
    }
  }

  private toAck(error: unknown): Ack<never> {
    if (error instanceof HttpException) {
      const body = error.getResponse() as { code?: ErrorCode; message?: string };
      return ackError(body.code ?? ErrorCode.INTERNAL, String(body.message ?? error.message));
    }
    const { status, message } = classify(error);
    const code = CODE_BY_STATUS[status];
    if (code) return ackError(code, String(message));
    // Name and code only: a message (or its text) never reaches the logs.
    const { name, code: errorCode } = (error ?? {}) as Error & { code?: unknown };
    this.logger.error(
      `Socket event failed: ${String(name)}${errorCode === undefined ? '' : ` (${String(errorCode)})`}`,
    );
    return ackError(ErrorCode.INTERNAL, 'Something went wrong');
  }
}
