import { Injectable } from '@nestjs/common';
import { ContactPairEvent, DomainEvent, OnDomainEvent } from '../../common/domain-events';
import { ConversationsService } from './conversations.service';

/**
 * A pair's conversation follows their contact link: opened when they become contacts, deleted
 * with its messages and media when they stop being contacts. The social graph publishes the
 * change and waits; a failure here reaches its caller (`suppressErrors: false`), as it would
 * from a direct call.
 */
@Injectable()
export class ContactConversations {
  constructor(private readonly conversations: ConversationsService) {}

  @OnDomainEvent(DomainEvent.ContactsConnected, { promisify: true, suppressErrors: false })
  async onConnected(event: ContactPairEvent): Promise<void> {
    await this.conversations.ensureConversation(...event.userIds);
  }

  @OnDomainEvent(DomainEvent.ContactsSevered, { promisify: true, suppressErrors: false })
  async onSevered(event: ContactPairEvent): Promise<void> {
    await this.conversations.deleteConversationBetween(...event.userIds);
  }
}
