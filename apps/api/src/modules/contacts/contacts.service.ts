import { Injectable } from '@nestjs/common';
import { isObjectId } from '../database/persistence';
import { ContactLink, ContactsRepository } from './contacts.repository';

/**
 * The contact graph itself, with no dependency on conversations, so the messaging and media
 * modules can ask "are these two contacts?" without an import cycle.
 */
@Injectable()
export class ContactsService {
  constructor(private readonly repository: ContactsRepository) {}

  /** True only when `otherId` is in `userId`'s contacts. */
  async areContacts(userId: string, otherId: string): Promise<boolean> {
    if (!isObjectId(userId) || !isObjectId(otherId) || userId === otherId) return false;
    return (await this.repository.find(userId, otherId)) !== null;
  }

  find(userId: string, contactId: string): Promise<ContactLink | null> {
    return this.repository.find(userId, contactId);
  }

  /** null when `contactId` is not one of `userId`'s contacts. */
  setMuted(userId: string, contactId: string, muted: boolean): Promise<ContactLink | null> {
    return this.repository.setMuted(userId, contactId, muted);
  }

  listFor(userId: string): Promise<ContactLink[]> {
    return this.repository.listFor(userId);
  }

  async contactIdsOf(userId: string): Promise<string[]> {
    return (await this.repository.listFor(userId)).map((link) => link.contactId);
  }

  contactIdsAmong(userId: string, candidateIds: string[]): Promise<string[]> {
    return this.repository.contactIdsAmong(userId, candidateIds);
  }

  addPair(userA: string, userB: string, since = new Date()): Promise<void> {
    return this.repository.addPair(userA, userB, since);
  }

  /** Returns whether they were contacts (in either direction). */
  async removePair(userA: string, userB: string): Promise<boolean> {
    return (await this.repository.removePair(userA, userB)) > 0;
  }

  removeAllFor(userId: string): Promise<string[]> {
    return this.repository.removeAllFor(userId);
  }
}
