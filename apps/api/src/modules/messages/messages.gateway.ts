import { UseFilters } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import {
  Ack,
  HistoryResponse,
  LoadConversationDto,
  MarkReadEventDto,
  MessageInfo,
  SendPrivateMessageDto,
  TypingDto,
} from '@natter/contracts';
import type { Socket } from 'socket.io';
import type { AuthUser } from '../../common/auth-user';
import { SocketEventHandler } from '../gateway/socket-event-handler';
import { SocketExceptionsFilter } from '../gateway/socket-exceptions.filter';
import { MessagesService } from './messages.service';
import { SendTurns } from './send-turns';

/**
 * Client events of the messaging feature. The acting user is always the socket's authenticated
 * user; ids in payloads only name the other party. Every handler is rate-limited per user.
 */
@WebSocketGateway()
@UseFilters(SocketExceptionsFilter)
export class MessagesGateway {
  private readonly sendTurns = new SendTurns();

  constructor(
    private readonly messages: MessagesService,
    private readonly events: SocketEventHandler,
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
            replyToId: dto.replyToId,
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
  ): Promise<Ack<HistoryResponse>> {
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

  /** Expiry, validation and error mapping shared by every event (rate limits: SocketEventGuard). */
  private handle<D extends object, R extends object>(
    socket: Socket,
    dto: new () => D,
    payload: unknown,
    run: (user: AuthUser, value: D) => Promise<Ack<R>>,
  ): Promise<Ack<R>> {
    return this.events.handle(socket, dto, payload, run);
  }
}
