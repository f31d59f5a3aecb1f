import { Injectable } from '@nestjs/common';
import { AccountDeletingEvent, DomainEvent, OnDomainEvent } from '../../common/domain-events';
import { BlocksService } from '../blocks/blocks.service';
import { ContactsService } from '../contacts/contacts.service';
import { RealtimeService } from '../gateway/realtime.service';
import { ContactBook } from './contacts/contact-book.service';
import { RelationshipChanges } from './relationship-changes';
import { FriendsRepository } from './requests/friends.repository';

/**
 * An account's part of the social graph goes with it: its requests (the other side is told),
 * its contacts (each former contact is told, and their conversation goes) and its blocks.
 */
@Injectable()
export class SocialAccountCleanup {
  constructor(
    private readonly requests: FriendsRepository,
    private readonly contacts: ContactsService,
    private readonly blocks: BlocksService,
    private readonly contactBook: ContactBook,
    private readonly relationships: RelationshipChanges,
    private readonly realtime: RealtimeService,
  ) {}

  @OnDomainEvent(DomainEvent.AccountDeleting, { promisify: true })
  async onAccountDeleting(event: AccountDeletingEvent): Promise<void> {
    const { userId } = event;
    const pending = await this.requests.deleteAllFor(userId);
    for (const request of pending) {
      if (request.senderId === userId) {
        this.realtime.emitToUser(request.recipientId, 'friend_request_cancelled', {
          requestId: request.id,
        });
      } else {
        this.realtime.emitToUser(request.senderId, 'friend_request_rejected', {
          requestId: request.id,
        });
      }
    }
    const formerContacts = await this.contacts.removeAllFor(userId);
    await this.blocks.removeAllFor(userId);
    for (const otherId of formerContacts) {
      await this.relationships.changed(userId, otherId);
      await this.relationships.severed(userId, otherId);
      this.realtime.emitToUser(otherId, 'contact_removed', { userId });
    }
    await this.contactBook.publishContacts(formerContacts);
  }
}
