import { Injectable } from '@nestjs/common';
import {
  Relationship,
  SEARCH_QUERY_MIN_LENGTH,
  SEARCH_RESULTS_MAX,
  SearchResult,
} from '@natter/contracts';
import { BlocksService } from '../../blocks/blocks.service';
import { ContactsService } from '../../contacts/contacts.service';
import { UsersRepository } from '../../users/users.repository';
import { FriendsRepository } from '../requests/friends.repository';

/** Finding people by username, each with where they stand with the searcher. */
@Injectable()
export class UserSearch {
  constructor(
    private readonly users: UsersRepository,
    private readonly contacts: ContactsService,
    private readonly blocks: BlocksService,
    private readonly requests: FriendsRepository,
  ) {}

  /** Blocked users (either way) and the searcher never appear. */
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
}
