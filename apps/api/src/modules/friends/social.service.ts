// Over 300 lines: search, contacts, blocks, presence fan-out and account clean-up of the
// social graph still share this service; it is to be split by job into modules of their own
// in the module clean-up (with the conversation deletion moved behind a domain event).
import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import {
  BlockedUser,
  ContactInfo,
  ErrorCode,
  Relationship,
  SEARCH_QUERY_MIN_LENGTH,
  SEARCH_RESULTS_MAX,
  SearchResult,
} from '@natter/contracts';
import { ApiException } from '../../common/api-exception';
import {
  AccountDeletingEvent,
  DomainEvent,
  PresenceChanged,
  PresenceChangedEvent,
} from '../../common/domain-events';
import { BlocksService } from '../blocks/blocks.service';
import { ChangeFeed } from '../change-feed/change-feed.service';
import { ContactLink } from '../contacts/contacts.repository';
import { ContactsService } from '../contacts/contacts.service';
import { PresenceService } from '../gateway/presence.service';
import { RealtimeService } from '../gateway/realtime.service';
import { UsersRepository } from '../users/users.repository';
import { CONVERSATIONS, ConversationsPort } from './conversations.port';
import { FriendsRepository } from './friends.repository';

const activityOf = (contact: ContactInfo): string =>
  contact.lastMessage?.createdAt ?? contact.since;

/**
 * The social graph's orchestration: contacts with their conversations, blocks with what they
 * sever, search, presence fan-out and account clean-up. Request handling is FriendsService.
 */
@Injectable()
export class SocialService {
  private readonly logger = new Logger(SocialService.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly contacts: ContactsService,
    private readonly blocks: BlocksService,
    private readonly requests: FriendsRepository,
    @Inject(CONVERSATIONS) private readonly conversations: ConversationsPort,
    private readonly presence: PresenceService,
    private readonly realtime: RealtimeService,
    private readonly changes: ChangeFeed,
  ) {}

  // ---- search -------------------------------------------------------------------------

  async search(userId: string, rawQuery: string | undefined): Promise<SearchResult[]> {
    const query = (rawQuery ?? '').trim();
    if (query.length < SEARCH_QUERY_MIN_LENGTH) return [];
    const hidden = await this.blocks.relatedIds(userId);
    // The repository escapes every regex metacharacter and anchors the pattern: input is literal.
    const found = await this.users.searchByPrefix(query, [userId, ...hidden], SEARCH_RESULTS_MAX);
    if (found.length === 0) return [];
    const ids = found.map((user) => user.id);
    const [contactIds, pending] = await Promise.all([
      this.contacts.contactIdsAmong(userId, ids),
      this.requests.pendingAmong(userId, ids),
    ]);
    const relationships = new Map<string, Relationship>();
    for (const request of pending) {
      if (request.senderId === userId) relationships.set(request.recipientId, 'outgoing');
      else relationships.set(request.senderId, 'incoming');
    }
    for (const id of contactIds) relationships.set(id, 'contact');
    return found.map((user) => ({
      id: user.id,
      username: user.username,
      relationship: relationships.get(user.id) ?? 'none',
    }));
  }

  // ---- contacts -----------------------------------------------------------------------

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
    await this.conversations.ensureConversation(actorId, otherId);
    await this.relationshipChanged(actorId, otherId);
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

  // ---- blocks -------------------------------------------------------------------------

  async listBlocks(userId: string): Promise<BlockedUser[]> {
    const blocks = await this.blocks.listBy(userId);
    const users = new Map(
      (await this.users.findByIds(blocks.map((block) => block.blockedId))).map((user) => [
        user.id,
        user,
      ]),
    );
    return blocks.flatMap((block) => {
      const user = users.get(block.blockedId);
      return user
        ? [{ id: user.id, username: user.username, blockedAt: block.createdAt.toISOString() }]
        : [];
    });
  }

  async block(actorId: string, targetId: string): Promise<BlockedUser> {
    if (actorId === targetId) {
      throw new ApiException(
        HttpStatus.BAD_REQUEST,
        ErrorCode.CANNOT_BLOCK_SELF,
        'You cannot block yourself',
      );
    }
    const target = await this.users.findById(targetId);
    if (!target)
      throw new ApiException(HttpStatus.NOT_FOUND, ErrorCode.USER_NOT_FOUND, 'User not found');
    // The block goes first so that a request or accept racing with it sees it.
    const block = await this.blocks.create(actorId, targetId);
    await this.relationshipChanged(actorId, targetId);
    await this.sever(actorId, targetId);
    await this.dropPendingRequest(actorId, targetId);
    return { id: target.id, username: target.username, blockedAt: block.createdAt.toISOString() };
  }

  async unblock(actorId: string, targetId: string): Promise<void> {
    if (!(await this.blocks.remove(actorId, targetId))) {
      throw new ApiException(
        HttpStatus.NOT_FOUND,
        ErrorCode.BLOCK_NOT_FOUND,
        'You have not blocked this user',
      );
    }
    await this.relationshipChanged(actorId, targetId);
  }

  // ---- events -------------------------------------------------------------------------

  /** Presence goes only to the user's contacts (a block has already removed the contact). */
  @OnEvent(PresenceChangedEvent)
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

  @OnEvent(DomainEvent.AccountDeleting, { promisify: true })
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
      await this.relationshipChanged(userId, otherId);
      await this.conversations.deleteConversationBetween(userId, otherId);
      this.realtime.emitToUser(otherId, 'contact_removed', { userId });
    }
    await this.publishContacts(formerContacts);
  }

  // ---- helpers ------------------------------------------------------------------------

  /** Removes the contact both ways with the conversation; tells both sides. */
  private async sever(actorId: string, otherId: string): Promise<void> {
    if (!(await this.contacts.removePair(actorId, otherId))) return;
    // Published before the conversation goes: from here on no process admits a send into it
    // (this one at once, the others within a second; ConversationsService sweeps after that).
    await this.relationshipChanged(actorId, otherId);
    await this.conversations.deleteConversationBetween(actorId, otherId);
    this.realtime.emitToUser(otherId, 'contact_removed', { userId: actorId });
    await this.publishContacts([actorId, otherId]);
  }

  /**
   * Tells every process that the pair's contacts or blocks changed: this one before returning
   * (the very next send is judged on the new facts), the others within a second (ChangeFeed).
   */
  private relationshipChanged(userA: string, userB: string): Promise<void> {
    return this.changes.publish('relationship.changed', { userIds: [userA, userB] });
  }

  /** A block withdraws the pair's pending request, whoever sent it. */
  private async dropPendingRequest(actorId: string, otherId: string): Promise<void> {
    const pending = await this.requests.findPendingBetween(actorId, otherId);
    if (!pending) return;
    if (pending.senderId === actorId) {
      const cancelled = await this.requests.resolve(
        pending.id,
        { field: 'senderId', userId: actorId },
        'cancelled',
      );
      if (cancelled)
        this.realtime.emitToUsers([actorId, otherId], 'friend_request_cancelled', {
          requestId: pending.id,
        });
    } else {
      const rejected = await this.requests.resolve(
        pending.id,
        { field: 'recipientId', userId: actorId },
        'rejected',
      );
      // Only the blocker's own tabs: the blocked sender is not told anything a block implies.
      if (rejected)
        this.realtime.emitToUser(actorId, 'friend_request_rejected', { requestId: pending.id });
    }
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
