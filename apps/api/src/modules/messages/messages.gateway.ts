import { HttpException, Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import {
  Ack,
  ErrorCode,
  LoadConversationDto,
  MarkReadEventDto,
  MessageInfo,
  SendPrivateMessageDto,
  TypingDto,
} from '@natter/contracts';
import type { Socket } from 'socket.io';
import type { AuthUser } from '../../common/auth-user';
import { AppConfig } from '../../config/app-config';
import { ackError, parsePayload } from '../gateway/socket-payload';
import { SocketRateLimiter } from '../gateway/socket-rate-limiter';
import { isTokenExpired, socketUser } from '../gateway/socket-user';
import { MessagesService } from './messages.service';
import { SendTurns } from './send-turns';

/** A socket that keeps sending this many times its limit after being refused is cut off. */
const FLOOD_DISCONNECT_FACTOR = 3;

/**
 * Client events of the messaging feature. The acting user is always the socket's authenticated
 * user; ids in payloads only name the other party. Every handler is rate-limited per user.
 */
@WebSocketGateway()
export class MessagesGateway {
  private readonly logger = new Logger(MessagesGateway.name);
  private readonly sendTurns = new SendTurns();

  constructor(
    private readonly messages: MessagesService,
    private readonly limiter: SocketRateLimiter,
    private readonly config: AppConfig,
  ) {}

  @SubscribeMessage('send_private_message')
  onSend(
    @ConnectedSocket() socket: Socket,
    @MessageBody() payload: unknown,
  ): Promise<Ack<{ message: MessageInfo }>> {
    // The turn is taken before anything asynchronous, so this socket's sends are admitted (and
    // therefore stored and delivered) in emission order; the ack still waits for storage.
    const turn = this.sendTurns.take(socket.id);
    const ack = this.handle(socket, SendPrivateMessageDto, payload, async (user, dto) => {
      let admitted: { stored: Promise<MessageInfo> };
      try {
        await turn.ready;
        admitted = await this.messages.admit(
          user.userId,
          {
            recipientId: dto.recipientId,
            clientId: dto.clientId,
            content: { type: 'text', text: dto.text },
          },
          socket.id,
        );
      } finally {
        turn.release();
      }
      return { ok: true, message: await admitted.stored };
    });
    // Refused before admission (rate limit, invalid payload): the next send goes ahead.
    void ack.finally(() => turn.release());
    return ack;
  }

  @SubscribeMessage('load_conversation')
  onLoad(
    @ConnectedSocket() socket: Socket,
    @MessageBody() payload: unknown,
  ): Promise<Ack<{ messages: MessageInfo[]; hasMore: boolean }>> {
    return this.handle(socket, LoadConversationDto, payload, async (user, dto) => {
      const page = await this.messages.history(user.userId, dto.contactId, { before: dto.before });
      socket.emit('conversation_loaded', { contactId: dto.contactId, ...page });
      return { ok: true, ...page };
    });
  }

  @SubscribeMessage('mark_read')
  onMarkRead(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown): Promise<Ack> {
    return this.handle(socket, MarkReadEventDto, payload, async (user, dto) => {
      await this.messages.markRead(user.userId, dto.contactId, dto.seq);
      return { ok: true };
    });
  }

  @SubscribeMessage('typing')
  onTyping(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown): Promise<Ack> {
    return this.handle(socket, TypingDto, payload, async (user, dto) => {
      await this.messages.typing(user.userId, dto.contactId, dto.isTyping);
      return { ok: true };
    });
  }

  /** Expiry, rate limit, validation and error mapping shared by every event. */
  private async handle<D extends object, R extends object>(
    socket: Socket,
    dto: new () => D,
    payload: unknown,
    run: (user: AuthUser, value: D) => Promise<Ack<R>>,
  ): Promise<Ack<R>> {
    const user = socketUser(socket);
    if (!user || isTokenExpired(user)) {
      socket.disconnect(true);
      return ackError(ErrorCode.UNAUTHORIZED, 'Session expired');
    }
    if (!(await this.limiter.consume(user.userId))) {
      this.countRefusal(socket);
      return ackError(ErrorCode.RATE_LIMITED, 'Too many events; slow down');
    }
    const parsed = parsePayload(dto, payload);
    if (!parsed.ok) return parsed;
    try {
      return await run(user, parsed.value);
    } catch (error) {
      if (error instanceof HttpException) {
        const body = error.getResponse() as { code?: ErrorCode; message?: string };
        return ackError(body.code ?? ErrorCode.INTERNAL, String(body.message ?? error.message));
      }
      // Name and code only: a message (or its text) never reaches the logs.
      const { name, code } = error as Error & { code?: unknown };
      this.logger.error(
        `Socket event failed: ${name}${code === undefined ? '' : ` (${String(code)})`}`,
      );
      return ackError(ErrorCode.INTERNAL, 'Something went wrong');
    }
  }

  private countRefusal(socket: Socket): void {
    const data = socket.data as { refusedEvents?: number };
    data.refusedEvents = (data.refusedEvents ?? 0) + 1;
    const { limit } = this.config.rate('SOCKET_EVENTS');
    if (data.refusedEvents >= (FLOOD_DISCONNECT_FACTOR - 1) * limit) socket.disconnect(true);
  }
}
