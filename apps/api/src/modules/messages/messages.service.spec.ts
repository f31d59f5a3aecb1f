import 'reflect-metadata';
import { RealtimeService } from '../gateway/realtime.service';
import { ConversationsRepository, SummaryUpdate } from './conversations.repository';
import type { Admission, InsertOutcome, StoredDraft } from './message-committer';
import { MessageRecord, MessagesRepository } from './messages.repository';
import { MessagesService, toMessageInfo } from './messages.service';
import type { MessageView } from './actions/message-view';
import { MessagingAccess, notAContact } from './messaging-access';
import { SummaryWriter } from './summary-writer';

const ALICE = 'a'.repeat(24);
const BOB = 'b'.repeat(24);
const CONVERSATION = 'c'.repeat(24);

/** Storage and collaborators faked in memory: the send rules are under test. */
function setup() {
  const stored: MessageRecord[] = [];
  const summaries: SummaryUpdate[] = [];
  let allowed = true;
  let version = 1;
  const messages = {
    async insertMany(documents: StoredDraft[]): Promise<InsertOutcome> {
      stored.push(...documents);
      return { stored: documents.length };
    },
    findResent: async () => null,
    latestTail: async () => ({ seq: 0, received: {} }),
  };
  const conversationsRepository = {
    summaryTail: async () => ({ seq: 0, received: {} }),
    async advanceSummaries(updates: Map<string, SummaryUpdate>) {
      summaries.push(...updates.values());
      return new Map([...updates].map(([id, update]) => [id, update.last.seq]));
    },
  };
  const admissionAt = (at: number): Admission => ({
    isCurrent: () => at === version,
    recheck: async () => {
      if (!allowed) throw notAContact();
      return admissionAt(version);
    },
  });
  const access = {
    async writable() {
      if (!allowed) throw notAContact();
      return { conversationId: CONVERSATION, admission: admissionAt(version) };
    },
  };
  const realtime = { emitToUser: jest.fn(), emitToUserExcept: jest.fn() };
  const writer = new SummaryWriter(conversationsRepository, { intervalMs: 0 });
  const sut = new MessagesService(
    messages as unknown as MessagesRepository,
    conversationsRepository as unknown as ConversationsRepository,
    access as unknown as MessagingAccess,
    realtime as unknown as RealtimeService,
    { presentOne: async (m: MessageRecord) => toMessageInfo(m) } as unknown as MessageView,
    writer,
  );
  /** The pair changes (a block, a removal) after a send was admitted. */
  const revoke = () => {
    allowed = false;
    version++;
  };
  return { sut, stored, summaries, writer, realtime, revoke };
}

const text = (value: string, clientId = 'client-0001') => ({
  recipientId: BOB,
  clientId,
  content: { type: 'text' as const, text: value },
});

describe(MessagesService.name, () => {
  it('stores, delivers to the recipient and confirms to the sender, then writes the summary', async () => {
    const { sut, stored, summaries, writer, realtime } = setup();
    const message = await sut.send(ALICE, text('hello'));
    expect(message).toMatchObject({ seq: 1, senderId: ALICE, recipientId: BOB, text: 'hello' });
    expect(stored).toHaveLength(1);
    expect(realtime.emitToUser).toHaveBeenCalledWith(BOB, 'new_message', { message });
    expect(realtime.emitToUser).toHaveBeenCalledWith(ALICE, 'message_sent', { message });
    await writer.flush();
    expect(summaries).toEqual([expect.objectContaining({ received: { [BOB]: 1, [ALICE]: 0 } })]);
    expect(writer.pending(CONVERSATION)).toBeUndefined();
  });

  it('refuses a send the relationship does not allow: nothing stored or delivered', async () => {
    const { sut, stored, realtime, revoke } = setup();
    revoke();
    await expect(sut.send(ALICE, text('hello'))).rejects.toMatchObject({
      response: { code: 'NOT_A_CONTACT' },
    });
    expect(stored).toHaveLength(0);
    expect(realtime.emitToUser).not.toHaveBeenCalled();
  });

  it('a send admitted just before a block or removal is checked again before it is stored', async () => {
    const { sut, stored, realtime, revoke } = setup();
    const { stored: pending } = await sut.admit(ALICE, text('hello'));
    revoke(); // lands while the draft waits for its commit round
    await expect(pending).rejects.toMatchObject({ response: { code: 'NOT_A_CONTACT' } });
    expect(stored).toHaveLength(0);
    expect(realtime.emitToUser).not.toHaveBeenCalled();
  });

  it('admits in call order and stores in that order, each send acked with its own message', async () => {
    const { sut, stored } = setup();
    const admitted = [];
    for (let i = 0; i < 5; i++)
      admitted.push(await sut.admit(ALICE, text(`m${i}`, `client-000${i}`)));
    const acks = await Promise.all(admitted.map((a) => a.stored));
    expect(acks.map((m) => [m.seq, m.text])).toEqual([
      [1, 'm0'],
      [2, 'm1'],
      [3, 'm2'],
      [4, 'm3'],
      [5, 'm4'],
    ]);
    expect(stored.map((m) => m.text)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
  });
});
