/**
 * Domain events published on the in-process event bus (@nestjs/event-emitter). Feature
 * services publish them; the modules that own the affected data or the sockets react.
 * `emitAsync` is used where the publisher must wait for the reactions (account deletion).
 */
export const DomainEvent = {
  /** Payload: AccountDeletingEvent. Every module deletes what belongs to that user. */
  AccountDeleting: 'account.deleting',
  /** Payload: ConversationDeletedEvent. Published after a conversation and its messages are gone (media deletes its files). */
  ConversationDeleted: 'conversation.deleted',
  /** Payload: MessageDeletedEvent. A message was deleted for everyone (media deletes its image files). */
  MessageDeleted: 'message.deleted',
} as const;

export interface MessageDeletedEvent {
  messageId: string;
  conversationId: string;
  participantIds: string[];
  /** The image the message carried, if any. */
  mediaId: string | null;
}

export interface ConversationDeletedEvent {
  conversationId: string;
  participantIds: string[];
}

export interface AccountDeletingEvent {
  userId: string;
}

export const PresenceChangedEvent = 'presence.changed';
/** Published when a user's first socket connects or their last one closes (cluster-wide). */
export interface PresenceChanged {
  userId: string;
  online: boolean;
  lastSeen: string | null;
}
