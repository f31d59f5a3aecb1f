import { Inject } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';

/** The options @OnEvent takes (the package does not export their type from its root). */
type OnEventOptions = Parameters<typeof OnEvent>[1];

/**
 * Domain events published on the in-process event bus (@nestjs/event-emitter). Feature
 * services publish them; the modules that own the affected data or the sockets react.
 * `emitAsync` is used where the publisher must wait for the reactions (account deletion, a
 * contact pair made or severed). One map, DomainEventMap, ties each name to its payload, the
 * way the contracts' socket event maps do: publish through `DomainEventPublisher`
 * (`@InjectDomainEvents()`) and listen with `@OnDomainEvent(name)`, and the compiler checks
 * both sides.
 */
export const DomainEvent = {
  /** Payload: AccountDeletingEvent. Every module deletes what belongs to that user. */
  AccountDeleting: 'account.deleting',
  /** Payload: ConversationDeletedEvent. Published after a conversation and its messages are gone (media deletes its files). */
  ConversationDeleted: 'conversation.deleted',
  /** Payload: MessageDeletedEvent. A message was deleted for everyone (media deletes its image files). */
  MessageDeleted: 'message.deleted',
  /** Payload: PresenceChanged. A user's first socket connected or their last one closed (cluster-wide). */
  PresenceChanged: 'presence.changed',
  /** Payload: ContactPairEvent. Two users just became contacts (messages opens their conversation). */
  ContactsConnected: 'contacts.connected',
  /** Payload: ContactPairEvent. Two users stopped being contacts (messages deletes their conversation). */
  ContactsSevered: 'contacts.severed',
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

/** Published when a user's first socket connects or their last one closes (cluster-wide). */
export interface PresenceChanged {
  userId: string;
  online: boolean;
  lastSeen: string | null;
}

/** A pair of users whose contact link was made or removed. */
export interface ContactPairEvent {
  userIds: [string, string];
}

export interface DomainEventMap {
  [DomainEvent.AccountDeleting]: AccountDeletingEvent;
  [DomainEvent.ConversationDeleted]: ConversationDeletedEvent;
  [DomainEvent.MessageDeleted]: MessageDeletedEvent;
  [DomainEvent.PresenceChanged]: PresenceChanged;
  [DomainEvent.ContactsConnected]: ContactPairEvent;
  [DomainEvent.ContactsSevered]: ContactPairEvent;
}

export type DomainEventName = keyof DomainEventMap;

/** The event bus as publishers see it: only names of the map, each with its own payload. */
export interface DomainEventPublisher {
  emit<K extends DomainEventName>(name: K, payload: DomainEventMap[K]): boolean;
  emitAsync<K extends DomainEventName>(name: K, payload: DomainEventMap[K]): Promise<unknown[]>;
}

/** Injects the application's EventEmitter2 typed as a DomainEventPublisher. */
export const InjectDomainEvents = (): ParameterDecorator => Inject(EventEmitter2);

/**
 * `@OnEvent` for a domain event: the decorated method must accept that event's payload.
 * Listeners that a publisher awaits pass `{ promisify: true }` (and `suppressErrors: false`
 * where the publisher's caller must see a failure).
 */
export function OnDomainEvent<K extends DomainEventName>(name: K, options?: OnEventOptions) {
  return <T extends (payload: DomainEventMap[K]) => unknown>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<T>,
  ): void => {
    OnEvent(name, options)(target, key, descriptor);
  };
}
