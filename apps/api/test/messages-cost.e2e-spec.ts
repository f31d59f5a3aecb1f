import type { ContactInfo, MessageInfo } from '@natter/contracts';
import { Types } from 'mongoose';
import { SummaryWriter } from '../src/modules/messages/summary-writer';
import request from 'supertest';
import { bearer, signup, sleep, TestUser, socketsOf } from './support/clients';
import { befriend, emitAck, newClientId, sendText } from './support/messaging';
import {
  closeApps,
  createTwoApps,
  sharedRedisEnv,
  TestApp,
  uniqueDatabaseUri,
} from './support/test-app';

interface Command {
  name: string;
  collection: string;
  /** The fields a find filters on, when recorded `withFilters`. */
  filter?: string[];
}

/** The database commands an app sends, through the driver's command monitoring. */
function recordCommands(app: TestApp, { withFilters = false } = {}) {
  const seen: Command[] = [];
  let on = false;
  app.db.getClient().on('commandStarted', (event) => {
    if (!on) return;
    const collection = String((event.command as Record<string, unknown>)[event.commandName] ?? '');
    // The change feed polls on its own timer, off every request path.
    if (collection === 'changes') return;
    const command: Command = { name: event.commandName, collection };
    const filter = (event.command as { filter?: object }).filter;
    if (withFilters && event.commandName === 'find' && filter) command.filter = Object.keys(filter);
    seen.push(command);
  });
  return {
    async during(action: () => Promise<unknown>, settleMs = 300): Promise<Command[]> {
      seen.length = 0;
      on = true;
      await action();
      // Anything a request leaves running (the summary's read-back) counts too.
      await sleep(settleMs);
      on = false;
      return [...seen];
    },
  };
}

/** Waits for the summary rounds of the sends so far (they follow the acks). */
const summariesWritten = (app: TestApp) => app.app.get(SummaryWriter).flush();

const withMonitoring = (uri: string) => {
  const url = new URL(uri);
  url.searchParams.set('monitorCommands', 'true');
  return url.toString();
};

describe('database round trips and unread counters', () => {
  let one: TestApp;
  let two: TestApp;
  const sockets = socketsOf();
  const connect = (app: TestApp, user: TestUser) => sockets.connect(app.url, user);
  const contactsOf = async (app: TestApp, user: TestUser) =>
    (await request(app.url).get('/api/contacts').set(bearer(user)).expect(200)).body
      .contacts as ContactInfo[];

  beforeAll(async () => {
    const databaseUri = withMonitoring(uniqueDatabaseUri('msgcost'));
    const env = sharedRedisEnv();
    [one, two] = await createTwoApps({ label: 'msgcost', databaseUri, env });
  });
  afterAll(async () => {
    sockets.closeAll();
    await closeApps(one, two);
  });

  it('a warm send costs one insert and one summary write (plus its read-back), nothing read before the insert', async () => {
    const alice = await signup(one.url);
    const bob = await signup(one.url);
    await befriend(one.url, alice, bob);
    const socket = await connect(one, alice);
    await sendText(socket, bob.id, 'warms the caches');
    // Its summary follows the ack: let that round finish before counting the next send.
    await summariesWritten(one);
    const commands = await recordCommands(one).during(async () => {
      await sendText(socket, bob.id, 'counted');
      await summariesWritten(one);
    });
    expect(commands).toEqual([
      { name: 'insert', collection: 'messages' },
      { name: 'update', collection: 'conversations' },
      { name: 'find', collection: 'conversations' },
    ]);
  });

  it('a resend costs its refused insert and one read by _id (an index on every engine), nothing else', async () => {
    const alice = await signup(one.url);
    const bob = await signup(one.url);
    await befriend(one.url, alice, bob);
    const socket = await connect(one, alice);
    const clientId = newClientId();
    const first = await sendText(socket, bob.id, 'sent once', clientId);
    await summariesWritten(one);
    let again: MessageInfo | undefined;
    const commands = await recordCommands(one, { withFilters: true }).during(async () => {
      again = await sendText(socket, bob.id, 'sent once', clientId);
    });
    expect(again).toEqual(first);
    expect(commands).toEqual([
      { name: 'insert', collection: 'messages' },
      { name: 'find', collection: 'messages', filter: ['_id'] },
      // The answer is the message as it stands now, with any reactions added since.
      { name: 'find', collection: 'messagereactions', filter: ['messageId'] },
    ]);
  });

  it('the contacts list costs the same few bounded reads however many contacts and messages', async () => {
    const alice = await signup(one.url);
    const socket = await connect(one, alice);
    const counts: number[] = [];
    for (let contacts = 1; contacts <= 4; contacts += 3) {
      while ((await contactsOf(one, alice)).length < contacts) {
        const other = await signup(one.url);
        await befriend(one.url, other, alice);
        for (let i = 0; i < 3; i++) await sendText(socket, other.id, `to ${other.username} ${i}`);
      }
      await summariesWritten(one);
      const commands = await recordCommands(one).during(() => contactsOf(one, alice), 50);
      const onData = commands.filter(
        (c) => c.collection !== 'sessions' && c.collection !== 'users',
      );
      // Message actions add two reads that hold only what the viewer hid and what was deleted
      // for them: the preview skips hidden messages, unread skips deleted ones.
      expect(onData).toEqual([
        { name: 'find', collection: 'contacts' },
        { name: 'find', collection: 'conversations' },
        { name: 'find', collection: 'readstates' },
        { name: 'find', collection: 'messagehides' },
        { name: 'find', collection: 'messagedeletions' },
      ]);
      expect(commands.filter((c) => c.collection === 'messages')).toEqual([]);
      counts.push(commands.length);
    }
    // Flat: four contacts cost what one does.
    expect(counts[1]).toBe(counts[0]);
  });

  it('unread counts are exact after interleaved concurrent sends and reads by both sides, through two processes', async () => {
    const alice = await signup(one.url);
    const bob = await signup(one.url);
    await befriend(one.url, alice, bob);
    const aliceSockets = [await connect(one, alice), await connect(two, alice)];
    const bobSockets = [await connect(one, bob), await connect(two, bob)];
    const seenBy = new Map<string, number>([
      [alice.id, 0],
      [bob.id, 0],
    ]);
    const noteSeen = (userId: string, message: MessageInfo) =>
      seenBy.set(userId, Math.max(seenBy.get(userId) ?? 0, message.seq));
    for (const socket of aliceSockets)
      socket.on('new_message', (e) => noteSeen(alice.id, e.message));
    for (const socket of bobSockets) socket.on('new_message', (e) => noteSeen(bob.id, e.message));

    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 60; i++) {
      const fromAlice = i % 3 !== 0;
      const socket = (fromAlice ? aliceSockets : bobSockets)[i % 2];
      const recipient = fromAlice ? bob : alice;
      work.push(sendText(socket, recipient.id, `m${i}`));
      if (i % 7 === 3) {
        // Each side reads up to what it has seen so far, on either process.
        const [reader, contact, readerSockets] =
          i % 2 ? [alice, bob, aliceSockets] : [bob, alice, bobSockets];
        // A delivered message has its summary written, so a read of it takes effect; without
        // this wait a fast machine can run every read before the first summary lands.
        while ((seenBy.get(reader.id) ?? 0) === 0) await sleep(5);
        work.push(
          emitAck(readerSockets[(i >> 1) % 2], 'mark_read', {
            contactId: contact.id,
            seq: Math.max(1, seenBy.get(reader.id) ?? 1),
          }),
        );
      }
      if (i % 10 === 9) await sleep(5);
    }
    await Promise.all(work);
    // Messages after every read, on both sides and both processes, whatever the timing above.
    await sendText(aliceSockets[1], bob.id, 'after the reads');
    await sendText(bobSockets[0], alice.id, 'after the reads');

    const conversation = await one.db.collection('conversations').findOne({
      participantIds: { $all: [new Types.ObjectId(alice.id), new Types.ObjectId(bob.id)] },
    });
    const exactUnread = async (reader: TestUser, from: TestUser) => {
      const state = await one.db.collection('readstates').findOne({
        conversationId: conversation?._id,
        userId: new Types.ObjectId(reader.id),
      });
      const lastReadSeq = (state?.lastReadSeq as number | undefined) ?? 0;
      const unread = await one.db.collection('messages').countDocuments({
        conversationId: conversation?._id,
        senderId: new Types.ObjectId(from.id),
        seq: { $gt: lastReadSeq },
      });
      return { lastReadSeq, unread };
    };
    const listed = async (app: TestApp, reader: TestUser, contact: TestUser) =>
      (await contactsOf(app, reader)).find((c) => c.id === contact.id)?.unreadCount;

    // Summaries written by two processes converge (each write is read back and repaired).
    const deadline = Date.now() + 5_000;
    for (const [reader, contact] of [
      [alice, bob],
      [bob, alice],
    ] as const) {
      const expected = await exactUnread(reader, contact);
      expect(expected.lastReadSeq).toBeGreaterThan(0); // the reads took effect part-way
      expect(expected.unread).toBeGreaterThan(0); // and some messages came after them
      for (const app of [one, two]) {
        while ((await listed(app, reader, contact)) !== expected.unread && Date.now() < deadline)
          await sleep(100);
        expect(await listed(app, reader, contact)).toBe(expected.unread);
      }
    }
    // Reading everything brings both to zero; your own messages never count.
    const latest = await one.db
      .collection('messages')
      .countDocuments({ conversationId: conversation?._id });
    await emitAck(aliceSockets[1], 'mark_read', { contactId: bob.id, seq: latest });
    await emitAck(bobSockets[0], 'mark_read', { contactId: alice.id, seq: latest });
    expect(await listed(one, alice, bob)).toBe(0);
    expect(await listed(two, bob, alice)).toBe(0);
    await sendText(aliceSockets[0], bob.id, 'one more');
    // Another process lists it once the summary lands (within SUMMARY_INTERVAL_MS).
    const landed = Date.now() + 5_000;
    while ((await listed(two, bob, alice)) !== 1 && Date.now() < landed) await sleep(50);
    expect(await listed(two, bob, alice)).toBe(1);
    expect(await listed(one, alice, bob)).toBe(0);
  });
});
