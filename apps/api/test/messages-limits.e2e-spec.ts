import type { Ack } from '@natter/contracts';
import { Types } from 'mongoose';
import {
  ClientSocket,
  connectSocket,
  nextEvent,
  signup,
  TestUser,
  waitForDisconnect,
} from './support/clients';
import { befriend, newClientId, sendText } from './support/messaging';
import { createTestApp, dropDatabase, TestApp } from './support/test-app';

describe('socket event rate limit', () => {
  let t: TestApp;
  const sockets: ClientSocket[] = [];
  const connect = async (user: TestUser) => {
    const socket = await connectSocket(t.url, user.accessToken);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    t = await createTestApp({
      label: 'msglimits',
      env: { RATE_SOCKET_EVENTS_LIMIT: '10', RATE_SOCKET_EVENTS_WINDOW_SECONDS: '60' },
    });
  });
  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await dropDatabase(t);
    await t.close();
  });

  it('limits a flooding user (and cuts the socket off) while another user’s messages still flow', async () => {
    const mallory = await signup(t.url);
    const alice = await signup(t.url);
    const bob = await signup(t.url);
    await befriend(t.url, mallory, bob);
    await befriend(t.url, alice, bob);
    const flooder = await connect(mallory);
    const aliceSocket = await connect(alice);
    const bobSocket = await connect(bob);

    const flood = (n: number) =>
      Promise.allSettled(
        Array.from(
          { length: n },
          () =>
            // eslint-disable-next-line @typescript-eslint/no-explicit-any
            (flooder as any).timeout(5000).emitWithAck('send_private_message', {
              recipientId: bob.id,
              text: 'spam',
              clientId: newClientId(),
            }) as Promise<Ack>,
        ),
      );
    const answeredOf = (results: PromiseSettledResult<Ack>[]) =>
      results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    // Up to the limit, everything goes through.
    const allowed = answeredOf(await flood(10));
    expect(allowed.filter((ack) => ack.ok)).toHaveLength(10);
    // Then refusals, and a socket that keeps flooding is cut off.
    const disconnected = waitForDisconnect(flooder, 20000);
    const refused = answeredOf(await flood(50));
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((ack) => !ack.ok && ack.error.code === 'RATE_LIMITED')).toBe(true);
    await disconnected;
    expect(await t.db.collection('messages').countDocuments({ text: 'spam' })).toBe(10);

    const toBob = nextEvent(bobSocket, 'new_message');
    const message = await sendText(aliceSocket, bob.id, 'still flowing');
    expect((await toBob).message.id).toBe(message.id);
  });

  it('a packet over the size limit closes that socket without storing anything, and the server carries on', async () => {
    const sender = await signup(t.url);
    const bob = await signup(t.url);
    await befriend(t.url, sender, bob);
    const socket = await connect(sender);
    const closed = waitForDisconnect(socket, 5000);
    socket.emit(
      'send_private_message',
      { recipientId: bob.id, text: 'x'.repeat(200_000), clientId: newClientId() },
      () => undefined,
    );
    await closed;
    const stored = () =>
      t.db.collection('messages').countDocuments({ senderId: new Types.ObjectId(sender.id) });
    expect(await stored()).toBe(0);
    const again = await connect(sender);
    expect((await sendText(again, bob.id, 'small is fine')).seq).toBeGreaterThan(0);
    expect(await stored()).toBe(1);
  });
});
