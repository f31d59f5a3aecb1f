import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import {
  ErrorCode,
  HISTORY_PAGE_DEFAULT,
  HistoryResponse,
  IMAGE_CAPTION_MAX_LENGTH,
  MESSAGE_TEXT_MAX_LENGTH,
  MessageInfo,
} from '@natter/contracts';
import { ApiException } from '../../common/api-exception';
import { RealtimeService } from '../gateway/realtime.service';
import { ConversationsRepository } from './conversations.repository';
import { ConversationsService, PREVIEW_LENGTH } from './conversations.service';
import { MessageSequencer } from './message-sequencer';
import { MessageRecord, MessagesRepository } from './messages.repository';
import { MessagingAccess } from './messaging-access';

export type SendContent =
  | { type: 'text'; text: string }
  | {
      type: 'image';
      image: { mediaId: string; width: number; height: number };
      /** Caption (already trimmed by the upload DTO; absent or empty means none). */
      text?: string;
    };

const notAContact = () =>
  new ApiException(HttpStatus.NOT_FOUND, ErrorCode.NOT_A_CONTACT, 'Not one of your contacts');

export interface SendInput {
  recipientId: string;
  clientId: string;
  content: SendContent;
}

export interface HistoryOptions {
  before?: number;
  after?: number;
  limit?: number;
}

export function toMessageInfo(message: MessageRecord): MessageInfo {
  const info: MessageInfo = {
    id: message.id,
    conversationId: message.conversationId,
    seq: message.seq,
    senderId: message.senderId,
    recipientId: message.recipientId,
    type: message.type,
    clientId: message.clientId,
    createdAt: message.createdAt.toISOString(),
  };
  if (message.type === 'text') info.text = message.text ?? '';
  else if (message.text) info.text = message.text; // an image's caption
  if (message.image) {
    const { mediaId, width, height } = message.image;
    info.image = {
      id: mediaId,
      width,
      height,
      url: `/api/media/${mediaId}`,
      thumbnailUrl: `/api/media/${mediaId}/thumbnail`,
    };
  }
  return info;
}

/**
 * Sending, history, read state and typing. Message text is never logged: errors are reported
 * by name and code only.
 */
@Injectable()
export class MessagesService {
  private readonly logger = new Logger(MessagesService.name);
  private readonly sequencer: MessageSequencer;

  constructor(
    private readonly messages: MessagesRepository,
    private readonly conversationsRepository: ConversationsRepository,
    private readonly conversations: ConversationsService,
    private readonly access: MessagingAccess,
    private readonly realtime: RealtimeService,
  ) {
    this.sequencer = new MessageSequencer(messages);
  }

  /**
   * Authorises, stores (idempotently per sender and clientId) and then delivers a message.
   * Resolves only once the message is stored; a resend resolves with the stored message.
   */
  async send(senderId: string, input: SendInput, originSocketId?: string): Promise<MessageInfo> {
    const content = normaliseContent(input.content);
    await this.assertMayWrite(senderId, input.recipientId);
    // The conversation is made when the two become contacts; a send never re-creates one that
    // a removal or block has just deleted.
    const conversation = await this.conversations.findBetween(senderId, input.recipientId);
    if (!conversation) throw notAContact();
    const { message, created } = await this.sequencer.save({
      conversationId: conversation.id,
      senderId,
      recipientId: input.recipientId,
      type: content.type,
      text: content.text ?? null,
      image: content.type === 'image' ? content.image : null,
      clientId: input.clientId,
    });
    const info = toMessageInfo(message);
    if (!created) return info;
    // Deleting a conversation removes the conversation document first and its messages after.
    // So if it is gone now, this insert raced the deletion and may have missed it: undo it.
    if (!(await this.conversationsRepository.exists(conversation.id))) {
      await this.messages.deleteById(message.id);
      throw notAContact();
    }
    this.logger.debug(
      `Stored message ${message.id} (seq ${message.seq}) in conversation ${message.conversationId}`,
    );
    await this.conversationsRepository
      .advanceSummary(message.conversationId, {
        seq: message.seq,
        senderId,
        type: message.type,
        text: message.text === null ? null : message.text.slice(0, PREVIEW_LENGTH),
        createdAt: message.createdAt,
      })
      .catch((error: Error & { code?: number }) =>
        this.logger.warn(`Summary update failed: ${error.name} ${error.code ?? ''}`),
      );
    this.realtime.emitToUser(message.recipientId, 'new_message', { message: info });
    if (originSocketId)
      this.realtime.emitToUserExcept(senderId, originSocketId, 'new_message', { message: info });
    else this.realtime.emitToUser(senderId, 'new_message', { message: info });
    this.realtime.emitToUser(senderId, 'message_sent', { message: info });
    return info;
  }

  /**
   * A page of history, oldest first. With `after`: the messages after that seq (catch-up after a
   * reconnect); otherwise the newest ones before `before` (scrolling back).
   */
  async history(
    userId: string,
    contactId: string,
    options: HistoryOptions = {},
  ): Promise<HistoryResponse> {
    await this.assertContact(userId, contactId);
    const conversation = await this.conversations.findBetween(userId, contactId);
    if (!conversation) return { messages: [], hasMore: false, peerLastReadSeq: 0 };
    const limit = options.limit ?? HISTORY_PAGE_DEFAULT;
    const peerLastReadSeq = await this.conversationsRepository.lastReadSeq(
      conversation.id,
      contactId,
    );
    if (options.after !== undefined) {
      const rows = await this.messages.pageForward(
        conversation.id,
        options.after,
        options.before,
        limit + 1,
      );
      return {
        messages: rows.slice(0, limit).map(toMessageInfo),
        hasMore: rows.length > limit,
        peerLastReadSeq,
      };
    }
    const rows = await this.messages.pageBackward(conversation.id, options.before, limit + 1);
    return {
      messages: rows.slice(0, limit).reverse().map(toMessageInfo),
      hasMore: rows.length > limit,
      peerLastReadSeq,
    };
  }

  /**
   * Raises the reader's lastReadSeq (never lowers it, never past the newest message), then tells
   * the reader's tabs their unread count and the other side a read receipt.
   */
  async markRead(readerId: string, contactId: string, seq: number): Promise<void> {
    await this.assertContact(readerId, contactId);
    const conversation = await this.conversations.findBetween(readerId, contactId);
    let lastReadSeq = 0;
    let unreadCount = 0;
    if (conversation) {
      const latest = await this.messages.latestSeq(conversation.id);
      const target = Math.min(seq, latest);
      lastReadSeq =
        target > 0
          ? await this.conversationsRepository.raiseLastReadSeq(conversation.id, readerId, target)
          : await this.conversationsRepository.lastReadSeq(conversation.id, readerId);
      const unread = await this.messages.countUnread(
        readerId,
        new Map([[conversation.id, lastReadSeq]]),
      );
      unreadCount = unread.get(conversation.id) ?? 0;
    }
    this.realtime.emitToUser(readerId, 'unread_updated', { contactId, unreadCount, lastReadSeq });
    this.realtime.emitToUser(contactId, 'message_read', {
      contactId: readerId,
      readerId,
      seq: lastReadSeq,
    });
  }

  /** Relays a typing indicator to a contact (never across a block). */
  async typing(userId: string, contactId: string, isTyping: boolean): Promise<void> {
    await this.assertMayWrite(userId, contactId);
    this.realtime.emitToUser(contactId, 'typing', { userId, isTyping });
  }

  private async assertMayWrite(senderId: string, recipientId: string): Promise<void> {
    if (senderId !== recipientId && (await this.access.isBlockedEitherWay(senderId, recipientId))) {
      throw new ApiException(
        HttpStatus.FORBIDDEN,
        ErrorCode.BLOCKED,
        'You cannot message this user',
      );
    }
    await this.assertContact(senderId, recipientId);
  }

  private async assertContact(userId: string, contactId: string): Promise<void> {
    if (userId === contactId || !(await this.access.areContacts(userId, contactId))) {
      throw notAContact();
    }
  }
}

/** Second line of defence behind the DTOs (the media module calls send() directly). */
function normaliseContent(content: SendContent): SendContent {
  if (content.type === 'text') {
    const text = typeof content.text === 'string' ? content.text.trim() : '';
    if (text.length < 1 || text.length > MESSAGE_TEXT_MAX_LENGTH) {
      throw new ApiException(
        HttpStatus.BAD_REQUEST,
        ErrorCode.VALIDATION_FAILED,
        `text must be 1–${MESSAGE_TEXT_MAX_LENGTH} characters`,
      );
    }
    return { type: 'text', text };
  }
  const { mediaId, width, height } = content.image;
  const caption = typeof content.text === 'string' ? content.text.trim() : '';
  if (caption.length > IMAGE_CAPTION_MAX_LENGTH) {
    throw new ApiException(
      HttpStatus.BAD_REQUEST,
      ErrorCode.VALIDATION_FAILED,
      `text must be at most ${IMAGE_CAPTION_MAX_LENGTH} characters`,
    );
  }
  return {
    type: 'image',
    image: { mediaId, width, height },
    ...(caption ? { text: caption } : {}),
  };
}
