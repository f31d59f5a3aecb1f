import 'reflect-metadata';
import type { MessageInfo } from '@natter/contracts';
import { actionsApi } from './support/actions';
import { nextEvent, signup, TestUser, socketsOf } from './support/clients';
import { befriend, emitAck, sendText } from './support/messaging';
import {
  closeApps,
  createTwoApps,
  sharedRedisEnv,
  TestApp,
  uniqueDatabaseUri,
} from './support/test-app';

/** Two API processes on one database and one Redis: every tab of both people sees every change. */
describe('message actions across two tabs and two API processes', () => {
  let one: TestApp;
  let two: TestApp;
  const sockets = socketsOf();
  const connect = (app: TestApp, user: TestUser) => sockets.connect(app.url, user);

  beforeAll(async () => {
    const databaseUri = uniqueDatabaseUri('actcluster');
    const env = sharedRedisEnv();
    [one, two] = await createTwoApps({ label: 'actcluster', databaseUri, env });
  });
  afterAll(async () => {
    sockets.closeAll();
    await closeApps(one, two);
  });

  it('edit, reaction and deletion reach both people’s tabs on both processes; a hide reaches only the hider’s', async () => {
    const [alice, bob] = await Promise.all([signup(one.url), signup(one.url)]);
    await befriend(one.url, alice, bob);
    const aliceOnOne = await connect(one, alice);
    const aliceOnTwo = await connect(two, alice);
    const bobOnOne = await connect(one, bob);
    const bobOnTwo = await connect(two, bob);
    const everyTab = [aliceOnOne, aliceOnTwo, bobOnOne, bobOnTwo];
    const message = await sendText(aliceOnOne, bob.id, 'across processes');

    const expectUpdateEverywhere = async (act: () => Promise<MessageInfo>) => {
      const seen = everyTab.map((socket) => nextEvent(socket, 'message_updated'));
      const result = await act();
      for (const update of await Promise.all(seen)) expect(update.message).toEqual(result);
      return result;
    };

    // Over the socket on process two, seen on process one too.
    const edited = await expectUpdateEverywhere(async () => {
      const ack = await emitAck<{ message: MessageInfo }>(aliceOnTwo, 'edit_message', {
        messageId: message.id,
        text: 'edited on two',
      });
      if (!ack.ok) throw new Error(ack.error.code);
      return ack.message;
    });
    expect(edited.text).toBe('edited on two');

    // Over REST on process one.
    const reacted = await expectUpdateEverywhere(
      async () =>
        (await actionsApi(one.url).react(bob, message.id, { emoji: '👍' }).expect(200)).body
          .message,
    );
    expect(reacted.reactions).toEqual([{ userId: bob.id, emoji: '👍' }]);

    // A hide from Bob's tab on one reaches his tab on two, and no tab of Alice.
    const other = await sendText(aliceOnOne, bob.id, 'to hide');
    const aliceSaw: unknown[] = [];
    for (const socket of [aliceOnOne, aliceOnTwo])
      socket.on('message_hidden', (e) => aliceSaw.push(e));
    const onBobTwo = nextEvent(bobOnTwo, 'message_hidden');
    expect(await emitAck(bobOnOne, 'delete_message', { messageId: other.id, for: 'me' })).toEqual({
      ok: true,
    });
    expect(await onBobTwo).toEqual({ contactId: alice.id, messageId: other.id });

    const deleted = await expectUpdateEverywhere(async () => {
      await actionsApi(two.url).delete(alice, message.id, 'everyone').expect(204);
      return (await actionsApi(one.url).history(bob, alice.id)).messages.find(
        (m) => m.id === message.id,
      )!;
    });
    expect(deleted.deletedAt).toBeDefined();
    expect(aliceSaw).toEqual([]);
  });
});
