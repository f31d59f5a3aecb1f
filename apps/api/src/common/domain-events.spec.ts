import { EventEmitter2 } from '@nestjs/event-emitter';
import {
  AccountDeletingEvent,
  DomainEvent,
  DomainEventPublisher,
  OnDomainEvent,
  PresenceChanged,
} from './domain-events';

// The typecheck target compiles this file: each @ts-expect-error below must stay an error.
class Listener {
  received: AccountDeletingEvent[] = [];

  @OnDomainEvent(DomainEvent.AccountDeleting)
  onAccountDeleting(event: AccountDeletingEvent): void {
    this.received.push(event);
  }

  // @ts-expect-error a listener must accept the payload its event carries
  @OnDomainEvent(DomainEvent.AccountDeleting)
  onWrongPayload(event: PresenceChanged): void {
    void event;
  }
}

function publishWrongly(events: DomainEventPublisher): void {
  // @ts-expect-error a payload of another event
  events.emit(DomainEvent.MessageDeleted, { userId: 'x' });
  // @ts-expect-error a name outside the map
  events.emit('account.deleted', { userId: 'x' });
}

describe('domain events', () => {
  it('OnDomainEvent registers the listener as @OnEvent does', () => {
    const metadata = Reflect.getMetadata(
      'EVENT_LISTENER_METADATA',
      Listener.prototype.onAccountDeleting,
    ) as { event: string }[];
    expect(metadata.map((entry) => entry.event)).toEqual([DomainEvent.AccountDeleting]);
  });

  it('EventEmitter2 serves as the typed publisher', () => {
    const emitter = new EventEmitter2();
    const seen: unknown[] = [];
    emitter.on(DomainEvent.AccountDeleting, (event) => seen.push(event));
    const events: DomainEventPublisher = emitter;
    events.emit(DomainEvent.AccountDeleting, { userId: 'u1' });
    expect(seen).toEqual([{ userId: 'u1' }]);
    expect(typeof publishWrongly).toBe('function');
  });
});
