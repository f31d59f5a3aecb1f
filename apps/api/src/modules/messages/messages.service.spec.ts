import 'reflect-metadata';
import { RealtimeService } from '../gateway/realtime.service';
import { ConversationsRepository } from './conversations.repository';
import { ConversationsService } from './conversations.service';
import { MessageRecord, MessagesRepository, NewMessage } from './messages.repository';
import { MessagesService } from './messages.service';
import { MessagingAccess } from './messaging-access';

const ALICE = 'a'.repeat(24);
const BOB = 'b'.repeat(24);
const CONVERSATION = 'c'.repeat(24);

/** Storage and collaborators faked in memory: the send rules are under test. */
function setup(options: { conversationExists?: boolean; deletedDuringInsert?: boolean } = {}) {
  const stored = new Map<string, MessageRecord>();
  let conversationAlive = options.conversationExists ?? true;
  const messages = {
    async insert(message: NewMessage): Promise<MessageRecord> {
      const record = { ...message, id: String(stored.size + 1).padStart(24, 'e') };
      stored.set(record.id, record);
      // The removal of the contact lands while this message is being stored.
      if (options.deletedDuringInsert) conversationAlive = false;
      return record;
    },
    async findByClientId(senderId: string, clientId: string) {
      return (
        [...stored.values()].find((m) => m.senderId === senderId && m.clientId === clientId) ?? null
      );
    },
    async latestSeq() {
      return Math.max(0, ...[...stored.values()].map((m) => m.seq));
    },
    async deleteById(id: string) {
      stored.delete(id);
    },
  };
  const conversationsRepository = {
    exists: async () => conversationAlive,
    advanceSummary: async () => undefined,
  };
  const conversations = {
    findBetween: async () =>
      conversationAlive ? { id: CONVERSATION, participantIds: [ALICE, BOB] } : null,
  };
  const access = { isBlockedEitherWay: async () => false, areContacts: async () => true };
  const realtime = { emitToUser: jest.fn(), emitToUserExcept: jest.fn() };
  const sut = new MessagesService(
    messages as unknown as MessagesRepository,
    conversationsRepository as unknown as ConversationsRepository,
    conversations as unknown as ConversationsService,
    access as unknown as MessagingAccess,
    realtime as unknown as RealtimeService,
  );
  return { sut, stored, realtime };
}

const text = (value: string) => ({
  recipientId: BOB,
  clientId: 'client-0001',
  content: { type: 'text' as const, text: value },
});

describe(MessagesService.name, () => {
  it('stores, then delivers to the recipient and confirms to the sender', async () => {
    const { sut, stored, realtime } = setup();
    const message = await sut.send(ALICE, text('hello'));
    expect(message).toMatchObject({ seq: 1, senderId: ALICE, recipientId: BOB, text: 'hello' });
    expect(stored.size).toBe(1);
    expect(realtime.emitToUser).toHaveBeenCalledWith(BOB, 'new_message', { message });
    expect(realtime.emitToUser).toHaveBeenCalledWith(ALICE, 'message_sent', { message });
  });

  it('never re-creates a conversation that is gone: 404 and nothing stored', async () => {
    const { sut, stored, realtime } = setup({ conversationExists: false });
    await expect(sut.send(ALICE, text('hello'))).rejects.toMatchObject({
      response: { code: 'NOT_A_CONTACT' },
    });
    expect(stored.size).toBe(0);
    expect(realtime.emitToUser).not.toHaveBeenCalled();
  });

  it('undoes a message whose conversation was deleted while it was being stored', async () => {
    const { sut, stored, realtime } = setup({ deletedDuringInsert: true });
    await expect(sut.send(ALICE, text('hello'))).rejects.toMatchObject({
      response: { code: 'NOT_A_CONTACT' },
    });
    expect(stored.size).toBe(0);
    expect(realtime.emitToUser).not.toHaveBeenCalled();
  });
});
