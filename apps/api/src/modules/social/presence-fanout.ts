import { Injectable, Logger } from '@nestjs/common';
import { DomainEvent, OnDomainEvent, PresenceChanged } from '../../common/domain-events';
import { BlocksService } from '../blocks/blocks.service';
import { ContactsService } from '../contacts/contacts.service';
import { RealtimeService } from '../gateway/realtime.service';

/** Presence goes only to the user's contacts (a block has already removed the contact). */
@Injectable()
export class PresenceFanout {
  private readonly logger = new Logger(PresenceFanout.name);

  constructor(
    private readonly contacts: ContactsService,
    private readonly blocks: BlocksService,
    private readonly realtime: RealtimeService,
  ) {}

  @OnDomainEvent(DomainEvent.PresenceChanged)
  async onPresenceChanged(event: PresenceChanged): Promise<void> {
    try {
      const [contactIds, hidden] = await Promise.all([
        this.contacts.contactIdsOf(event.userId),
        this.blocks.relatedIds(event.userId),
      ]);
      const hiddenSet = new Set(hidden);
      const audience = contactIds.filter((id) => !hiddenSet.has(id));
      this.realtime.emitToUsers(audience, 'presence', {
        userId: event.userId,
        online: event.online,
        lastSeen: event.lastSeen,
      });
    } catch (error) {
      this.logger.warn(`Presence fan-out failed: ${(error as Error).message}`);
    }
  }
}
