import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { RealtimeService } from '../src/modules/gateway/realtime.service';
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
import { befriend } from './support/messaging';
import { createTestApp, dropDatabase, TestApp, uniqueDatabaseUri } from './support/test-app';

async function contactOf(url: string, viewer: TestUser, contactId: string) {
  const response = await request(url).get('/api/contacts').set(bearer(viewer)).expect(200);
  return response.body.contacts.find((c: { id: string }) => c.id === contactId);
}

describe('real-time social events and presence (one process)', () => {
  let t: TestApp;
  const sockets: ClientSocket[] = [];
  const open = async (user: TestUser) => {
    const socket = await connectSocket(t.url, user.accessToken);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    t = await createTestApp({ label: 'presence' });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    // Let the server finish its disconnect handlers (presence, lastSeen) before the database goes.
    await sleep(300);
    await dropDatabase(t);
    await t.close();
  });

  it('requests and acceptances arrive live on every tab', async () => {
    const [a, b] = [await signup(t.url, uniqueName('p')), await signup(t.url, uniqueName('p'))];
    const [a1, a2, b1, b2] = [await open(a), await open(a), await open(b), await open(b)];
    const received = [
      nextEvent(b1, 'friend_request_received'),
      nextEvent(b2, 'friend_request_received'),
    ];
    const sent = await request(t.url)
      .post('/api/friend-requests/send')
      .set(bearer(a))
      .send({ username: b.username })
      .expect(201);
    for (const event of await Promise.all(received))
      expect(event.request).toEqual(sent.body.request);

    const accepted = [
      nextEvent(a1, 'friend_request_accepted'),
      nextEvent(a2, 'friend_request_accepted'),
      nextEvent(b1, 'friend_request_accepted'),
      nextEvent(b2, 'friend_request_accepted'),
    ];
    const updated = [
      nextEvent(a1, 'contacts_updated'),
      nextEvent(a2, 'contacts_updated'),
      nextEvent(b1, 'contacts_updated'),
      nextEvent(b2, 'contacts_updated'),
    ];
    await request(t.url)
      .post('/api/friend-requests/accept')
      .set(bearer(b))
      .send({ requestId: sent.body.request.id })
      .expect(200);
    const [ea1, ea2, eb1, eb2] = await Promise.all(accepted);
    // Each side gets the other person.
    for (const event of [ea1, ea2])
      expect(event.contact).toMatchObject({ id: b.id, username: b.username, online: true });
    for (const event of [eb1, eb2])
      expect(event.contact).toMatchObject({ id: a.id, username: a.username, online: true });
    const [ua1, , ub1] = await Promise.all(updated);
    expect(ua1.contacts.map((c) => c.id)).toEqual([b.id]);
    expect(ub1.contacts.map((c) => c.id)).toEqual([a.id]);
  });

  it('online while at least one tab is open; offline with lastSeen when the last closes', async () => {
    const [a, watcher] = [
      await signup(t.url, uniqueName('p')),
      await signup(t.url, uniqueName('p')),
    ];
    await befriend(t.url, a, watcher);
    const watch = await open(watcher);
    const events = collect(watch, 'presence');

    const online = nextEvent(watch, 'presence');
    const tab1 = await connectSocket(t.url, a.accessToken);
    expect(await online).toEqual({ userId: a.id, online: true, lastSeen: null });
    const tab2 = await connectSocket(t.url, a.accessToken);

    tab1.close();
    // Wait until the server has dropped the first tab, then flush with a later event.
    const realtime = t.app.get(RealtimeService);
    while ((await realtime.socketCount(a.id)) !== 1) await sleep(20);
    const marker = nextEvent(watch, 'friend_request_received');
    const other = await signup(t.url, uniqueName('p'));
    await request(t.url)
      .post('/api/friend-requests/send')
      .set(bearer(other))
      .send({ username: watcher.username })
      .expect(201);
    await marker;
    // Closing one of two tabs publishes nothing; the contact list still shows them online.
    expect(events).toHaveLength(1);
    expect((await contactOf(t.url, watcher, a.id)).online).toBe(true);

    const offline = nextEvent(watch, 'presence');
    tab2.close();
    const event = await offline;
    expect(event).toMatchObject({ userId: a.id, online: false, lastSeen: expect.any(String) });
    expect(events.filter((e) => e.online === false)).toHaveLength(1);
    expect(events.filter((e) => e.online === true)).toHaveLength(1);
    const after = await contactOf(t.url, watcher, a.id);
    expect(after.online).toBe(false);
    expect(after.lastSeen).toBe(event.lastSeen);
  });

  it('presence goes only to contacts, and never across a block', async () => {
    const [a, friend, blocked, stranger] = await Promise.all(
      [1, 2, 3, 4].map(() => signup(t.url, uniqueName('p'))),
    );
    await befriend(t.url, a, friend);
    await befriend(t.url, a, blocked);
    await request(t.url)
      .post('/api/blocks')
      .set(bearer(blocked))
      .send({ userId: a.id })
      .expect(201);
    const [friendSocket, blockedSocket, strangerSocket] = [
      await open(friend),
      await open(blocked),
      await open(stranger),
    ];
    const blockedSeen = collect(blockedSocket, 'presence');
    const strangerSeen = collect(strangerSocket, 'presence');

    const toFriend = nextEvent(friendSocket, 'presence');
    await open(a);
    expect((await toFriend).userId).toBe(a.id);
    // Same process, same emit order: the friend's event arriving means the others' would have.
    const marker = nextEvent(blockedSocket, 'friend_request_received');
    const marker2 = nextEvent(strangerSocket, 'friend_request_received');
    const third = await signup(t.url, uniqueName('p'));
    await request(t.url)
      .post('/api/friend-requests/send')
      .set(bearer(third))
      .send({ username: blocked.username })
      .expect(201);
    await request(t.url)
      .post('/api/friend-requests/send')
      .set(bearer(third))
      .send({ username: stranger.username })
      .expect(201);
    await Promise.all([marker, marker2]);
    expect(blockedSeen.filter((e) => e.userId === a.id)).toEqual([]);
    expect(strangerSeen).toEqual([]);
    expect(await contactOf(t.url, blocked, a.id)).toBeUndefined();
  });
});

describe('two API processes sharing Redis', () => {
  let one: TestApp;
  let two: TestApp;
  const sockets: ClientSocket[] = [];
  const open = async (app: TestApp, user: TestUser) => {
    const socket = await connectSocket(app.url, user.accessToken);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    const databaseUri = uniqueDatabaseUri('presence2');
    const env = {
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: `natter-test-${randomBytes(4).toString('hex')}:`,
    };
    one = await createTestApp({ label: 'presence2', env, databaseUri });
    two = await createTestApp({ label: 'presence2', env, databaseUri });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    // Let the server finish its disconnect handlers (presence, lastSeen) before the database goes.
    await sleep(300);
    await dropDatabase(one);
    await Promise.all([one.close(), two.close()]);
  });

  it('a request sent through one process reaches the recipient connected to the other', async () => {
    const [a, b] = [await signup(one.url, uniqueName('r')), await signup(two.url, uniqueName('r'))];
    const socketB = await open(two, b);
    const received = nextEvent(socketB, 'friend_request_received');
    const sent = await request(one.url)
      .post('/api/friend-requests/send')
      .set(bearer(a))
      .send({ username: b.username })
      .expect(201);
    expect((await received).request).toEqual(sent.body.request);

    const socketA = await open(one, a);
    const accepted = nextEvent(socketA, 'friend_request_accepted');
    await request(two.url)
      .post('/api/friend-requests/accept')
      .set(bearer(b))
      .send({ requestId: sent.body.request.id })
      .expect(200);
    expect((await accepted).contact).toMatchObject({ id: b.id, online: true });
  });

  it('presence crosses processes: online on one, seen from the other, offline when the last socket closes', async () => {
    const [a, watcher] = [
      await signup(one.url, uniqueName('r')),
      await signup(one.url, uniqueName('r')),
    ];
    await befriend(one.url, a, watcher);
    const watch = await open(two, watcher);

    const online = nextEvent(watch, 'presence');
    const tabOnOne = await connectSocket(one.url, a.accessToken);
    expect(await online).toEqual({ userId: a.id, online: true, lastSeen: null });
    const tabOnTwo = await connectSocket(two.url, a.accessToken);
    // Both processes see the user online, whichever holds the socket.
    expect((await contactOf(two.url, watcher, a.id)).online).toBe(true);
    tabOnOne.close();
    expect((await contactOf(one.url, watcher, a.id)).online).toBe(true);

    const offline = nextEvent(watch, 'presence');
    tabOnTwo.close();
    expect(await offline).toMatchObject({
      userId: a.id,
      online: false,
      lastSeen: expect.any(String),
    });
    expect((await contactOf(one.url, watcher, a.id)).online).toBe(false);
  });
});

describe('presence after a restart', () => {
  it('a freshly started process shows nobody online: presence is never read from stored state', async () => {
    const databaseUri = uniqueDatabaseUri('restart');
    const before = await createTestApp({ label: 'restart1', databaseUri });
    const after = await createTestApp({ label: 'restart2', databaseUri });
    try {
      const alice = await signup(before.url);
      const bob = await signup(before.url);
      await befriend(before.url, alice, bob);
      const bobSocket = await connectSocket(before.url, bob.accessToken);
      expect((await contactOf(before.url, alice, bob.id)).online).toBe(true);
      // The old process still holds Bob's socket, as a crashed one would have; the new
      // process (same database, no shared Redis) must not believe he is online.
      expect((await contactOf(after.url, alice, bob.id)).online).toBe(false);
      const stored = await before.db
        .collection('users')
        .findOne({ usernameLower: bob.username.toLowerCase() });
      expect(Object.keys(stored ?? {})).not.toContain('online');
      bobSocket.close();
      await sleep(300);
    } finally {
      await after.close();
      await dropDatabase(before);
      await before.close();
    }
  });
});
