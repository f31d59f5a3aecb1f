import type { MessageInfo } from '@natter/contracts';
import { Types } from 'mongoose';
import request from 'supertest';
import { bearer, nextEvent, signup, TestUser, socketsOf } from './support/clients';
import { befriend, newClientId, sendText } from './support/messaging';
import {
  closeApps,
  createTwoApps,
  sharedRedisEnv,
  TestApp,
  uniqueDatabaseUri,
} from './support/test-app';

/** Two API processes on one database and one Redis, as in a scaled-out deployment. */
describe('messaging across two API processes', () => {
  let one: TestApp;
  let two: TestApp;
  const sockets = socketsOf();
  const connect = (app: TestApp, user: TestUser) => sockets.connect(app.url, user);

  beforeAll(async () => {
    const databaseUri = uniqueDatabaseUri('msgcluster');
    const env = sharedRedisEnv();
    [one, two] = await createTwoApps({ label: 'msgcluster', databaseUri, env });
  });
  afterAll(async () => {
    sockets.closeAll();
    await closeApps(one, two);
  });

  const pair = async () => {
    const a = await signup(one.url);
    const b = await signup(one.url);
    await befriend(one.url, a, b);
    return [a, b] as const;
  };

  it('delivers to the recipient and the sender’s other tab on the other process', async () => {
    const [alice, bob] = await pair();
    const aliceOnOne = await connect(one, alice);
    const aliceOnTwo = await connect(two, alice);
    const bobOnTwo = await connect(two, bob);
    const toBob = nextEvent(bobOnTwo, 'new_message');
    const toOtherTab = nextEvent(aliceOnTwo, 'new_message');
    const sent = await sendText(aliceOnOne, bob.id, 'across processes');
    expect((await toBob).message).toEqual(sent);
    expect((await toOtherTab).message).toEqual(sent);
  });

  it('the same clientId sent through both processes at once stores one message; both acks carry it', async () => {
    const [alice, bob] = await pair();
    const viaOne = await connect(one, alice);
    const viaTwo = await connect(two, alice);
    for (let round = 0; round < 5; round++) {
      const clientId = newClientId();
      const [a, b] = await Promise.all([
        sendText(viaOne, bob.id, 'dup', clientId),
        sendText(viaTwo, bob.id, 'dup', clientId),
      ]);
      expect(a.id).toBe(b.id);
      expect(a).toEqual(b);
      expect(await one.db.collection('messages').countDocuments({ clientId })).toBe(1);
    }
  });

  it('concurrent sends through both processes keep seq gap-free', async () => {
    const [alice, bob] = await pair();
    const senders = [
      await connect(one, alice),
      await connect(two, alice),
      await connect(one, bob),
      await connect(two, bob),
    ];
    const targets = [bob.id, bob.id, alice.id, alice.id];
    const started = Date.now();
    const acks: MessageInfo[] = await Promise.all(
      Array.from({ length: 120 }, (_, i) => sendText(senders[i % 4], targets[i % 4], `c${i}`)),
    );
    console.info(`120 concurrent sends through two processes: ${Date.now() - started} ms`);
    const expected = Array.from({ length: 120 }, (_, i) => i + 1);
    expect(acks.map((m) => m.seq).sort((x, y) => x - y)).toEqual(expected);
    const stored = await one.db
      .collection('messages')
      .find({ conversationId: new Types.ObjectId(acks[0].conversationId) })
      .toArray();
    expect(stored.map((m) => m.seq as number).sort((x, y) => x - y)).toEqual(expected);
    const page = await request(two.url)
      .get(`/api/conversations/${alice.id}/messages`)
      .query({ after: 0, limit: 100 })
      .set(bearer(bob))
      .expect(200);
    expect(page.body.messages.map((m: MessageInfo) => m.seq)).toEqual(expected.slice(0, 100));
    expect(page.body.hasMore).toBe(true);
  });
});
