import { Injectable } from '@nestjs/common';
import { DomainEvent, DomainEventPublisher, InjectDomainEvents } from '../../common/domain-events';
import { ChangeFeed } from '../change-feed/change-feed.service';

/**
 * How the social graph tells the rest of the API that a pair's contacts or blocks changed:
 * every process through the change feed (messaging re-reads its cached facts), and the
 * messages module through domain events (it opens or deletes the pair's conversation). All are
 * awaited, so the caller's answer comes after their effects.
 */
@Injectable()
export class RelationshipChanges {
  constructor(
    private readonly changes: ChangeFeed,
    @InjectDomainEvents() private readonly events: DomainEventPublisher,
  ) {}

  /**
   * The pair's contacts or blocks changed: this process knows before returning (the very next
   * send is judged on the new facts), the others within a second (ChangeFeed).
   */
  changed(userA: string, userB: string): Promise<void> {
    return this.changes.publish('relationship.changed', { userIds: [userA, userB] });
  }

  /** The pair became contacts: their conversation exists when this returns. */
  async connected(userA: string, userB: string): Promise<void> {
    await this.events.emitAsync(DomainEvent.ContactsConnected, { userIds: [userA, userB] });
  }

  /** The pair stopped being contacts: their conversation is gone when this returns. */
  async severed(userA: string, userB: string): Promise<void> {
    await this.events.emitAsync(DomainEvent.ContactsSevered, { userIds: [userA, userB] });
  }
}
