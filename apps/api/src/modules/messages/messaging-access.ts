import { Injectable } from '@nestjs/common';
import { BlocksService } from '../blocks/blocks.service';
import { ContactsService } from '../contacts/contacts.service';

/**
 * The two relationship questions messaging depends on (who may write to whom), in one place so
 * every entry point (socket, REST, media upload through send()) asks them the same way.
 */
@Injectable()
export class MessagingAccess {
  constructor(
    private readonly contacts: ContactsService,
    private readonly blocks: BlocksService,
  ) {}

  areContacts(userId: string, otherId: string): Promise<boolean> {
    return this.contacts.areContacts(userId, otherId);
  }

  isBlockedEitherWay(userA: string, userB: string): Promise<boolean> {
    return this.blocks.isBlockedEitherWay(userA, userB);
  }
}
