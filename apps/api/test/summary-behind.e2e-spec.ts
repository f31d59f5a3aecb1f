import 'reflect-metadata';
import type { ContactInfo, MessageInfo } from '@natter/contracts';
import { Types } from 'mongoose';
import request from 'supertest';
import {
  bearer,
  connectSocket,
  nextEvent,
  signup,
  sleep,
  TestUser,
  socketsOf,
} from './support/clients';
import { befriend, emitAck, sendText } from './support/messaging';
import {
  closeApps,
  createTestApp,
  createTwoApps,
  sharedRedisEnv,
  TestApp,
  uniqueDatabaseUri,
} from './support/test-app';

/**
 * A send is acknowledged and delivered once its message is stored; the conversation summary
 * (contacts-list preview and unread counters) follows in coalesced rounds. With a long round
 * interval the summary stays behind long enough to see every reader cope with it: the sending
 * process merges what it has not written yet, another process reads past it, and a clean
 * shutdown writes it before closing.
 */
const INTERVAL_MS = 4_000;

describe('conversation summaries written behind the messages', () => {
  let one: TestApp;
  let two: TestApp;
  const sockets = socketsOf();
  const connect = (app: TestApp, user: TestUser) => sockets.connect(app.url, user);
  const contactOf = async (app: TestApp, user: TestUser, contact: TestUser) =>
    (
      (await request(app.url).get('/api/contacts').set(bearer(user)).expect(200)).body
        .contacts as ContactInfo[]
    ).find((c) => c.id === contact.id);
  const storedSummarySeq = async (app: TestApp, message: MessageInfo) => {
    const doc = await app.db
      .collection('conversations')
      .findOne({ _id: new Types.ObjectId(message.conversationId) });
    return (doc?.summary as { seq: number } | undefined)?.seq ?? 0;
  };

  beforeAll(async () => {
    const env = { ...sharedRedisEnv(), SUMMARY_INTERVAL_MS: String(INTERVAL_MS) };
    [one, two] = await createTwoApps({ label: 'behind', env });
  });
  afterAll(async () => {
    sockets.closeAll();
    await closeApps(one, two);
  });

  it('acks and delivers before the summary is written; both processes read the conversation exactly meanwhile', async () => {
    const alice = await signup(one.url);
    const bob = await signup(one.url);
    await befriend(one.url, alice, bob);
    const aliceSocket = await connect(one, alice);
    const bobSocket = await connect(two, bob);

    // After a quiet spell a summary is written at once; the next waits for the interval.
    const firstDelivered = nextEvent(bobSocket, 'new_message');
    const first = await sendText(aliceSocket, bob.id, 'first');
    await firstDelivered;
    const delivered = nextEvent(bobSocket, 'new_message');
    const sentAt = Date.now();
    const second = await sendText(aliceSocket, bob.id, 'second');
    expect((await delivered).message.seq).toBe(second.seq);
    expect(Date.now() - sentAt).toBeLessThan(INTERVAL_MS);
    while ((await storedSummarySeq(one, first)) < first.seq) await sleep(20);
    expect(await storedSummarySeq(one, second)).toBe(first.seq); // the summary is behind

    // The sending process merges the summary it has not written yet.
    expect(await contactOf(one, bob, alice)).toMatchObject({
      unreadCount: 2,
      lastMessage: { seq: second.seq, text: 'second' },
    });
    expect(await contactOf(one, alice, bob)).toMatchObject({
      unreadCount: 0,
      lastMessage: { seq: second.seq },
    });

    // Another process reads past the stored summary: the read of `second` takes effect, exactly.
    const unread = nextEvent(bobSocket, 'unread_updated');
    const receipt = nextEvent(aliceSocket, 'message_read');
    const ack = await emitAck(bobSocket, 'mark_read', { contactId: alice.id, seq: second.seq });
    expect(ack).toMatchObject({ ok: true });
    expect(await unread).toMatchObject({
      contactId: alice.id,
      unreadCount: 0,
      lastReadSeq: second.seq,
    });
    expect(await receipt).toMatchObject({ readerId: bob.id, seq: second.seq });
    expect(await storedSummarySeq(one, second)).toBe(first.seq); // still behind

    // Within a round the stored summary catches up, and every process lists the same.
    const deadline = Date.now() + INTERVAL_MS * 2;
    while ((await storedSummarySeq(one, second)) < second.seq && Date.now() < deadline)
      await sleep(100);
    expect(await storedSummarySeq(one, second)).toBe(second.seq);
    for (const app of [one, two])
      expect(await contactOf(app, bob, alice)).toMatchObject({
        unreadCount: 0,
        lastMessage: { seq: second.seq, text: 'second' },
      });
  });

  it('a clean shutdown writes the summaries still on their way', async () => {
    const databaseUri = uniqueDatabaseUri('behind-stop');
    const env = { SUMMARY_INTERVAL_MS: String(INTERVAL_MS) };
    const app = await createTestApp({ label: 'behind-stop', databaseUri, env });
    const alice = await signup(app.url);
    const bob = await signup(app.url);
    await befriend(app.url, alice, bob);
    const socket = await connectSocket(app.url, alice.accessToken);
    const first = await sendText(socket, bob.id, 'first');
    while ((await storedSummarySeq(app, first)) < first.seq) await sleep(20);
    const second = await sendText(socket, bob.id, 'second');
    expect(await storedSummarySeq(app, second)).toBe(first.seq);
    socket.close();

    const reader = await createTestApp({ label: 'behind-stop', databaseUri });
    try {
      const stoppedAt = Date.now();
      await app.close();
      // Written at once, not after the interval.
      expect(Date.now() - stoppedAt).toBeLessThan(INTERVAL_MS);
      expect(await storedSummarySeq(reader, second)).toBe(second.seq);
      expect(await contactOf(reader, bob, alice)).toMatchObject({
        unreadCount: 2,
        lastMessage: { seq: second.seq, text: 'second' },
      });
    } finally {
      await closeApps(reader);
    }
  });
});
