import { HttpStatus, Injectable, OnModuleInit } from '@nestjs/common';
import { ErrorCode } from '@natter/contracts';
import { ApiException } from '../../common/api-exception';
import { BlocksService } from '../blocks/blocks.service';
import { ChangeFeed } from '../change-feed/change-feed.service';
import { ContactsService } from '../contacts/contacts.service';
import { isObjectId, pairKeyOf } from '../database/persistence';
import { ConversationsRepository } from './conversations.repository';
import type { Admission } from './message-committer';

export const notAContact = () =>
  new ApiException(HttpStatus.NOT_FOUND, ErrorCode.NOT_A_CONTACT, 'Not one of your contacts');
const blocked = () =>
  new ApiException(HttpStatus.FORBIDDEN, ErrorCode.BLOCKED, 'You cannot message this user');

/** What messaging needs to know about a pair of users. */
interface PairFacts {
  /** Contact documents, keyed by the user whose list holds the other. */
  hasContact: Record<string, boolean>;
  blocked: boolean;
  conversationId: string | null;
}

interface Entry {
  facts: PairFacts;
  version: number;
  loadedAt: number;
}

const ENTRIES_KEPT = 50_000;
/**
 * A safety net only: every change that matters invalidates the entry through the change feed
 * (here at once, elsewhere within a second). This bounds the damage of a missed change.
 */
const MAX_AGE_MS = 5 * 60_000;

/**
 * The relationship questions messaging depends on (may A write to B; may A read their
 * conversation with B; which conversation is theirs), answered from facts cached in this
 * process, so a warm send reads nothing before its insert. Every entry point (socket, REST,
 * media upload through send()) asks them here.
 *
 * Invalidation: contacts and blocks change only through the social module, which publishes
 * 'relationship.changed' on the ChangeFeed after each change. The feed runs this process's
 * subscriber before `publish` returns (so the very next send here is refused) and every other
 * process's within about a second, through the database, with or without Redis. A load that
 * was in flight when its pair was invalidated is not kept.
 */
@Injectable()
export class MessagingAccess implements OnModuleInit {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, { promise: Promise<Entry>; stale: boolean }>();
  private nextVersion = 1;

  constructor(
    private readonly contacts: ContactsService,
    private readonly blocks: BlocksService,
    private readonly conversations: ConversationsRepository,
    private readonly changes: ChangeFeed,
  ) {}

  onModuleInit(): void {
    this.changes.subscribe('relationship.changed', ({ userIds }) => {
      if (Array.isArray(userIds) && userIds.length === 2)
        this.invalidate(String(userIds[0]), String(userIds[1]));
    });
  }

  /**
   * The pair's conversation when `senderId` may write to `recipientId` (contacts both ways, no
   * block either way, a conversation exists), with the admission the committer re-checks.
   */
  async writable(
    senderId: string,
    recipientId: string,
  ): Promise<{ conversationId: string; admission: Admission }> {
    if (senderId === recipientId || !isObjectId(senderId) || !isObjectId(recipientId))
      throw notAContact();
    let entry = await this.entry(senderId, recipientId);
    let conversationId: string;
    try {
      conversationId = mayWrite(entry.facts, senderId, recipientId);
    } catch (refusal) {
      // Only "yes" is trusted from the cache: a refusal is confirmed from the database, so a
      // pair that just became contacts on another process can write at once here too.
      if (!entry.cached) throw refusal;
      entry = await this.entry(senderId, recipientId, { fresh: true });
      conversationId = mayWrite(entry.facts, senderId, recipientId);
    }
    return { conversationId, admission: this.admission(senderId, recipientId, entry) };
  }

  /** The pair's conversation (or null) when `contactId` is one of `userId`'s contacts. */
  async readable(userId: string, contactId: string): Promise<string | null> {
    if (userId === contactId || !isObjectId(userId) || !isObjectId(contactId)) throw notAContact();
    let entry = await this.entry(userId, contactId);
    // As in writable(): a cached "no" is confirmed from the database.
    if (!entry.facts.hasContact[userId.toLowerCase()] && entry.cached)
      entry = await this.entry(userId, contactId, { fresh: true });
    if (!entry.facts.hasContact[userId.toLowerCase()]) throw notAContact();
    return entry.facts.conversationId;
  }

  /** Drops what is known about the pair (and any load of it in flight). */
  invalidate(userA: string, userB: string): void {
    const key = pairKeyOf(userA, userB);
    this.entries.delete(key);
    const load = this.loading.get(key);
    if (load) load.stale = true;
    this.loading.delete(key);
  }

  private admission(senderId: string, recipientId: string, entry: Entry): Admission {
    const key = pairKeyOf(senderId, recipientId);
    return {
      isCurrent: () => this.entries.get(key)?.version === entry.version,
      recheck: async () => {
        const fresh = await this.entry(senderId, recipientId);
        if (mayWrite(fresh.facts, senderId, recipientId) !== entry.facts.conversationId)
          throw notAContact();
        return this.admission(senderId, recipientId, fresh);
      },
    };
  }

  /** The pair's facts; `cached` says they came from memory rather than a load just now. */
  private async entry(
    rawA: string,
    rawB: string,
    options: { fresh?: boolean } = {},
  ): Promise<Entry & { cached: boolean }> {
    // Ids are hex: one spelling, so facts keyed by id match whichever way a caller wrote it.
    const [userA, userB] = [rawA.toLowerCase(), rawB.toLowerCase()];
    const key = pairKeyOf(userA, userB);
    const cached = this.entries.get(key);
    if (cached && !options.fresh && Date.now() - cached.loadedAt < MAX_AGE_MS)
      return { ...cached, cached: true };
    const inFlight = this.loading.get(key);
    if (inFlight && !options.fresh) return { ...(await inFlight.promise), cached: false };
    const load = { promise: this.load(userA, userB), stale: false };
    this.loading.set(key, load);
    try {
      const entry = await load.promise;
      if (!load.stale) this.remember(key, entry);
      return { ...entry, cached: false };
    } finally {
      if (this.loading.get(key) === load) this.loading.delete(key);
    }
  }

  private async load(userA: string, userB: string): Promise<Entry> {
    // Top-level equality lookups, which FerretDB on PostgreSQL pushes down.
    const [aHasB, bHasA, isBlocked, conversation] = await Promise.all([
      this.contacts.find(userA, userB),
      this.contacts.find(userB, userA),
      this.blocks.isBlockedEitherWay(userA, userB),
      this.conversations.findBetween(userA, userB),
    ]);
    return {
      facts: {
        hasContact: { [userA]: aHasB !== null, [userB]: bHasA !== null },
        blocked: isBlocked,
        conversationId: conversation?.id ?? null,
      },
      version: this.nextVersion++,
      loadedAt: Date.now(),
    };
  }

  private remember(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > ENTRIES_KEPT)
      this.entries.delete(this.entries.keys().next().value as string);
  }
}

function mayWrite(facts: PairFacts, senderId: string, recipientId: string): string {
  if (facts.blocked) throw blocked();
  const [sender, recipient] = [senderId.toLowerCase(), recipientId.toLowerCase()];
  if (!facts.hasContact[sender] || !facts.hasContact[recipient] || !facts.conversationId)
    throw notAContact();
  return facts.conversationId;
}
