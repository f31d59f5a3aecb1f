import { HttpStatus, Injectable } from '@nestjs/common';
import { ContactInfo, ErrorCode } from '@natter/contracts';
import { ApiException } from '../../../common/api-exception';
import { ContactLink } from '../../contacts/contacts.repository';
import { ContactsService } from '../../contacts/contacts.service';
import { PresenceService } from '../../gateway/presence.service';
import { RealtimeService } from '../../gateway/realtime.service';
import { ConversationsService } from '../../messages/conversations.service';
import { UsersRepository } from '../../users/users.repository';
import { RelationshipChanges } from '../relationship-changes';

const activityOf = (contact: ContactInfo): string =>
  contact.lastMessage?.createdAt ?? contact.since;

/**
 * A user's contacts as they see them (with presence and their conversation's summary), and
 * the two ways a pair's contact link is made and undone. Both tell both sides, on every tab.
 */
@Injectable()
export class ContactBook {
  constructor(
    private readonly users: UsersRepository,
    private readonly contacts: ContactsService,
    private readonly conversations: ConversationsService,
    private readonly presence: PresenceService,
    private readonly realtime: RealtimeService,
    private readonly relationships: RelationshipChanges,
  ) {}

  async listContacts(userId: string): Promise<ContactInfo[]> {
    return this.describe(userId, await this.contacts.listFor(userId));
  }

  /** `otherId` as `viewerId` sees them, or null when they are not contacts. */
  async contactInfo(viewerId: string, otherId: string): Promise<ContactInfo | null> {
    const link = await this.contacts.find(viewerId, otherId);
    if (!link) return null;
    return (await this.describe(viewerId, [link]))[0] ?? null;
  }

  /**
   * Makes two users contacts (both directions, plus their conversation) and tells both:
   * each gets the other as a ContactInfo and their new contact list, on every tab.
   * Returns the other side as `actorId` sees it.
   */
  async connect(actorId: string, otherId: string): Promise<ContactInfo> {
    await this.contacts.addPair(actorId, otherId, new Date());
    await this.relationships.connected(actorId, otherId);
    await this.relationships.changed(actorId, otherId);
    const [forActor, forOther] = await Promise.all([
      this.contactInfo(actorId, otherId),
      this.contactInfo(otherId, actorId),
    ]);
    if (!forActor || !forOther) {
      throw new ApiException(HttpStatus.NOT_FOUND, ErrorCode.USER_NOT_FOUND, 'User not found');
    }
    this.realtime.emitToUser(actorId, 'friend_request_accepted', { contact: forActor });
    this.realtime.emitToUser(otherId, 'friend_request_accepted', { contact: forOther });
    await this.publishContacts([actorId, otherId]);
    return forActor;
  }

  async removeContact(actorId: string, contactId: string): Promise<void> {
    // Checked before anything is touched: a non-contact id changes nothing and notifies nobody.
    if (!(await this.contacts.areContacts(actorId, contactId))) {
      throw new ApiException(
        HttpStatus.NOT_FOUND,
        ErrorCode.CONTACT_NOT_FOUND,
        'Not one of your contacts',
      );
    }
    await this.sever(actorId, contactId);
  }

  /** Removes the contact both ways with the conversation; tells both sides. */
  async sever(actorId: string, otherId: string): Promise<void> {
    if (!(await this.contacts.removePair(actorId, otherId))) return;
    // Published before the conversation goes: from here on no process admits a send into it
    // (this one at once, the others within a second; ConversationsService sweeps after that).
    await this.relationships.changed(actorId, otherId);
    await this.relationships.severed(actorId, otherId);
    this.realtime.emitToUser(otherId, 'contact_removed', { userId: actorId });
    await this.publishContacts([actorId, otherId]);
  }

  /** Sends each user their current contact list (every tab). */
  async publishContacts(userIds: string[]): Promise<void> {
    await Promise.all(
      [...new Set(userIds)].map(async (userId) => {
        this.realtime.emitToUser(userId, 'contacts_updated', {
          contacts: await this.listContacts(userId),
        });
      }),
    );
  }

  private async describe(userId: string, links: ContactLink[]): Promise<ContactInfo[]> {
    if (links.length === 0) return [];
    const ids = links.map((link) => link.contactId);
    const [users, online, summaries] = await Promise.all([
      this.users.findByIds(ids),
      this.presence.onlineUserIds(ids),
      this.conversations.summariesFor(userId, ids),
    ]);
    const usersById = new Map(users.map((user) => [user.id, user]));
    const contacts = links.flatMap((link): ContactInfo[] => {
      const user = usersById.get(link.contactId);
      if (!user) return [];
      const summary = summaries.get(link.contactId);
      return [
        {
          id: user.id,
          username: user.username,
          online: online.has(user.id),
          lastSeen: user.lastSeenAt ? user.lastSeenAt.toISOString() : null,
          unreadCount: summary?.unreadCount ?? 0,
          lastMessage: summary?.lastMessage ?? null,
          since: link.since.toISOString(),
          muted: link.muted,
        },
      ];
    });
    // ISO timestamps sort chronologically as strings.
    return contacts.sort((a, b) => activityOf(b).localeCompare(activityOf(a)));
  }
}
