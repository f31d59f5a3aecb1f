import type { MessageInfo } from '@natter/contracts';
import { Types } from 'mongoose';
import { ClientSocket, collect, sleep, signup, TestUser, socketsOf } from './support/clients';
import { befriend, emitAck, newClientId } from './support/messaging';
import {
  closeApps,
  createTwoApps,
  sharedRedisEnv,
  TestApp,
  uniqueDatabaseUri,
} from './support/test-app';

/** Emits `count` sends back to back (no await between emits) and resolves with their acks in emission order. */
function burst(socket: ClientSocket, recipientId: string, count: number, label: string) {
  const texts = Array.from({ length: count }, (_, i) => `${label}-${i + 1}`);
  const acks = texts.map((text) =>
    emitAck<{ message: MessageInfo }>(socket, 'send_private_message', {
      recipientId,
      text,
      clientId: newClientId(),
    }),
  );
  return { texts, acks: Promise.all(acks) };
}

const until = async (check: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(20);
  }
};

/** SPEC §5: sends emitted on one socket are stored and delivered in emission order. */
describe('per-socket emission order', () => {
  let one: TestApp;
  let two: TestApp;
  const sockets = socketsOf();
  const connect = (app: TestApp, user: TestUser) => sockets.connect(app.url, user);
  const pair = async () => {
    const a = await signup(one.url);
    const b = await signup(one.url);
    await befriend(one.url, a, b);
    return [a, b] as const;
  };
  const storedTexts = async (conversationId: string) =>
    (
      await one.db
        .collection('messages')
        .find({ conversationId: new Types.ObjectId(conversationId) })
        .sort({ seq: 1 })
        .toArray()
    ).map((m) => ({ seq: m.seq as number, text: m.text as string }));

  beforeAll(async () => {
    const databaseUri = uniqueDatabaseUri('msgorder');
    const env = sharedRedisEnv();
    [one, two] = await createTwoApps({ label: 'msgorder', databaseUri, env });
  });
  afterAll(async () => {
    sockets.closeAll();
    await closeApps(one, two);
  });

  for (const count of [10, 100]) {
    it(`${count} sends emitted back to back are stored with seq in emission order and delivered in that order`, async () => {
      const [alice, bob] = await pair();
      const aliceSocket = await connect(one, alice);
      const bobSocket = await connect(one, bob);
      const received = collect(bobSocket, 'new_message');
      const { texts, acks } = burst(aliceSocket, bob.id, count, 'n');
      const results = await acks;
      expect(results.every((ack) => ack.ok)).toBe(true);
      const messages = results.map((ack) => (ack.ok ? ack.message : null)) as MessageInfo[];
      expect(messages.map((m) => m.text)).toEqual(texts);
      expect(messages.map((m) => m.seq)).toEqual(texts.map((_, i) => i + 1));
      expect(await storedTexts(messages[0].conversationId)).toEqual(
        texts.map((text, i) => ({ seq: i + 1, text })),
      );
      await until(() => received.length === count);
      expect(received.map((e) => e.message.text)).toEqual(texts);
    });
  }

  it('through two API processes, each socket’s own sends keep their emission order', async () => {
    const [alice, bob] = await pair();
    const aliceOnOne = await connect(one, alice);
    const aliceOnTwo = await connect(two, alice);
    const bobOnOne = await connect(one, bob);
    const bobOnTwo = await connect(two, bob);
    const receivedOnOne = collect(bobOnOne, 'new_message');
    const receivedOnTwo = collect(bobOnTwo, 'new_message');
    const fromOne = burst(aliceOnOne, bob.id, 50, 'one');
    const fromTwo = burst(aliceOnTwo, bob.id, 50, 'two');
    const results = [...(await fromOne.acks), ...(await fromTwo.acks)];
    expect(results.every((ack) => ack.ok)).toBe(true);
    const messages = results.map((ack) => (ack.ok ? ack.message : null)) as MessageInfo[];
    // Gap-free over both processes.
    expect(messages.map((m) => m.seq).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 100 }, (_, i) => i + 1),
    );
    const stored = await storedTexts(messages[0].conversationId);
    for (const source of [fromOne, fromTwo]) {
      const own = stored.filter((m) => source.texts.includes(m.text)).map((m) => m.text);
      expect(own).toEqual(source.texts);
    }
    // Every one of bob's sockets receives each socket's messages in that socket's order.
    for (const received of [receivedOnOne, receivedOnTwo]) {
      await until(() => received.length === 100);
      const texts = received.map((e) => e.message.text);
      for (const source of [fromOne, fromTwo])
        expect(texts.filter((text) => source.texts.includes(text as string))).toEqual(source.texts);
    }
  });
});
