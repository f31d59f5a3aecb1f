import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { LastMessageSummary } from '@natter/contracts';
import {
  AccountDeletingEvent,
  ConversationDeletedEvent,
  DomainEvent,
  DomainEventPublisher,
  InjectDomainEvents,
  OnDomainEvent,
} from '../../common/domain-events';
import {
  ConversationRecord,
  ConversationsRepository,
  LastMessageRecord,
} from './conversations.repository';
import { MessagesRepository } from './messages.repository';
import { PreviewFilter } from './actions/preview';
import { SummaryWriter } from './summary-writer';

/** How much of a text message the contacts list preview carries. */
export const PREVIEW_LENGTH = 120;

/**
 * How long after deleting a conversation its messages are swept once more. Longer than the
 * change feed needs to reach every process (about a second) plus an insert in flight there,
 * so that a send admitted elsewhere just before the removal reached that process is gone too.
 */
export const SWEEP_DELAY_MS = 5_000;

export interface ConversationSummary {
  unreadCount: number;
  lastMessage: LastMessageSummary | null;
}

export function toLastMessageSummary(message: LastMessageRecord): LastMessageSummary {
  const summary: LastMessageSummary = {
    seq: message.seq,
    senderId: message.senderId,
    type: message.type,
    createdAt: message.createdAt.toISOString(),
  };
  if (message.deleted) summary.deleted = true;
  else if (message.type === 'text' && message.text !== null)
    summary.text = message.text.slice(0, PREVIEW_LENGTH);
  return summary;
}

/**
 * Conversations as the rest of the API sees them: one per pair of contacts, created when they
 * become contacts, deleted with the contact or an account. The contacts list reads their
 * denormalised summaries (see summariesFor) and never the messages.
 */
@Injectable()
export class ConversationsService implements OnApplicationShutdown {
  private readonly logger = new Logger(ConversationsService.name);
  private readonly sweeps = new Map<string, { timer: NodeJS.Timeout; run: () => Promise<void> }>();

  constructor(
    private readonly conversations: ConversationsRepository,
    private readonly messages: MessagesRepository,
    @InjectDomainEvents() private readonly events: DomainEventPublisher,
    private readonly preview: PreviewFilter,
    private readonly summaries: SummaryWriter,
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

  /**
   * Per contact: how many of their messages `userId` has not read, and the newest message, in
   * two bounded reads whatever the history holds: the conversations (their summaries carry
   * lastSeq, the last message and each participant's received count) and `userId`'s read
   * positions (each with the received count at the read position). Unread = received now −
   * received at the read position: the contact's messages only, never your own (SPEC's
   * "seq − lastReadSeq" would count those too). Both counts are derived from the gap-free
   * numbering of the messages (MessageCommitter), and each document only ever moves forward
   * by conditional, read-back writes, so the count is exact on FerretDB too. The summaries
   * this process has not written yet are merged in, so the list is never behind what this
   * process delivered; one delivered by another process shows within SUMMARY_INTERVAL_MS.
   */
  async summariesFor(
    userId: string,
    contactIds: string[],
  ): Promise<Map<string, ConversationSummary>> {
    const result = new Map<string, ConversationSummary>();
    for (const contactId of contactIds)
      result.set(contactId, { unreadCount: 0, lastMessage: null });
    const conversations = (await this.conversations.findForPairs(userId, contactIds)).map(
      (conversation) => this.summaries.current(conversation),
    );
    if (conversations.length === 0) return result;
    const positions = await this.conversations.readPositions(
      userId,
      conversations.map((c) => c.id),
    );
    const reader = userId.toLowerCase();
    // What this viewer hid and what was deleted unread (message actions): two bounded reads.
    const overlay = await this.preview.overlayFor(reader, conversations);
    await Promise.all(
      conversations.map(async (conversation) => {
        const contactId = conversation.participantIds.find((id) => id !== reader) ?? userId;
        const position = positions.get(conversation.id) ?? { lastReadSeq: 0, receivedAtRead: 0 };
        const received = conversation.received?.[reader];
        const unreadCount =
          received !== undefined && position.receivedAtRead !== null
            ? Math.max(0, received - position.receivedAtRead)
            : conversation.lastSeq > position.lastReadSeq
              ? // Data from before the counts existed: counted over its messages, once per view.
                await this.messages.countUnreadLegacy(conversation.id, reader, position.lastReadSeq)
              : 0;
        const lastMessage = await overlay.visibleLast(conversation);
        result.set(contactId, {
          unreadCount: Math.max(
            0,
            unreadCount - overlay.deletedUnread(conversation.id, position.lastReadSeq),
          ),
          lastMessage: lastMessage ? toLastMessageSummary(lastMessage) : null,
        });
      }),
    );
    return result;
  }

  @OnDomainEvent(DomainEvent.AccountDeleting, { promisify: true })
  async onAccountDeleting(event: AccountDeletingEvent): Promise<void> {
    const conversations = await this.conversations.findByParticipant(event.userId);
    for (const conversation of conversations) await this.deleteConversation(conversation);
    // Anything left behind by a conversation deleted halfway earlier.
    await this.messages.deleteByParticipant(event.userId);
    await this.conversations.deleteReadStatesOfUser(event.userId);
  }

  /** Runs the sweeps still waiting, so a clean shutdown leaves no stray message behind. */
  async onApplicationShutdown(): Promise<void> {
    const pending = [...this.sweeps.values()];
    this.sweeps.clear();
    for (const sweep of pending) clearTimeout(sweep.timer);
    await Promise.all(pending.map((sweep) => sweep.run()));
  }

  private async deleteConversation(conversation: ConversationRecord): Promise<void> {
    // The conversation document goes first: from then on no process can find the pair's
    // conversation, so no new send is admitted into it.
    await this.conversations.deleteById(conversation.id);
    await this.purge(conversation);
    this.scheduleSweep(conversation);
  }

  /**
   * A send admitted on another process before the removal reached it (within a second) may
   * still store a message under the deleted id after the purge above. Nobody can read it (the
   * id is unreachable; contacts made again get a new conversation), and this second purge,
   * once the removal has reached every process, deletes it. A process stopped before its
   * sweep leaves such a message unreadable until the account's deletion removes it.
   */
  private scheduleSweep(conversation: ConversationRecord): void {
    const run = async () => {
      this.sweeps.delete(conversation.id);
      await this.purge(conversation).catch((error: Error) =>
        this.logger.warn(`Conversation sweep failed: ${error.name}`),
      );
    };
    const timer = setTimeout(() => void run(), SWEEP_DELAY_MS);
    timer.unref();
    this.sweeps.set(conversation.id, { timer, run });
  }

  private async purge(conversation: ConversationRecord): Promise<void> {
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
