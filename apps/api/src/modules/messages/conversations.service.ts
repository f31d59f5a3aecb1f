import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import type { LastMessageSummary } from '@natter/contracts';
import {
  AccountDeletingEvent,
  ConversationDeletedEvent,
  DomainEvent,
} from '../../common/domain-events';
import { ConversationRecord, ConversationsRepository } from './conversations.repository';
import { MessageRecord, MessagesRepository } from './messages.repository';

/** How much of a text message the contacts list preview carries. */
export const PREVIEW_LENGTH = 120;

export interface ConversationSummary {
  unreadCount: number;
  lastMessage: LastMessageSummary | null;
}

export function toLastMessageSummary(message: MessageRecord): LastMessageSummary {
  const summary: LastMessageSummary = {
    seq: message.seq,
    senderId: message.senderId,
    type: message.type,
    createdAt: message.createdAt.toISOString(),
  };
  if (message.type === 'text' && message.text !== null)
    summary.text = message.text.slice(0, PREVIEW_LENGTH);
  return summary;
}

/**
 * Conversations as the rest of the API sees them: one per pair of contacts, created when they
 * become contacts, deleted with the contact or an account. Unread counts and last messages are
 * derived from the messages themselves, so they stay exact on servers that may lose a
 * concurrent update to one document.
 */
@Injectable()
export class ConversationsService {
  private readonly logger = new Logger(ConversationsService.name);

  constructor(
    private readonly conversations: ConversationsRepository,
    private readonly messages: MessagesRepository,
    private readonly events: EventEmitter2,
  ) {}

  /** Idempotent: one conversation per pair, whoever calls first and however often. */
  async ensureConversation(userA: string, userB: string): Promise<{ id: string }> {
    const conversation = await this.conversations.ensure(userA, userB);
    return { id: conversation.id };
  }

  findBetween(userA: string, userB: string): Promise<ConversationRecord | null> {
    return this.conversations.findBetween(userA, userB);
  }

  /** Deletes the pair's conversation and every message in it, for both sides. */
  async deleteConversationBetween(userA: string, userB: string): Promise<void> {
    const conversation = await this.conversations.findBetween(userA, userB);
    if (conversation) await this.deleteConversation(conversation);
  }

  /** Per contact: how many of their messages `userId` has not read, and the newest message. */
  async summariesFor(
    userId: string,
    contactIds: string[],
  ): Promise<Map<string, ConversationSummary>> {
    const result = new Map<string, ConversationSummary>();
    for (const contactId of contactIds)
      result.set(contactId, { unreadCount: 0, lastMessage: null });
    const conversations = await this.conversations.findForPairs(userId, contactIds);
    if (conversations.length === 0) return result;
    const readSeqs = await this.conversations.lastReadSeqs(
      userId,
      conversations.map((c) => c.id),
    );
    const readSeqByConversation = new Map(
      conversations.map((c) => [c.id, readSeqs.get(c.id) ?? 0]),
    );
    const [unread, latest] = await Promise.all([
      this.messages.countUnread(userId, readSeqByConversation),
      Promise.all(conversations.map((c) => this.messages.latest(c.id))),
    ]);
    conversations.forEach((conversation, index) => {
      const contactId = conversation.participantIds.find((id) => id !== userId) ?? userId;
      const last = latest[index];
      result.set(contactId, {
        unreadCount: unread.get(conversation.id) ?? 0,
        lastMessage: last ? toLastMessageSummary(last) : null,
      });
    });
    return result;
  }

  @OnEvent(DomainEvent.AccountDeleting, { promisify: true })
  async onAccountDeleting(event: AccountDeletingEvent): Promise<void> {
    const conversations = await this.conversations.findByParticipant(event.userId);
    for (const conversation of conversations) await this.deleteConversation(conversation);
    // Anything left behind by a conversation deleted halfway earlier.
    await this.messages.deleteByParticipant(event.userId);
    await this.conversations.deleteReadStatesOfUser(event.userId);
  }

  private async deleteConversation(conversation: ConversationRecord): Promise<void> {
    // The conversation document goes first: a send that races this deletion checks for it
    // after storing, and undoes its message when it is gone (MessagesService.send).
    await this.conversations.deleteById(conversation.id);
    await this.messages.deleteByConversation(conversation.id);
    const event: ConversationDeletedEvent = {
      conversationId: conversation.id,
      participantIds: conversation.participantIds,
    };
    // Awaited so the media files are gone when the caller reports success.
    await this.events.emitAsync(DomainEvent.ConversationDeleted, event).catch((error: Error) => {
      this.logger.warn(`A ConversationDeleted handler failed: ${error.name}`);
    });
  }
}
