import { UseFilters } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import {
  DeleteMessageAck,
  DeleteMessageEventDto,
  EditMessageAck,
  EditMessageEventDto,
  ReactAck,
  ReactEventDto,
} from '@natter/contracts';
import type { Socket } from 'socket.io';
import { SocketEventHandler } from '../../gateway/socket-event-handler';
import { SocketExceptionsFilter } from '../../gateway/socket-exceptions.filter';
import { MessageActionsService } from './message-actions.service';

/** Socket face of message actions: the same service, rules and error codes as the REST routes. */
@WebSocketGateway()
@UseFilters(SocketExceptionsFilter)
export class MessageActionsGateway {
  constructor(
    private readonly actions: MessageActionsService,
    private readonly events: SocketEventHandler,
  ) {}

  @SubscribeMessage('edit_message')
  onEdit(
    @ConnectedSocket() socket: Socket,
    @MessageBody() payload: unknown,
  ): Promise<EditMessageAck> {
    return this.events.handle(socket, EditMessageEventDto, payload, async (user, dto) => ({
      ok: true,
      message: await this.actions.edit(user.userId, dto.messageId, dto.text),
    }));
  }

  @SubscribeMessage('delete_message')
  onDelete(
    @ConnectedSocket() socket: Socket,
    @MessageBody() payload: unknown,
  ): Promise<DeleteMessageAck> {
    return this.events.handle(socket, DeleteMessageEventDto, payload, async (user, dto) => {
      await this.actions.delete(user.userId, dto.messageId, dto.for);
      return { ok: true };
    });
  }

  @SubscribeMessage('react')
  onReact(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown): Promise<ReactAck> {
    return this.events.handle(socket, ReactEventDto, payload, async (user, dto) => ({
      ok: true,
      message: await this.actions.react(user.userId, dto.messageId, dto.emoji),
    }));
  }
}
