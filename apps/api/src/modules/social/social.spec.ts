// Over 300 lines: in-memory stand-ins for the four repositories and the conversations, shared
// by the suites of every service of the social graph, which work together on one world.
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Types } from 'mongoose';
import type { LastMessageSummary } from '@natter/contracts';
import { DomainEvent } from '../../common/domain-events';
import { BlocksRepository, BlockRecord } from '../blocks/blocks.repository';
import { BlocksService } from '../blocks/blocks.service';
import type { ChangeFeed } from '../change-feed/change-feed.service';
import { ContactLink, ContactsRepository } from '../contacts/contacts.repository';
import { ContactsService } from '../contacts/contacts.service';
import { pairKeyOf } from '../database/persistence';
import { PresenceService } from '../gateway/presence.service';
import { RealtimeService } from '../gateway/realtime.service';
import { ContactConversations } from '../messages/contact-conversations';
import type { ConversationsService } from '../messages/conversations.service';
import { UserRecord, UsersRepository } from '../users/users.repository';
import { SocialAccountCleanup } from './account-cleanup';
import { Blocking } from './blocks/blocking.service';
import { ContactBook } from './contacts/contact-book.service';
import { PresenceFanout } from './presence-fanout';
import { RelationshipChanges } from './relationship-changes';
import { FriendRequestRecord, FriendsRepository } from './requests/friends.repository';
import { FriendsService } from './requests/friends.service';
import { UserSearch } from './search/user-search.service';

type Stored = FriendRequestRecord & { pendingKey: string };

/** In-memory stand-ins with the same invariants as the real collections' unique indexes. */
class FakeRequests {
  rows: Stored[] = [];
  /** Lets a test slip a competing insert in between the service's check and its insert. */
  beforeInsert: (() => void) | null = null;

  async createPending(senderId: string, recipientId: string): Promise<FriendRequestRecord | null> {
    this.beforeInsert?.();
    this.beforeInsert = null;
    return this.insert(senderId, recipientId);
  }
  /** null when the pair already has a pending request, as the unique index answers. */
  insert(senderId: string, recipientId: string): Stored | null {
    const key = pairKeyOf(senderId, recipientId);
    if (this.rows.some((row) => row.pendingKey === key)) return null;
    const row: Stored = {
      id: new Types.ObjectId().toHexString(),
      senderId,
      recipientId,
      status: 'pending',
      createdAt: new Date(Date.now() + this.rows.length),
      respondedAt: null,
      pendingKey: key,
    };
    this.rows.push(row);
    return row;
  }
  async findPendingBetween(a: string, b: string) {
    return (
      this.rows.find((row) => row.pendingKey === pairKeyOf(a, b) && row.status === 'pending') ??
      null
    );
  }
  async findPendingFor(id: string, actor: { field: 'senderId' | 'recipientId'; userId: string }) {
    return (
      this.rows.find(
        (row) => row.id === id && row.status === 'pending' && row[actor.field] === actor.userId,
      ) ?? null
    );
  }
  async resolve(
    id: string,
    actor: { field: 'senderId' | 'recipientId'; userId: string },
    status: 'accepted' | 'rejected' | 'cancelled',
  ) {
    const row = await this.findPendingFor(id, actor);
    if (!row) return null;
    const before = { ...row };
    Object.assign(row, { status, respondedAt: new Date(), pendingKey: id });
    return before;
  }
  async listIncoming(userId: string) {
    return this.rows.filter((r) => r.recipientId === userId && r.status === 'pending').reverse();
  }
  async listOutgoing(userId: string) {
    return this.rows.filter((r) => r.senderId === userId && r.status === 'pending').reverse();
  }
  async pendingAmong(userId: string, ids: string[]) {
    return this.rows.filter(
      (r) =>
        r.status === 'pending' &&
        ((r.senderId === userId && ids.includes(r.recipientId)) ||
          (r.recipientId === userId && ids.includes(r.senderId))),
    );
  }
  async deleteAllFor(userId: string) {
    const mine = this.rows.filter((r) => r.senderId === userId || r.recipientId === userId);
    this.rows = this.rows.filter((r) => !mine.includes(r));
    return mine.filter((r) => r.status === 'pending');
  }
}

class FakeContacts {
  rows: { userId: string; contactId: string; since: Date }[] = [];
  async addPair(a: string, b: string, since: Date) {
    for (const [userId, contactId] of [
      [a, b],
      [b, a],
    ]) {
      if (!this.rows.some((r) => r.userId === userId && r.contactId === contactId))
        this.rows.push({ userId, contactId, since });
    }
  }
  async find(userId: string, contactId: string): Promise<ContactLink | null> {
    const row = this.rows.find((r) => r.userId === userId && r.contactId === contactId);
    return row ? { contactId: row.contactId, since: row.since, muted: false } : null;
  }
  async listFor(userId: string) {
    return this.rows
      .filter((r) => r.userId === userId)
      .map((r) => ({ contactId: r.contactId, since: r.since, muted: false }));
  }
  async contactIdsAmong(userId: string, ids: string[]) {
    return this.rows
      .filter((r) => r.userId === userId && ids.includes(r.contactId))
      .map((r) => r.contactId);
  }
  async removePair(a: string, b: string) {
    const before = this.rows.length;
    this.rows = this.rows.filter(
      (r) => !((r.userId === a && r.contactId === b) || (r.userId === b && r.contactId === a)),
    );
    return before - this.rows.length;
  }
  async removeAllFor(userId: string) {
    const others = this.rows.filter((r) => r.userId === userId).map((r) => r.contactId);
    this.rows = this.rows.filter((r) => r.userId !== userId && r.contactId !== userId);
    return others;
  }
}

class FakeBlocks {
  rows: BlockRecord[] = [];
  async create(blockerId: string, blockedId: string) {
    const existing = await this.find(blockerId, blockedId);
    if (existing) return existing;
    const row = { blockerId, blockedId, createdAt: new Date() };
    this.rows.push(row);
    return row;
  }
  async find(blockerId: string, blockedId: string) {
    return this.rows.find((r) => r.blockerId === blockerId && r.blockedId === blockedId) ?? null;
  }
  async listBy(blockerId: string) {
    return this.rows.filter((r) => r.blockerId === blockerId);
  }
  async existsEitherWay(a: string, b: string) {
    return Boolean((await this.find(a, b)) ?? (await this.find(b, a)));
  }
  async relatedIds(userId: string) {
    return this.rows.flatMap((r) =>
      r.blockerId === userId ? [r.blockedId] : r.blockedId === userId ? [r.blockerId] : [],
    );
  }
  async remove(blockerId: string, blockedId: string) {
    const before = this.rows.length;
    this.rows = this.rows.filter((r) => !(r.blockerId === blockerId && r.blockedId === blockedId));
    return before > this.rows.length;
  }
  async removeAllFor(userId: string) {
    this.rows = this.rows.filter((r) => r.blockerId !== userId && r.blockedId !== userId);
  }
}

class FakeUsers {
  rows: UserRecord[] = [];
  add(username: string): UserRecord {
    const user: UserRecord = {
      id: new Types.ObjectId().toHexString(),
      username,
      usernameLower: username.toLowerCase(),
      passwordHash: 'x',
      createdAt: new Date(),
      lastSeenAt: null,
      twoFactorEnabled: false,
    };
    this.rows.push(user);
    return user;
  }
  async findById(id: string) {
    return this.rows.find((u) => u.id === id) ?? null;
  }
  async findByIds(ids: string[]) {
    return this.rows.filter((u) => ids.includes(u.id));
  }
  async findByUsername(name: string) {
    return this.rows.find((u) => u.usernameLower === name.toLowerCase()) ?? null;
  }
  async searchByPrefix(prefix: string, exclude: string[], limit: number) {
    return this.rows
      .filter((u) => u.usernameLower.startsWith(prefix.toLowerCase()) && !exclude.includes(u.id))
      .slice(0, limit);
  }
}

/** What the social graph reads from, and the messages module does to, conversations. */
class FakeConversations implements Pick<
  ConversationsService,
  'ensureConversation' | 'deleteConversationBetween'
> {
  pairs = new Set<string>();
  lastMessages = new Map<string, LastMessageSummary>();
  async ensureConversation(a: string, b: string) {
    this.pairs.add(pairKeyOf(a, b));
    return { id: pairKeyOf(a, b) };
  }
  async deleteConversationBetween(a: string, b: string) {
    this.pairs.delete(pairKeyOf(a, b));
  }
  async summariesFor(userId: string, ids: string[]) {
    return new Map(
      ids.map((id) => [
        id,
        { unreadCount: 0, lastMessage: this.lastMessages.get(pairKeyOf(userId, id)) ?? null },
      ]),
    );
  }
}

interface Emitted {
  to: string;
  event: string;
  payload: unknown;
}

function setup() {
  const requests = new FakeRequests();
  const contactRows = new FakeContacts();
  const blockRows = new FakeBlocks();
  const users = new FakeUsers();
  const conversations = new FakeConversations();
  const emitted: Emitted[] = [];
  const realtime = {
    emitToUser: (to: string, event: string, payload: unknown) =>
      emitted.push({ to, event, payload }),
    emitToUsers: (ids: string[], event: string, payload: unknown) =>
      ids.forEach((to) => emitted.push({ to, event, payload })),
  } as unknown as RealtimeService;
  const online = new Set<string>();
  const presence = {
    onlineUserIds: async (ids: string[]) => new Set(ids.filter((id) => online.has(id))),
  } as unknown as PresenceService;
  const published: { kind: string; payload: unknown }[] = [];
  const changes = {
    publish: async (kind: string, payload: unknown) => {
      published.push({ kind, payload });
    },
  };
  const contacts = new ContactsService(contactRows as unknown as ContactsRepository);
  const blocks = new BlocksService(blockRows as unknown as BlocksRepository);
  const usersRepo = users as unknown as UsersRepository;
  const requestsRepo = requests as unknown as FriendsRepository;
  // The real bus and the messages module's real listener, over the fake conversations.
  const events = new EventEmitter2();
  const listener = new ContactConversations(conversations as unknown as ConversationsService);
  events.on(DomainEvent.ContactsConnected, (event) => listener.onConnected(event));
  events.on(DomainEvent.ContactsSevered, (event) => listener.onSevered(event));
  const relationships = new RelationshipChanges(changes as unknown as ChangeFeed, events);
  const contactBook = new ContactBook(
    usersRepo,
    contacts,
    conversations as unknown as ConversationsService,
    presence,
    realtime,
    relationships,
  );
  const blocking = new Blocking(
    usersRepo,
    blocks,
    requestsRepo,
    contactBook,
    relationships,
    realtime,
  );
  const search = new UserSearch(usersRepo, contacts, blocks, requestsRepo);
  const fanout = new PresenceFanout(contacts, blocks, realtime);
  const cleanup = new SocialAccountCleanup(
    requestsRepo,
    contacts,
    blocks,
    contactBook,
    relationships,
    realtime,
  );
  const sut = new FriendsService(requestsRepo, usersRepo, contacts, blocks, contactBook, realtime);
  const [alice, bob, carol] = ['Alice', 'Bob', 'Carol'].map((name) => users.add(name));
  const eventsFor = (userId: string, event: string) =>
    emitted.filter((e) => e.to === userId && e.event === event).map((e) => e.payload);
  return {
    sut,
    contactBook,
    blocking,
    search,
    fanout,
    cleanup,
    changes,
    published,
    requests,
    contactRows,
    blockRows,
    users,
    conversations,
    emitted,
    online,
    alice,
    bob,
    carol,
    eventsFor,
  };
}

const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return (error as { getResponse(): { code: string } }).getResponse().code;
  }
  throw new Error('expected a rejection');
};

describe('FriendsService', () => {
  it('sends a request and tells only the recipient', async () => {
    const { sut, alice, bob, requests, eventsFor } = setup();
    const outcome = await sut.send(alice.id, 'BOB');
    expect(outcome).toEqual({
      request: expect.objectContaining({
        sender: { id: alice.id, username: 'Alice' },
        recipient: { id: bob.id, username: 'Bob' },
      }),
    });
    expect(requests.rows).toHaveLength(1);
    expect(eventsFor(bob.id, 'friend_request_received')).toHaveLength(1);
    expect(eventsFor(alice.id, 'friend_request_received')).toHaveLength(0);
  });

  it('refuses unknown users, yourself, blocked pairs (both ways), contacts and duplicates', async () => {
    const { sut, alice, bob, carol, blockRows, contactRows, requests } = setup();
    expect(await codeOf(sut.send(alice.id, 'nobody'))).toBe('USER_NOT_FOUND');
    expect(await codeOf(sut.send(alice.id, 'alice'))).toBe('CANNOT_ADD_SELF');
    await blockRows.create(bob.id, alice.id);
    expect(await codeOf(sut.send(alice.id, 'bob'))).toBe('BLOCKED');
    expect(await codeOf(sut.send(bob.id, 'alice'))).toBe('BLOCKED');
    await contactRows.addPair(alice.id, carol.id, new Date());
    expect(await codeOf(sut.send(carol.id, 'alice'))).toBe('ALREADY_CONTACTS');
    expect(requests.rows).toHaveLength(0);
    const dave = setup(); // fresh world for the duplicate rule
    await dave.sut.send(dave.alice.id, 'bob');
    expect(await codeOf(dave.sut.send(dave.alice.id, 'bob'))).toBe('REQUEST_ALREADY_SENT');
    expect(dave.requests.rows).toHaveLength(1);
  });

  it('accepts their request instead when they asked first', async () => {
    const { sut, alice, bob, contactRows, conversations, requests, eventsFor } = setup();
    await sut.send(bob.id, 'alice');
    const outcome = await sut.send(alice.id, 'bob');
    expect(outcome).toEqual({ contact: expect.objectContaining({ id: bob.id, username: 'Bob' }) });
    expect(contactRows.rows).toHaveLength(2);
    expect(conversations.pairs.has(pairKeyOf(alice.id, bob.id))).toBe(true);
    expect(requests.rows[0].status).toBe('accepted');
    expect(eventsFor(bob.id, 'friend_request_accepted')).toEqual([
      { contact: expect.objectContaining({ id: alice.id }) },
    ]);
    expect(eventsFor(alice.id, 'friend_request_accepted')).toEqual([
      { contact: expect.objectContaining({ id: bob.id }) },
    ]);
    expect(eventsFor(alice.id, 'contacts_updated')).toHaveLength(1);
    expect(eventsFor(bob.id, 'contacts_updated')).toHaveLength(1);
  });

  it('losing an insert race to the other side turns into accepting their request', async () => {
    const { sut, alice, bob, requests, contactRows } = setup();
    requests.beforeInsert = () => requests.insert(bob.id, alice.id);
    const outcome = await sut.send(alice.id, 'bob');
    expect('contact' in outcome).toBe(true);
    expect(requests.rows.filter((r) => r.status === 'pending')).toHaveLength(0);
    expect(contactRows.rows).toHaveLength(2);
  });

  it('losing an insert race to a duplicate of your own is REQUEST_ALREADY_SENT', async () => {
    const { sut, alice, bob, requests } = setup();
    requests.beforeInsert = () => requests.insert(alice.id, bob.id);
    expect(await codeOf(sut.send(alice.id, 'bob'))).toBe('REQUEST_ALREADY_SENT');
    expect(requests.rows).toHaveLength(1);
  });

  it('only the recipient may accept or reject, only the sender may cancel; others get 404 and nothing changes', async () => {
    const { sut, alice, bob, carol, requests, contactRows, emitted } = setup();
    const { request } = (await sut.send(alice.id, 'bob')) as { request: { id: string } };
    const before = JSON.stringify(requests.rows);
    const emittedBefore = emitted.length;
    expect(await codeOf(sut.accept(alice.id, request.id))).toBe('REQUEST_NOT_FOUND');
    expect(await codeOf(sut.accept(carol.id, request.id))).toBe('REQUEST_NOT_FOUND');
    expect(await codeOf(sut.reject(alice.id, request.id))).toBe('REQUEST_NOT_FOUND');
    expect(await codeOf(sut.cancel(bob.id, request.id))).toBe('REQUEST_NOT_FOUND');
    expect(await codeOf(sut.cancel(carol.id, request.id))).toBe('REQUEST_NOT_FOUND');
    expect(JSON.stringify(requests.rows)).toBe(before);
    expect(contactRows.rows).toHaveLength(0);
    expect(emitted.length).toBe(emittedBefore);
  });

  it('reject tells the sender; cancel tells the recipient; both free the pair', async () => {
    const { sut, alice, bob, eventsFor } = setup();
    const first = (await sut.send(alice.id, 'bob')) as { request: { id: string } };
    await sut.reject(bob.id, first.request.id);
    expect(eventsFor(alice.id, 'friend_request_rejected')).toEqual([
      { requestId: first.request.id },
    ]);
    const second = (await sut.send(alice.id, 'bob')) as { request: { id: string } };
    await sut.cancel(alice.id, second.request.id);
    expect(eventsFor(bob.id, 'friend_request_cancelled')).toEqual([
      { requestId: second.request.id },
    ]);
    expect(await codeOf(sut.accept(bob.id, second.request.id))).toBe('REQUEST_NOT_FOUND');
  });

  it('lists incoming and outgoing requests with the other person', async () => {
    const { sut, alice, bob, carol } = setup();
    await sut.send(bob.id, 'alice');
    await sut.send(carol.id, 'alice');
    const incoming = await sut.incoming(alice.id);
    expect(incoming.map((r) => r.sender.username)).toEqual(['Carol', 'Bob']);
    expect(await sut.outgoing(bob.id)).toEqual([
      expect.objectContaining({ recipient: { id: alice.id, username: 'Alice' } }),
    ]);
  });
});

describe('the social graph (ContactBook, Blocking, UserSearch, PresenceFanout, SocialAccountCleanup)', () => {
  it('search: short queries are empty, yourself and blocked users (both ways) are hidden, relationships are set', async () => {
    const { search, sut, alice, users, blockRows } = setup();
    const ann = users.add('Ann');
    const andy = users.add('Andy');
    expect(await search.search(alice.id, 'a')).toEqual([]);
    expect(await search.search(alice.id, '  ')).toEqual([]);
    await sut.send(alice.id, 'ann');
    await sut.send(andy.id, 'alice');
    expect(await search.search(alice.id, 'AN')).toEqual([
      { id: ann.id, username: 'Ann', relationship: 'outgoing' },
      { id: andy.id, username: 'Andy', relationship: 'incoming' },
    ]);
    await blockRows.create(andy.id, alice.id);
    expect((await search.search(alice.id, 'an')).map((u) => u.id)).toEqual([ann.id]);
    expect((await search.search(andy.id, 'al')).map((u) => u.id)).toEqual([]);
  });

  it('contacts are ordered by their last message, else by since', async () => {
    const { contactBook, contactRows, conversations, online, alice, bob, carol } = setup();
    await contactRows.addPair(alice.id, bob.id, new Date('2024-01-01T00:00:00Z'));
    await contactRows.addPair(alice.id, carol.id, new Date('2024-02-01T00:00:00Z'));
    online.add(bob.id);
    expect((await contactBook.listContacts(alice.id)).map((c) => c.username)).toEqual([
      'Carol',
      'Bob',
    ]);
    conversations.lastMessages.set(pairKeyOf(alice.id, bob.id), {
      seq: 1,
      senderId: bob.id,
      type: 'text',
      text: 'hi',
      createdAt: '2024-03-01T00:00:00.000Z',
    });
    const contacts = await contactBook.listContacts(alice.id);
    expect(contacts.map((c) => c.username)).toEqual(['Bob', 'Carol']);
    expect(contacts[0]).toMatchObject({ online: true, lastMessage: { text: 'hi' } });
    expect(contacts[1]).toMatchObject({ online: false, lastSeen: null });
  });

  it('removing a non-contact is CONTACT_NOT_FOUND and notifies nobody', async () => {
    const { contactBook, contactRows, alice, bob, carol, emitted } = setup();
    await contactRows.addPair(bob.id, carol.id, new Date());
    expect(await codeOf(contactBook.removeContact(alice.id, bob.id))).toBe('CONTACT_NOT_FOUND');
    expect(contactRows.rows).toHaveLength(2);
    expect(emitted).toEqual([]);
  });

  it('removing a contact drops both directions and the conversation, and tells the other side', async () => {
    const { sut, contactBook, contactRows, conversations, alice, bob, eventsFor } = setup();
    await sut.send(alice.id, 'bob');
    await sut.send(bob.id, 'alice');
    await contactBook.removeContact(alice.id, bob.id);
    expect(contactRows.rows).toEqual([]);
    expect(conversations.pairs.size).toBe(0);
    expect(eventsFor(bob.id, 'contact_removed')).toEqual([{ userId: alice.id }]);
    expect(eventsFor(bob.id, 'contacts_updated').at(-1)).toEqual({ contacts: [] });
  });

  it('blocking severs the contact and withdraws pending requests; unblock of nothing is 404', async () => {
    const { sut, blocking, contactRows, requests, alice, bob, carol, eventsFor } = setup();
    await sut.send(alice.id, 'bob');
    await sut.send(bob.id, 'alice');
    await sut.send(carol.id, 'alice');
    expect(await codeOf(blocking.block(alice.id, alice.id))).toBe('CANNOT_BLOCK_SELF');
    expect(await codeOf(blocking.block(alice.id, new Types.ObjectId().toHexString()))).toBe(
      'USER_NOT_FOUND',
    );
    await blocking.block(alice.id, bob.id);
    await blocking.block(alice.id, carol.id);
    expect(contactRows.rows).toEqual([]);
    expect(requests.rows.filter((r) => r.status === 'pending')).toEqual([]);
    expect(eventsFor(bob.id, 'contact_removed')).toEqual([{ userId: alice.id }]);
    expect(eventsFor(carol.id, 'friend_request_rejected')).toEqual([]);
    expect(await blocking.listBlocks(alice.id)).toEqual([
      expect.objectContaining({ id: bob.id, username: 'Bob' }),
      expect.objectContaining({ id: carol.id, username: 'Carol' }),
    ]);
    await blocking.unblock(alice.id, bob.id);
    expect(await codeOf(blocking.unblock(alice.id, bob.id))).toBe('BLOCK_NOT_FOUND');
    expect(await codeOf(blocking.unblock(carol.id, alice.id))).toBe('BLOCK_NOT_FOUND');
  });

  it('publishes relationship.changed for every contact or block change, before the conversation goes', async () => {
    const {
      sut,
      contactBook,
      blocking,
      cleanup,
      changes,
      published,
      conversations,
      alice,
      bob,
      carol,
    } = setup();
    const changed = () =>
      published.filter((p) => p.kind === 'relationship.changed').map((p) => p.payload);
    await sut.send(alice.id, 'bob');
    await sut.send(bob.id, 'alice'); // accept
    expect(changed()).toEqual([{ userIds: [bob.id, alice.id] }]);
    let conversationAtPublish: boolean | null = null;
    published.length = 0;
    const original = changes.publish.bind(changes);
    changes.publish = async (kind, payload) => {
      conversationAtPublish ??= conversations.pairs.has(pairKeyOf(alice.id, bob.id));
      await original(kind, payload);
    };
    await contactBook.removeContact(alice.id, bob.id);
    expect(changed()).toEqual([{ userIds: [alice.id, bob.id] }]);
    expect(conversationAtPublish).toBe(true);
    published.length = 0;
    await blocking.block(alice.id, carol.id);
    await blocking.unblock(alice.id, carol.id);
    expect(changed()).toEqual([
      { userIds: [alice.id, carol.id] },
      { userIds: [alice.id, carol.id] },
    ]);
    published.length = 0;
    await sut.send(carol.id, 'alice');
    await sut.send(alice.id, 'carol');
    published.length = 0;
    await cleanup.onAccountDeleting({ userId: carol.id });
    expect(changed()).toEqual([{ userIds: [carol.id, alice.id] }]);
  });

  it('presence goes to contacts only, never to blocked users', async () => {
    const { fanout, contactRows, blockRows, alice, bob, carol, users, eventsFor } = setup();
    const stranger = users.add('Stranger');
    await contactRows.addPair(alice.id, bob.id, new Date());
    await contactRows.addPair(alice.id, carol.id, new Date());
    await blockRows.create(carol.id, alice.id); // a stale contact row must not leak presence
    await fanout.onPresenceChanged({ userId: alice.id, online: true, lastSeen: null });
    expect(eventsFor(bob.id, 'presence')).toEqual([
      { userId: alice.id, online: true, lastSeen: null },
    ]);
    expect(eventsFor(carol.id, 'presence')).toEqual([]);
    expect(eventsFor(stranger.id, 'presence')).toEqual([]);
  });

  it('account deletion removes contacts, requests and blocks both ways and tells former contacts', async () => {
    const {
      sut,
      cleanup,
      contactRows,
      blockRows,
      requests,
      conversations,
      alice,
      bob,
      carol,
      users,
      eventsFor,
    } = setup();
    const dan = users.add('Dan');
    await sut.send(alice.id, 'bob');
    await sut.send(bob.id, 'alice');
    await sut.send(carol.id, 'alice');
    await blockRows.create(dan.id, alice.id);
    await cleanup.onAccountDeleting({ userId: alice.id });
    expect(contactRows.rows).toEqual([]);
    expect(requests.rows).toEqual([]);
    expect(blockRows.rows).toEqual([]);
    expect(conversations.pairs.size).toBe(0);
    expect(eventsFor(bob.id, 'contact_removed')).toEqual([{ userId: alice.id }]);
    expect(eventsFor(carol.id, 'friend_request_rejected')).toHaveLength(1);
  });
});
