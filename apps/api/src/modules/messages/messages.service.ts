// Over 300 lines: sending, history, read receipts and typing share one set of access checks
// and the conversation summary; split apart, each would repeat them.
import { BeforeApplicationShutdown, HttpStatus, Injectable, Logger } from '@nestjs/common';
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
import { ConversationRecord, ConversationsRepository } from './conversations.repository';
import { PREVIEW_LENGTH } from './conversations.service';
import { CommitStore, CommitterOverloadedError, MessageCommitter } from './message-committer';
import { MessageRecord, MessagesRepository, messageIdFor } from './messages.repository';
import { toMessageInfo } from './message-info';
import { MessageView, toReplyToInfo } from './actions/message-view';
import { MessagingAccess } from './messaging-access';
import { SummaryWriter } from './summary-writer';

export type SendContent =
  | { type: 'text'; text: string }
  | {
      type: 'image';
      image: { mediaId: string; width: number; height: number };
      /** Caption (already trimmed by the upload DTO; absent or empty means none). */
      text?: string;
    };

export interface SendInput {
  recipientId: string;
  clientId: string;
  content: SendContent;
  /** The message this one answers (same conversation, not deleted). */
  replyToId?: string;
}

export interface HistoryOptions {
  before?: number;
  after?: number;
  limit?: number;
}

// Lives beside the message view (replies and reactions decorate it); re-exported for callers.
export { toMessageInfo } from './message-info';

/**
 * Sending, history, read state and typing. Message text is never logged: errors are reported
 * by name and code only.
 *
 * A send has two phases. Admission (validate, authorise from the cached relationship facts,
 * hand the draft to the committer) is synchronous with respect to the caller's order: the
 * gateway runs one socket's admissions one after the other, so that socket's messages are
 * stored in emission order. Storage (group commit) runs concurrently with everything else;
 * the ack and the delivery wait for it, and the conversation summary follows behind them
 * (SummaryWriter).
 */
@Injectable()
export class MessagesService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(MessagesService.name);
  private readonly committer: MessageCommitter;

  constructor(
    private readonly messages: MessagesRepository,
    private readonly conversationsRepository: ConversationsRepository,
    private readonly access: MessagingAccess,
    private readonly realtime: RealtimeService,
    private readonly view: MessageView,
    private readonly summaries: SummaryWriter,
  ) {
    const store: CommitStore = {
      insertMany: (documents) => messages.insertMany(documents),
      findResent: (draft, everywhere) => messages.findResent(draft, everywhere),
      latestTail: async (conversationId, participantIds, source) =>
        (source === 'summary' && (await conversationsRepository.summaryTail(conversationId))) ||
        messages.latestTail(conversationId, participantIds),
    };
    this.committer = new MessageCommitter(store, {
      idFor: (draft) => messageIdFor(draft.senderId, draft.clientId),
    });
  }

  /** Writes the summaries still on their way before the database connection closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.summaries.flush();
  }

  /**
   * Authorises a message and queues it for storage. Resolves as soon as it is queued (so a
   * caller can admit the next one in order); `stored` resolves once it is stored (idempotently
   * per sender and clientId: a resend resolves with the stored message) and delivered.
   */
  async admit(
    senderId: string,
    input: SendInput,
    originSocketId?: string,
  ): Promise<{ stored: Promise<MessageInfo> }> {
    const content = normaliseContent(input.content);
    const recipientId = input.recipientId.toLowerCase();
    // Conversations are made when two users become contacts; a send never creates one.
    const { conversationId, admission } = await this.access.writable(senderId, recipientId);
    const original = input.replyToId
      ? await this.view.replyTarget(conversationId, input.replyToId)
      : null;
    const committed = this.committer.submit(
      {
        conversationId,
        senderId,
        recipientId,
        type: content.type,
        text: content.text ?? null,
        image: content.type === 'image' ? content.image : null,
        clientId: input.clientId,
        replyToId: original?.id ?? null,
      },
      admission,
    );
    const stored = committed.then(
      ({ message, created }) => this.afterCommit(message, created, originSocketId, original),
      (error: unknown) => {
        if (error instanceof CommitterOverloadedError)
          throw new ApiException(
            HttpStatus.SERVICE_UNAVAILABLE,
            ErrorCode.SERVICE_UNAVAILABLE,
            'Too many messages waiting; try again',
          );
        throw error;
      },
    );
    return { stored };
  }

  /** Admits and waits for storage (REST and media uploads, where no per-socket order applies). */
  async send(senderId: string, input: SendInput, originSocketId?: string): Promise<MessageInfo> {
    const { stored } = await this.admit(senderId, input, originSocketId);
    return stored;
  }

  /**
   * A message stored while its conversation was being deleted (a send admitted just before the
   * removal reached this process) lands in a conversation id that no longer exists: nobody can
   * read it (history goes through the pair's current conversation, and contacts made again get
   * a new one), its summary update matches nothing, and the deleting process sweeps such
   * messages again once every process has learnt of the removal (ConversationsService). It was
   * sent before the removal took effect, like any message whose history the removal deletes.
   */
  private async afterCommit(
    message: MessageRecord,
    created: boolean,
    originSocketId: string | undefined,
    original: MessageRecord | null,
  ): Promise<MessageInfo> {
    // A resend answers with the message as it is now (it may have been edited or reacted to).
    if (!created) return this.view.presentOne(message);
    const info = toMessageInfo(message);
    if (original) info.replyTo = toReplyToInfo(original);
    this.logger.debug(
      `Stored message ${message.id} (seq ${message.seq}) in conversation ${message.conversationId}`,
    );
    this.summaries.advance(message.conversationId, {
      last: {
        seq: message.seq,
        senderId: message.senderId,
        type: message.type,
        text: message.text === null ? null : message.text.slice(0, PREVIEW_LENGTH),
        createdAt: message.createdAt,
      },
      received: {
        [message.recipientId]: message.recipientReceivedCount ?? 0,
        [message.senderId]: message.senderReceivedCount ?? 0,
      },
    });
    const { senderId, recipientId } = message;
    this.realtime.emitToUser(recipientId, 'new_message', { message: info });
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
    const conversationId = await this.access.readable(userId, contactId);
    if (!conversationId) return { messages: [], hasMore: false, peerLastReadSeq: 0, cursor: '0.0' };
    const limit = options.limit ?? HISTORY_PAGE_DEFAULT;
    // The cursor is read before the page, so every change the page may have missed comes after it.
    const [peerLastReadSeq, cursor] = await Promise.all([
      this.conversationsRepository.lastReadSeq(conversationId, contactId),
      this.view.cursor(conversationId, () => this.messages.latestSeq(conversationId)),
    ]);
    const page = await this.view.visiblePage(userId, limit, (from) =>
      options.after !== undefined
        ? this.messages.pageForward(
            conversationId,
            from ?? options.after,
            options.before,
            limit + 1,
          )
        : this.messages.pageBackward(conversationId, from ?? options.before, limit + 1),
    );
    return {
      messages: await this.view.present(
        options.after !== undefined ? page.rows : page.rows.reverse(),
      ),
      hasMore: page.hasMore,
      peerLastReadSeq,
      cursor,
    };
  }

  /**
   * Raises the reader's read position (never lowers it, never past the newest stored message),
   * then tells the reader's tabs their unread count and the other side a read receipt. The
   * newest seq and the received count come from the conversation summary with this process's
   * pending summary merged in. A read past that summary (a message stored by another process
   * whose summary is still on its way) reads the message itself; so does a read up to an older
   * message.
   */
  async markRead(readerId: string, contactId: string, seq: number): Promise<void> {
    const conversationId = await this.access.readable(readerId, contactId);
    const found = conversationId
      ? await this.conversationsRepository.findById(conversationId)
      : null;
    let lastReadSeq = 0;
    let unreadCount = 0;
    if (found) {
      const reader = readerId.toLowerCase();
      const conversation = await this.beyondSummary(this.summaries.current(found), seq);
      const target = Math.min(seq, conversation.lastSeq);
      const receivedNow = conversation.received?.[reader] ?? null;
      let position = await this.conversationsRepository.readPosition(conversation.id, reader);
      if (target > position.lastReadSeq) {
        const received =
          target === conversation.lastSeq && receivedNow !== null
            ? receivedNow
            : await this.messages.receivedUpTo(conversation.id, reader, target);
        position = await this.conversationsRepository.raiseReadPosition(conversation.id, reader, {
          seq: target,
          received,
        });
      }
      lastReadSeq = position.lastReadSeq;
      unreadCount =
        receivedNow !== null && position.receivedAtRead !== null
          ? Math.max(0, receivedNow - position.receivedAtRead)
          : await this.messages.countUnreadLegacy(conversation.id, reader, lastReadSeq);
    }
    this.realtime.emitToUser(readerId, 'unread_updated', { contactId, unreadCount, lastReadSeq });
    this.realtime.emitToUser(contactId, 'message_read', {
      contactId: readerId,
      readerId,
      seq: lastReadSeq,
    });
  }

  /**
   * A read of a seq the summary does not reach yet: when that message is stored, the
   * conversation as of that message (its stored counts); otherwise the summary as it is.
   */
  private async beyondSummary(
    conversation: ConversationRecord,
    seq: number,
  ): Promise<ConversationRecord> {
    if (seq <= conversation.lastSeq) return conversation;
    const message = await this.messages.findBySeq(conversation.id, seq);
    if (!message || message.recipientReceivedCount === null || message.senderReceivedCount === null)
      return conversation;
    return {
      ...conversation,
      lastSeq: message.seq,
      received: {
        ...conversation.received,
        [message.recipientId]: message.recipientReceivedCount,
        [message.senderId]: message.senderReceivedCount,
      },
    };
  }

  /** Relays a typing indicator to a contact (never across a block). */
  async typing(userId: string, contactId: string, isTyping: boolean): Promise<void> {
    await this.access.writable(userId, contactId);
    this.realtime.emitToUser(contactId, 'typing', { userId, isTyping });
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
