import 'reflect-metadata';
import type { ContactsResponse, MessageInfo } from '@natter/contracts';
import { Types } from 'mongoose';
import request from 'supertest';
import { ConversationsRepository } from '../src/modules/messages/conversations.repository';
import { SummaryWriter } from '../src/modules/messages/summary-writer';
import { actionsApi } from './support/actions';
import { bearer, ClientSocket, connectSocket, signup, TestUser } from './support/clients';
import { befriend, sendText } from './support/messaging';
import { createTestApp, dropDatabase, TestApp } from './support/test-app';

/**
 * The conversation summary (preview, lastSeq, received counts) only ever moves forward: it is
 * written with `$max` under an `{_id}` filter (conversation.schema.ts), so a summary that
 * arrives late never replaces a newer one, and an edit of the newest message is not undone
 * by a late rewrite of its original summary. Conversations summarised in the older layout
 * are read as they are and move to the new one with their next message.
 */
describe('conversation summary: forward only, on the real database', () => {
  let t: TestApp;
  let repository: ConversationsRepository;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    t = await createTestApp({ label: 'summary' });
    repository = t.app.get(ConversationsRepository);
  });
  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await dropDatabase(t);
    await t.close();
  });

  const conversationWith = async () => {
    const [alice, bob] = await Promise.all([signup(t.url), signup(t.url)]);
    await befriend(t.url, alice, bob);
    const socket = await connectSocket(t.url, alice.accessToken);
    sockets.push(socket);
    const first = await sendText(socket, bob.id, 'first');
    // Its summary follows the ack; the tests below rewrite it, so let it land first.
    await t.app.get(SummaryWriter).flush();
    return { alice, bob, socket, first };
  };
  const contactOf = async (user: TestUser, contact: TestUser) => {
    const { body } = await request(t.url).get('/api/contacts').set(bearer(user)).expect(200);
    return (body as ContactsResponse).contacts.find((c) => c.id === contact.id);
  };
  const summaryUpdate = (message: MessageInfo, seq: number, text: string) => ({
    last: {
      seq,
      senderId: message.senderId,
      type: 'text' as const,
      text,
      createdAt: new Date(),
    },
    received: { [message.recipientId]: seq, [message.senderId]: 0 },
  });

  it('a late, older summary never replaces a newer one', async () => {
    const { alice, bob, socket, first } = await conversationWith();
    const newest = await sendText(socket, bob.id, 'newest');
    // The newest summary follows its ack: let it land, then write the late one.
    await t.app.get(SummaryWriter).flush();
    const stored = await repository.advanceSummaries(
      new Map([[first.conversationId, summaryUpdate(first, first.seq, 'first, written late')]]),
    );
    expect(stored.get(first.conversationId)).toBe(newest.seq);
    const listed = await contactOf(bob, alice);
    expect(listed?.lastMessage).toMatchObject({ seq: newest.seq, text: 'newest' });
    expect(listed?.unreadCount).toBe(2);
  });

  it("an edit of the newest message survives a late rewrite of that message's original summary", async () => {
    const { alice, bob, first } = await conversationWith();
    await actionsApi(t.url).edit(alice, first.id, { text: 'first, edited' }).expect(200);
    expect((await contactOf(bob, alice))?.lastMessage).toMatchObject({ text: 'first, edited' });
    await repository.advanceSummaries(
      new Map([[first.conversationId, summaryUpdate(first, first.seq, 'first')]]),
    );
    expect((await contactOf(bob, alice))?.lastMessage).toMatchObject({
      seq: first.seq,
      text: 'first, edited',
    });
  });

  it('a conversation summarised in the older layout is read as it is, then moves on', async () => {
    const { alice, bob, socket, first } = await conversationWith();
    const _id = new Types.ObjectId(first.conversationId);
    await t.db.collection('conversations').updateOne(
      { _id },
      {
        $unset: { summary: '' },
        $set: {
          lastSeq: first.seq,
          lastMessage: {
            seq: first.seq,
            senderId: new Types.ObjectId(alice.id),
            type: 'text',
            text: 'first, older layout',
            createdAt: new Date(),
          },
          received: { [bob.id]: 1, [alice.id]: 0 },
        },
      },
    );
    expect((await contactOf(bob, alice))?.lastMessage).toMatchObject({
      text: 'first, older layout',
    });
    const next = await sendText(socket, bob.id, 'second');
    expect(next.seq).toBe(first.seq + 1);
    const listed = await contactOf(bob, alice);
    expect(listed?.lastMessage).toMatchObject({ seq: next.seq, text: 'second' });
    expect(listed?.unreadCount).toBe(2);
  });
});
