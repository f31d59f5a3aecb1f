import { HttpStatus, Injectable } from '@nestjs/common';
import { ContactInfo, ErrorCode } from '@natter/contracts';
import { ApiException } from '../../../common/api-exception';
import { isObjectId } from '../../database/persistence';
import { ContactsService } from '../../contacts/contacts.service';
import { RealtimeService } from '../../gateway/realtime.service';
import { ContactBook } from './contact-book.service';

const notAContact = () =>
  new ApiException(HttpStatus.NOT_FOUND, ErrorCode.CONTACT_NOT_FOUND, 'Not one of your contacts');

/**
 * A user's own settings for one contact (mute). They live on the user's own direction of the
 * contact pair, so the two people never write the same document.
 */
@Injectable()
export class ContactSettingsService {
  constructor(
    private readonly contacts: ContactsService,
    private readonly contactBook: ContactBook,
    private readonly realtime: RealtimeService,
  ) {}

  /** Stores the setting, then tells every tab and device of the user. */
  async setMuted(userId: string, contactId: string, muted: boolean): Promise<ContactInfo> {
    if (!isObjectId(contactId) || contactId === userId) throw notAContact();
    const link = await this.contacts.setMuted(userId, contactId, muted);
    if (!link) throw notAContact();
    const contact = await this.contactBook.contactInfo(userId, contactId);
    if (!contact) throw notAContact();
    this.realtime.emitToUser(userId, 'contact_settings_updated', { contact });
    return contact;
  }
}
