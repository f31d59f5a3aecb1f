// Over 300 lines: one suite for the social graph against the real app (search, requests,
// contacts, blocks, account deletion), sharing one app and its users.
import { Types } from 'mongoose';
import request from 'supertest';
import {
  bearer,
  ClientSocket,
  collect,
  connectSocket,
  nextEvent,
  signup,
  sleep,
  TestUser,
  uniqueName,
} from './support/clients';
import { createTestApp, dropDatabase, TestApp } from './support/test-app';

const oid = (id: string) => new Types.ObjectId(id);

describe('social graph: search, friend requests, contacts, blocks', () => {
  let t: TestApp;
  const sockets: ClientSocket[] = [];

  const api = () => request(t.url);
  const newUser = (prefix = 'u') => signup(t.url, uniqueName(prefix));
  const send = (from: TestUser, username: string) =>
    api().post('/api/friend-requests/send').set(bearer(from)).send({ username });
  const accept = (by: TestUser, requestId: string) =>
    api().post('/api/friend-requests/accept').set(bearer(by)).send({ requestId });
  const search = (by: TestUser, q: string) =>
    api().get('/api/users/search').query({ q }).set(bearer(by));
  const socketOf = async (user: TestUser) => {
    const socket = await connectSocket(t.url, user.accessToken);
    sockets.push(socket);
    return socket;
  };
  async function befriend(a: TestUser, b: TestUser): Promise<void> {
    const sent = await send(a, b.username).expect(201);
    await accept(b, sent.body.request.id).expect(200);
  }
  const countContacts = (filter: object) => t.db.collection('contacts').countDocuments(filter);
  const pendingBetween = (a: TestUser, b: TestUser) =>
    t.db.collection('friendrequests').countDocuments({
      status: 'pending',
      $or: [
        { senderId: oid(a.id), recipientId: oid(b.id) },
        { senderId: oid(b.id), recipientId: oid(a.id) },
      ],
    });
  const conversationsOf = (a: TestUser, b: TestUser) =>
    t.db
      .collection('conversations')
      .countDocuments({ participantIds: { $all: [oid(a.id), oid(b.id)] } });
  const snapshot = async () => ({
    requests: await t.db.collection('friendrequests').find({}).sort({ _id: 1 }).toArray(),
    contacts: await t.db.collection('contacts').find({}).sort({ _id: 1 }).toArray(),
    conversations: await t.db.collection('conversations').find({}).sort({ _id: 1 }).toArray(),
    blocks: await t.db.collection('blocks').find({}).sort({ _id: 1 }).toArray(),
  });

  beforeAll(async () => {
    t = await createTestApp({ label: 'social' });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    // Let the server finish its disconnect handlers (presence, lastSeen) before the database goes.
    await sleep(300);
    await dropDatabase(t);
    await t.close();
  });

  describe('GET /api/users/search', () => {
    it('matches a case-insensitive prefix, never yourself, at most 10, with relationships', async () => {
      const stem = uniqueName('s').slice(0, 12);
      const me = await signup(t.url, `${stem}me`);
      const others: TestUser[] = [];
      for (let i = 0; i < 12; i++)
        others.push(await signup(t.url, `${stem}${String(i).padStart(2, '0')}`));
      await signup(t.url, uniqueName('zz')); // not matching

      const all = await search(me, stem.toUpperCase()).expect(200);
      expect(all.body.users).toHaveLength(10);
      expect(all.body.users.map((u: { id: string }) => u.id)).not.toContain(me.id);
      for (const user of all.body.users)
        expect(user.username.toLowerCase().startsWith(stem)).toBe(true);

      // outgoing, incoming, contact
      await send(me, others[0].username).expect(201);
      await send(others[1], me.username).expect(201);
      await befriend(others[2], me);
      const narrowed = await search(me, `${stem}0`).expect(200);
      const byName = new Map(
        narrowed.body.users.map((u: { username: string; relationship: string }) => [
          u.username,
          u.relationship,
        ]),
      );
      expect(byName.get(others[0].username)).toBe('outgoing');
      expect(byName.get(others[1].username)).toBe('incoming');
      expect(byName.get(others[2].username)).toBe('contact');
      expect(byName.get(others[3].username)).toBe('none');
      expect(narrowed.body.users[0]).toEqual({
        id: expect.any(String),
        username: expect.any(String),
        relationship: expect.any(String),
      });
    });

    it('gives an empty list below 2 characters and 400 above 20', async () => {
      const me = await newUser();
      expect((await search(me, '').expect(200)).body).toEqual({ users: [] });
      expect((await search(me, 'u').expect(200)).body).toEqual({ users: [] });
      expect((await search(me, '   u  ').expect(200)).body).toEqual({ users: [] });
      await api().get('/api/users/search').set(bearer(me)).expect(200, { users: [] });
      await search(me, 'x'.repeat(21)).expect(400);
    });

    it('treats regex and operator syntax as literal text', async () => {
      const me = await newUser();
      const dotted = await signup(t.url, `a.${uniqueName('d').slice(0, 10)}`);
      const plain = await signup(t.url, `ab${uniqueName('d').slice(0, 10)}`);
      for (const q of ['.*', '(a+)+$', '[', '\\', '$ne', '^a', 'a|b', '.+', '*', '?']) {
        const response = await search(me, q).expect(200);
        for (const user of response.body.users)
          expect(user.username.toLowerCase().startsWith(q.toLowerCase())).toBe(true);
        expect(response.body.users.map((u: { id: string }) => u.id)).not.toContain(plain.id);
      }
      // A literal "." only matches a real dot.
      const dot = await search(me, 'a.').expect(200);
      expect(dot.body.users.map((u: { id: string }) => u.id)).toContain(dotted.id);
      expect(dot.body.users.map((u: { id: string }) => u.id)).not.toContain(plain.id);
      // A query object instead of a string is refused, not executed.
      const injected = await api().get('/api/users/search?q[$ne]=zz').set(bearer(me));
      expect(injected.status).toBe(400);
      await api().get('/api/users/search?q=ab&q=cd').set(bearer(me)).expect(400);
    });

    it('requires authentication', async () => {
      await api().get('/api/users/search').query({ q: 'ab' }).expect(401);
    });
  });

  describe('POST /api/friend-requests/send', () => {
    it('creates a pending request (201) and tells the recipient live', async () => {
      const [a, b] = [await newUser(), await newUser()];
      const socket = await socketOf(b);
      const received = nextEvent(socket, 'friend_request_received');
      const response = await send(a, b.username.toUpperCase()).expect(201);
      expect(response.body).toEqual({
        request: {
          id: expect.any(String),
          sender: { id: a.id, username: a.username },
          recipient: { id: b.id, username: b.username },
          sentAt: expect.any(String),
        },
      });
      expect((await received).request).toEqual(response.body.request);
      expect(await pendingBetween(a, b)).toBe(1);
    });

    it('refuses unknown users, yourself, duplicates and existing contacts', async () => {
      const [a, b, c] = [await newUser(), await newUser(), await newUser()];
      expect((await send(a, uniqueName('nobody')).expect(404)).body.code).toBe('USER_NOT_FOUND');
      expect((await send(a, a.username.toUpperCase()).expect(400)).body.code).toBe(
        'CANNOT_ADD_SELF',
      );
      await send(a, b.username).expect(201);
      expect((await send(a, b.username).expect(409)).body.code).toBe('REQUEST_ALREADY_SENT');
      expect(await pendingBetween(a, b)).toBe(1);
      await befriend(a, c);
      expect((await send(a, c.username).expect(409)).body.code).toBe('ALREADY_CONTACTS');
      expect((await send(c, a.username).expect(409)).body.code).toBe('ALREADY_CONTACTS');
      expect(await pendingBetween(a, c)).toBe(0);
    });

    it('validates the body', async () => {
      const a = await newUser();
      await api().post('/api/friend-requests/send').set(bearer(a)).send({}).expect(400);
      await api()
        .post('/api/friend-requests/send')
        .set(bearer(a))
        .send({ username: { $ne: 'x' } })
        .expect(400);
      await api()
        .post('/api/friend-requests/send')
        .set(bearer(a))
        .send({ username: 'a b c' })
        .expect(400);
      await api()
        .post('/api/friend-requests/send')
        .set(bearer(a))
        .send({ username: 'abcd', extra: 1 })
        .expect(400);
      await api().post('/api/friend-requests/send').send({ username: 'abcd' }).expect(401);
    });

    it('five concurrent sends create exactly one pending request', async () => {
      const [a, b] = [await newUser(), await newUser()];
      const responses = await Promise.all(Array.from({ length: 5 }, () => send(a, b.username)));
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409, 409, 409, 409]);
      expect(await pendingBetween(a, b)).toBe(1);
      expect(await t.db.collection('friendrequests').countDocuments({ senderId: oid(a.id) })).toBe(
        1,
      );
    });

    it('the database itself refuses a second pending request for a pair (unique index)', async () => {
      const [a, b] = [await newUser(), await newUser()];
      const sent = await send(a, b.username).expect(201);
      const stored = await t.db
        .collection('friendrequests')
        .findOne({ _id: oid(sent.body.request.id) });
      const [low, high] = [a.id, b.id].sort();
      expect(stored?.pendingKey).toBe(`${low}:${high}`);
      const duplicate = {
        senderId: oid(b.id),
        recipientId: oid(a.id),
        status: 'pending',
        createdAt: new Date(),
        respondedAt: null,
        pendingKey: stored?.pendingKey,
      };
      await expect(t.db.collection('friendrequests').insertOne(duplicate)).rejects.toMatchObject({
        code: 11000,
      });
      expect(await pendingBetween(a, b)).toBe(1);
    });

    it('a request to someone who already asked you accepts theirs (200 { contact })', async () => {
      const [a, b] = [await newUser(), await newUser()];
      const first = await send(a, b.username).expect(201);
      const response = await send(b, a.username).expect(200);
      expect(response.body.contact).toMatchObject({
        id: a.id,
        username: a.username,
        unreadCount: 0,
        lastMessage: null,
      });
      expect(await countContacts({ userId: oid(a.id), contactId: oid(b.id) })).toBe(1);
      expect(await countContacts({ userId: oid(b.id), contactId: oid(a.id) })).toBe(1);
      expect(await pendingBetween(a, b)).toBe(0);
      const stored = await t.db
        .collection('friendrequests')
        .findOne({ _id: oid(first.body.request.id) });
      expect(stored?.status).toBe('accepted');
      expect(await conversationsOf(a, b)).toBe(1);
    });

    it('simultaneous requests both ways end as contacts with no request left pending', async () => {
      const [a, b] = [await newUser(), await newUser()];
      const responses = await Promise.all([send(a, b.username), send(b, a.username)]);
      expect(responses.map((r) => r.status).sort()).toEqual([200, 201]);
      expect(await countContacts({ userId: oid(a.id), contactId: oid(b.id) })).toBe(1);
      expect(await countContacts({ userId: oid(b.id), contactId: oid(a.id) })).toBe(1);
      expect(await pendingBetween(a, b)).toBe(0);
    });

    it('a resolved request frees the pair for a new one', async () => {
      const [a, b] = [await newUser(), await newUser()];
      const first = await send(a, b.username).expect(201);
      await api()
        .post('/api/friend-requests/reject')
        .set(bearer(b))
        .send({ requestId: first.body.request.id })
        .expect(200);
      const second = await send(a, b.username).expect(201);
      await api()
        .post('/api/friend-requests/cancel')
        .set(bearer(a))
        .send({ requestId: second.body.request.id })
        .expect(200);
      await send(b, a.username).expect(201);
      expect(await pendingBetween(a, b)).toBe(1);
    });
  });

  describe('pending, sent, accept, reject, cancel', () => {
    it('lists incoming newest first and outgoing', async () => {
      const [me, x, y] = [await newUser(), await newUser(), await newUser()];
      await send(x, me.username).expect(201);
      await sleep(5);
      await send(y, me.username).expect(201);
      const pending = await api().get('/api/friend-requests/pending').set(bearer(me)).expect(200);
      expect(pending.body.requests.map((r: { sender: { id: string } }) => r.sender.id)).toEqual([
        y.id,
        x.id,
      ]);
      expect(pending.body.requests[0]).toEqual({
        id: expect.any(String),
        sender: { id: y.id, username: y.username },
        sentAt: expect.any(String),
      });
      const sent = await api().get('/api/friend-requests/sent').set(bearer(x)).expect(200);
      expect(sent.body).toEqual({
        requests: [
          {
            id: expect.any(String),
            recipient: { id: me.id, username: me.username },
            sentAt: expect.any(String),
          },
        ],
      });
      expect(
        (await api().get('/api/friend-requests/sent').set(bearer(me)).expect(200)).body,
      ).toEqual({ requests: [] });
    });

    it('accept by the recipient creates both contact directions and the conversation', async () => {
      const [a, b] = [await newUser(), await newUser()];
      const sent = await send(a, b.username).expect(201);
      const response = await accept(b, sent.body.request.id).expect(200);
      expect(response.body).toEqual({
        contact: {
          id: a.id,
          username: a.username,
          online: false,
          lastSeen: null,
          unreadCount: 0,
          lastMessage: null,
          since: expect.any(String),
          muted: false,
        },
      });
      expect(await countContacts({ userId: oid(a.id), contactId: oid(b.id) })).toBe(1);
      expect(await countContacts({ userId: oid(b.id), contactId: oid(a.id) })).toBe(1);
      expect(await conversationsOf(a, b)).toBe(1);
      expect((await accept(b, sent.body.request.id).expect(404)).body.code).toBe(
        'REQUEST_NOT_FOUND',
      );
    });

    it('accept, reject or cancel by the wrong user is 404 and changes nothing', async () => {
      const [a, b, stranger] = [await newUser(), await newUser(), await newUser()];
      const sent = await send(a, b.username).expect(201);
      const requestId = sent.body.request.id;
      const before = await snapshot();
      const attempts = [
        accept(a, requestId),
        accept(stranger, requestId),
        api().post('/api/friend-requests/reject').set(bearer(a)).send({ requestId }),
        api().post('/api/friend-requests/reject').set(bearer(stranger)).send({ requestId }),
        api().post('/api/friend-requests/cancel').set(bearer(b)).send({ requestId }),
        api().post('/api/friend-requests/cancel').set(bearer(stranger)).send({ requestId }),
        accept(b, new Types.ObjectId().toHexString()),
      ];
      for (const response of await Promise.all(attempts)) {
        expect(response.status).toBe(404);
        expect(response.body.code).toBe('REQUEST_NOT_FOUND');
      }
      expect(await snapshot()).toEqual(before);
    });

    it('an accept racing a cancel of the same request: exactly one wins, and the data agrees', async () => {
      for (let round = 0; round < 4; round++) {
        const [a, b] = [await newUser(), await newUser()];
        const sent = await send(a, b.username).expect(201);
        const requestId = sent.body.request.id;
        const [accepted, cancelled] = await Promise.all([
          accept(b, requestId),
          api().post('/api/friend-requests/cancel').set(bearer(a)).send({ requestId }),
        ]);
        expect([accepted.status, cancelled.status].sort()).toEqual([200, 404]);
        const stored = await t.db.collection('friendrequests').findOne({ _id: oid(requestId) });
        const contacts = await countContacts({
          $or: [{ userId: oid(a.id) }, { userId: oid(b.id) }],
        });
        if (accepted.status === 200) {
          expect(stored?.status).toBe('accepted');
          expect(contacts).toBe(2);
        } else {
          expect(stored?.status).toBe('cancelled');
          expect(contacts).toBe(0);
        }
      }
    });

    it('malformed request ids are 400', async () => {
      const a = await newUser();
      for (const path of ['accept', 'reject', 'cancel']) {
        for (const requestId of ['nope', '123', { $gt: '' }, 42, null]) {
          await api()
            .post(`/api/friend-requests/${path}`)
            .set(bearer(a))
            .send({ requestId })
            .expect(400);
        }
      }
    });

    it('reject tells the sender, cancel tells the recipient', async () => {
      const [a, b] = [await newUser(), await newUser()];
      const [socketA, socketB] = [await socketOf(a), await socketOf(b)];
      const first = await send(a, b.username).expect(201);
      const rejected = nextEvent(socketA, 'friend_request_rejected');
      await api()
        .post('/api/friend-requests/reject')
        .set(bearer(b))
        .send({ requestId: first.body.request.id })
        .expect(200);
      expect(await rejected).toEqual({ requestId: first.body.request.id });
      expect(
        (await t.db.collection('friendrequests').findOne({ _id: oid(first.body.request.id) }))
          ?.status,
      ).toBe('rejected');

      const second = await send(a, b.username).expect(201);
      const cancelled = nextEvent(socketB, 'friend_request_cancelled');
      await api()
        .post('/api/friend-requests/cancel')
        .set(bearer(a))
        .send({ requestId: second.body.request.id })
        .expect(200);
      expect(await cancelled).toEqual({ requestId: second.body.request.id });
      expect(await pendingBetween(a, b)).toBe(0);
      expect(await countContacts({ userId: oid(a.id) })).toBe(0);
    });
  });

  describe('contacts', () => {
    it('lists contacts by latest activity', async () => {
      const [me, first, second] = [await newUser(), await newUser(), await newUser()];
      await befriend(me, first);
      await sleep(5);
      await befriend(me, second);
      const list = await api().get('/api/contacts').set(bearer(me)).expect(200);
      expect(list.body.contacts.map((c: { id: string }) => c.id)).toEqual([second.id, first.id]);

      // A message from the older contact moves them to the top.
      const socket = await socketOf(first);
      const ack = await socket.timeout(5000).emitWithAck('send_private_message', {
        recipientId: me.id,
        text: 'hello',
        clientId: uniqueName('client') + 'xx',
      });
      expect(ack.ok).toBe(true);
      const after = await api().get('/api/contacts').set(bearer(me)).expect(200);
      expect(after.body.contacts.map((c: { id: string }) => c.id)).toEqual([first.id, second.id]);
      expect(after.body.contacts[0]).toMatchObject({
        unreadCount: 1,
        online: true,
        lastMessage: { type: 'text', text: 'hello', senderId: first.id },
      });
    });

    it('remove deletes both directions and the conversation, and tells the other side', async () => {
      const [a, b] = [await newUser(), await newUser()];
      await befriend(a, b);
      const socketB = await socketOf(b);
      const removed = nextEvent(socketB, 'contact_removed');
      const updated = nextEvent(socketB, 'contacts_updated');
      await api().post('/api/contacts/remove').set(bearer(a)).send({ contactId: b.id }).expect(200);
      expect(await removed).toEqual({ userId: a.id });
      expect(await updated).toEqual({ contacts: [] });
      expect(await countContacts({ $or: [{ userId: oid(a.id) }, { userId: oid(b.id) }] })).toBe(0);
      expect(await conversationsOf(a, b)).toBe(0);
      expect((await api().get('/api/contacts').set(bearer(b)).expect(200)).body).toEqual({
        contacts: [],
      });
    });

    it('removing a non-contact is 404, changes nothing and notifies nobody', async () => {
      const [attacker, victim, victimFriend, controlSender] = [
        await newUser(),
        await newUser(),
        await newUser(),
        await newUser(),
      ];
      await befriend(victim, victimFriend);
      const victimSocket = await socketOf(victim);
      const removedEvents = collect(victimSocket, 'contact_removed');
      const updatedEvents = collect(victimSocket, 'contacts_updated');
      const before = await snapshot();

      const response = await api()
        .post('/api/contacts/remove')
        .set(bearer(attacker))
        .send({ contactId: victim.id })
        .expect(404);
      expect(response.body.code).toBe('CONTACT_NOT_FOUND');
      await api()
        .post('/api/contacts/remove')
        .set(bearer(attacker))
        .send({ contactId: victimFriend.id })
        .expect(404);
      await api()
        .post('/api/contacts/remove')
        .set(bearer(attacker))
        .send({ contactId: attacker.id })
        .expect(404);
      await api()
        .post('/api/contacts/remove')
        .set(bearer(attacker))
        .send({ contactId: 'not-an-id' })
        .expect(400);
      expect(await snapshot()).toEqual(before);

      // A later event reaching the victim proves earlier ones would have arrived by now.
      const control = nextEvent(victimSocket, 'friend_request_received');
      await send(controlSender, victim.username).expect(201);
      await control;
      expect(removedEvents).toEqual([]);
      expect(updatedEvents).toEqual([]);
    });
  });

  describe('blocks', () => {
    it('block, list, unblock and their errors', async () => {
      const [a, b] = [await newUser(), await newUser()];
      const blocked = await api()
        .post('/api/blocks')
        .set(bearer(a))
        .send({ userId: b.id })
        .expect(201);
      expect(blocked.body).toEqual({
        block: { id: b.id, username: b.username, blockedAt: expect.any(String) },
      });
      await api().post('/api/blocks').set(bearer(a)).send({ userId: b.id }).expect(201);
      expect(await t.db.collection('blocks').countDocuments({ blockerId: oid(a.id) })).toBe(1);
      const list = await api().get('/api/blocks').set(bearer(a)).expect(200);
      expect(list.body).toEqual({
        blocks: [{ id: b.id, username: b.username, blockedAt: expect.any(String) }],
      });
      expect((await api().get('/api/blocks').set(bearer(b)).expect(200)).body).toEqual({
        blocks: [],
      });

      expect(
        (await api().post('/api/blocks').set(bearer(a)).send({ userId: a.id }).expect(400)).body
          .code,
      ).toBe('CANNOT_BLOCK_SELF');
      const unknown = await api()
        .post('/api/blocks')
        .set(bearer(a))
        .send({ userId: new Types.ObjectId().toHexString() })
        .expect(404);
      expect(unknown.body.code).toBe('USER_NOT_FOUND');
      await api().post('/api/blocks').set(bearer(a)).send({ userId: 'xyz' }).expect(400);
      await api().delete('/api/blocks/xyz').set(bearer(a)).expect(400);

      // Only the blocker can lift it.
      expect((await api().delete(`/api/blocks/${a.id}`).set(bearer(b)).expect(404)).body.code).toBe(
        'BLOCK_NOT_FOUND',
      );
      await api().delete(`/api/blocks/${b.id}`).set(bearer(a)).expect(204);
      expect((await api().delete(`/api/blocks/${b.id}`).set(bearer(a)).expect(404)).body.code).toBe(
        'BLOCK_NOT_FOUND',
      );
      expect(await t.db.collection('blocks').countDocuments({ blockerId: oid(a.id) })).toBe(0);
    });

    it('blocking removes the contact, the conversation and pending requests, and tells the other side', async () => {
      const [a, b, c] = [await newUser(), await newUser(), await newUser()];
      await befriend(a, b);
      await send(c, a.username).expect(201);
      const socketB = await socketOf(b);
      const removed = nextEvent(socketB, 'contact_removed');
      const updated = nextEvent(socketB, 'contacts_updated');
      await api().post('/api/blocks').set(bearer(a)).send({ userId: b.id }).expect(201);
      expect(await removed).toEqual({ userId: a.id });
      expect(await updated).toEqual({ contacts: [] });
      expect(
        await countContacts({
          $or: [
            { userId: oid(a.id), contactId: oid(b.id) },
            { userId: oid(b.id), contactId: oid(a.id) },
          ],
        }),
      ).toBe(0);
      expect(await conversationsOf(a, b)).toBe(0);

      // Pending requests go both ways: incoming (c → a) and outgoing (a → d).
      const d = await newUser();
      await send(a, d.username).expect(201);
      await api().post('/api/blocks').set(bearer(a)).send({ userId: c.id }).expect(201);
      await api().post('/api/blocks').set(bearer(a)).send({ userId: d.id }).expect(201);
      expect(await pendingBetween(a, c)).toBe(0);
      expect(await pendingBetween(a, d)).toBe(0);
    });

    it('a blocked pair cannot find or request each other, either way', async () => {
      const stem = uniqueName('k').slice(0, 10);
      const a = await signup(t.url, `${stem}aa`);
      const b = await signup(t.url, `${stem}bb`);
      expect(
        (await search(a, stem).expect(200)).body.users.map((u: { id: string }) => u.id),
      ).toContain(b.id);
      await api().post('/api/blocks').set(bearer(a)).send({ userId: b.id }).expect(201);
      expect((await search(a, stem).expect(200)).body.users).toEqual([]);
      expect((await search(b, stem).expect(200)).body.users).toEqual([]);
      expect((await send(a, b.username).expect(403)).body.code).toBe('BLOCKED');
      expect((await send(b, a.username).expect(403)).body.code).toBe('BLOCKED');
      expect(await pendingBetween(a, b)).toBe(0);
      await api().delete(`/api/blocks/${b.id}`).set(bearer(a)).expect(204);
      expect(
        (await search(b, stem).expect(200)).body.users.map((u: { id: string }) => u.id),
      ).toEqual([a.id]);
      await send(b, a.username).expect(201);
    });
  });

  describe('account deletion', () => {
    it('removes contacts, requests and blocks of the deleted user and tells their contacts', async () => {
      const [gone, friend, asker, blocker] = [
        await newUser(),
        await newUser(),
        await newUser(),
        await newUser(),
      ];
      await befriend(gone, friend);
      await send(asker, gone.username).expect(201);
      await api().post('/api/blocks').set(bearer(blocker)).send({ userId: gone.id }).expect(201);
      const socket = await socketOf(friend);
      const removed = nextEvent(socket, 'contact_removed');
      const updated = nextEvent(socket, 'contacts_updated');
      await api().delete('/api/me').set(bearer(gone)).send({ password: gone.password }).expect(204);
      expect(await removed).toEqual({ userId: gone.id });
      expect(await updated).toEqual({ contacts: [] });
      const goneId = oid(gone.id);
      expect(await countContacts({ $or: [{ userId: goneId }, { contactId: goneId }] })).toBe(0);
      expect(
        await t.db
          .collection('friendrequests')
          .countDocuments({ $or: [{ senderId: goneId }, { recipientId: goneId }] }),
      ).toBe(0);
      expect(
        await t.db
          .collection('blocks')
          .countDocuments({ $or: [{ blockerId: goneId }, { blockedId: goneId }] }),
      ).toBe(0);
      expect(await conversationsOf(gone, friend)).toBe(0);
      expect(
        (await api().get('/api/friend-requests/sent').set(bearer(asker)).expect(200)).body,
      ).toEqual({ requests: [] });
    });
  });
});
