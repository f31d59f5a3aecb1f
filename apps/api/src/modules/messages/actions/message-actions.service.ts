import { HttpStatus, Injectable } from '@nestjs/common';
import {
  DeleteScope,
  ErrorCode,
  isSingleEmoji,
  MESSAGE_TEXT_MAX_LENGTH,
  MessageInfo,
} from '@natter/contracts';
import { ApiException } from '../../../common/api-exception';
import {
  ConversationDeletedEvent,
  DomainEvent,
  DomainEventPublisher,
  InjectDomainEvents,
  MessageDeletedEvent,
  OnDomainEvent,
} from '../../../common/domain-events';
import { AppConfig } from '../../../config/app-config';
import { RealtimeService } from '../../gateway/realtime.service';
import type { MessageRecord } from '../messages.repository';
import { ActionAccess } from './action-access';
import { ChangeLogRepository } from './change-log.repository';
import { MessageActionsRepository } from './message-actions.repository';
import { MessageView } from './message-view';
import { SummaryReviser } from './summary-reviser';

const messageNotFound = () =>
  new ApiException(HttpStatus.NOT_FOUND, ErrorCode.MESSAGE_NOT_FOUND, 'Message not found');
const messageDeleted = () =>
  new ApiException(HttpStatus.CONFLICT, ErrorCode.MESSAGE_DELETED, 'This message was deleted');
const otherParticipant = (message: MessageRecord, userId: string) =>
  message.senderId === userId ? message.recipientId : message.senderId;

/**
 * Edit, delete (for everyone or for me) and react: one service behind the REST routes and the
 * socket events, so both paths share every rule. Each action writes its state first, then a
 * change-log entry (what `changes` replays), then tells the sockets concerned.
 */
@Injectable()
export class MessageActionsService {
  constructor(
    private readonly repository: MessageActionsRepository,
    private readonly changeLog: ChangeLogRepository,
    private readonly view: MessageView,
    private readonly access: ActionAccess,
    private readonly realtime: RealtimeService,
    @InjectDomainEvents() private readonly events: DomainEventPublisher,
    private readonly config: AppConfig,
    private readonly summaries: SummaryReviser,
  ) {}

  /** Replaces the text of your own text message within the edit window. Same text twice: no-op. */
  async edit(userId: string, messageId: string, rawText: string): Promise<MessageInfo> {
    const message = await this.authorised(userId, messageId, 'sender');
    if (message.type !== 'text')
      throw new ApiException(
        HttpStatus.BAD_REQUEST,
        ErrorCode.NOT_A_TEXT_MESSAGE,
        'Only text messages can be edited',
      );
    if (message.deletedAt) throw messageDeleted();
    const text = typeof rawText === 'string' ? rawText.trim() : '';
    if (text.length < 1 || text.length > MESSAGE_TEXT_MAX_LENGTH)
      throw new ApiException(
        HttpStatus.BAD_REQUEST,
        ErrorCode.VALIDATION_FAILED,
        `text must be 1–${MESSAGE_TEXT_MAX_LENGTH} characters`,
      );
    if (text === message.text) return this.view.presentOne(message);
    if (Date.now() - message.createdAt.getTime() > this.config.messageEditWindowMs)
      throw new ApiException(
        HttpStatus.FORBIDDEN,
        ErrorCode.EDIT_WINDOW_PASSED,
        'This message can no longer be edited',
      );
    await this.repository.setText(message.id, text, new Date());
    // A deletion racing this edit may have had its tombstone overwritten: its mark says so.
    const deletedAt = await this.repository.deletionAt(message.id);
    if (deletedAt) {
      await this.repository.setDeleted(message.id, deletedAt);
      throw messageDeleted();
    }
    return this.announce(message, { revisePreview: true });
  }

  async delete(userId: string, messageId: string, scope: DeleteScope): Promise<void> {
    if (scope === 'me') return this.hide(userId, messageId);
    return this.deleteForEveryone(userId, messageId);
  }

  /** Sets (replaces) your reaction, or removes it with `emoji: null`. The same reaction twice: no-op. */
  async react(userId: string, messageId: string, emoji: string | null): Promise<MessageInfo> {
    if (emoji !== null && !isSingleEmoji(emoji))
      throw new ApiException(
        HttpStatus.BAD_REQUEST,
        ErrorCode.VALIDATION_FAILED,
        'emoji must be a single emoji',
      );
    const message = await this.authorised(userId, messageId, 'participant');
    if (message.deletedAt) {
      if (emoji === null) return this.view.presentOne(message);
      throw messageDeleted();
    }
    const current = (await this.repository.reactionsOf([message.id])).find(
      (reaction) => reaction.userId === userId,
    );
    if ((current?.emoji ?? null) === emoji) return this.view.presentOne(message);
    if (emoji === null) await this.repository.removeReaction(message.id, userId);
    else await this.repository.setReaction(message.conversationId, message.id, userId, emoji);
    return this.announce(message);
  }

  @OnDomainEvent(DomainEvent.ConversationDeleted, { promisify: true })
  async onConversationDeleted(event: ConversationDeletedEvent): Promise<void> {
    await Promise.all([
      this.repository.deleteByConversation(event.conversationId),
      this.changeLog.deleteByConversation(event.conversationId),
    ]);
  }

  /** Tombstones your own message within the delete window; its image files are deleted. Idempotent. */
  private async deleteForEveryone(userId: string, messageId: string): Promise<void> {
    const message = await this.authorised(userId, messageId, 'sender');
    if (message.deletedAt) return;
    if (Date.now() - message.createdAt.getTime() > this.config.messageDeleteWindowMs)
      throw new ApiException(
        HttpStatus.FORBIDDEN,
        ErrorCode.DELETE_WINDOW_PASSED,
        'This message can no longer be deleted for everyone',
      );
    const deletedAt = new Date();
    // The mark first: an edit finishing after the tombstone was written still finds it.
    await this.repository.markDeletion(message, deletedAt);
    await this.repository.setDeleted(
      message.id,
      (await this.repository.deletionAt(message.id)) ?? deletedAt,
    );
    await this.repository.removeReactionsOf(message.id);
    const event: MessageDeletedEvent = {
      messageId: message.id,
      conversationId: message.conversationId,
      participantIds: [message.senderId, message.recipientId],
      mediaId: message.image?.mediaId ?? null,
    };
    // Awaited: the image files are gone from storage when the caller reports success.
    await this.events.emitAsync(DomainEvent.MessageDeleted, event);
    await this.announce(message, { revisePreview: true });
  }

  /** Hides a message from one participant on every device. Idempotent. */
  private async hide(userId: string, messageId: string): Promise<void> {
    const message = await this.authorised(userId, messageId, 'participant');
    await this.repository.hide(message, userId);
    // Logged even when it was hidden already, so a retry after a failure halfway completes it.
    await this.changeLog.append(message.conversationId, {
      messageId: message.id,
      kind: 'hidden',
      userId,
    });
    this.realtime.emitToUser(userId, 'message_hidden', {
      contactId: otherParticipant(message, userId),
      messageId: message.id,
    });
  }

  /**
   * Only the two participants, only while they are contacts, never across a block: asked
   * through MessagingAccess, exactly as the send path asks.
   */
  private async authorised(
    userId: string,
    messageId: string,
    role: 'sender' | 'participant',
  ): Promise<MessageRecord> {
    const message = await this.repository.findMessage(messageId);
    const isParticipant =
      !!message && (message.senderId === userId || message.recipientId === userId);
    if (!message || !isParticipant || (role === 'sender' && message.senderId !== userId))
      throw messageNotFound();
    await this.access.assertMayAct(
      userId,
      otherParticipant(message, userId),
      message.conversationId,
    );
    return message;
  }

  /** Logs the change, then sends the message's current state to every socket that shows it. */
  private async announce(
    before: MessageRecord,
    options: { revisePreview?: boolean } = {},
  ): Promise<MessageInfo> {
    await this.changeLog.append(before.conversationId, { messageId: before.id, kind: 'updated' });
    const current = (await this.repository.findMessage(before.id)) ?? before;
    // Edits and deletions of the newest message show in the contacts preview.
    if (options.revisePreview) await this.summaries.revise(current);
    const info = await this.view.presentOne(current);
    const hiders = new Set(await this.repository.hiddenBy(current.id));
    const audience = [current.senderId, current.recipientId].filter((id) => !hiders.has(id));
    this.realtime.emitToUsers(audience, 'message_updated', { message: info });
    return info;
  }
}
