import type { LastMessageSummary } from '@natter/contracts';

/**
 * What the social graph needs from the messaging module's ConversationsService. Injected by
 * token so the rules can be unit-tested with a fake and the module wiring stays in one place.
 */
export interface ConversationsPort {
  ensureConversation(userA: string, userB: string): Promise<{ id: string }>;
  /** Deletes the pair's conversation with its messages and media. */
  deleteConversationBetween(userA: string, userB: string): Promise<void>;
  summariesFor(
    userId: string,
    contactIds: string[],
  ): Promise<Map<string, { unreadCount: number; lastMessage: LastMessageSummary | null }>>;
}

export const CONVERSATIONS = Symbol('CONVERSATIONS');
