import { Draft, MAX_SEQ_ATTEMPTS, MessageSequencer, SequencerStore } from './message-sequencer';
import type { MessageRecord, NewMessage } from './messages.repository';

/** An in-memory store with the two unique indexes of the messages collection. */
class FakeStore implements SequencerStore {
  rows: MessageRecord[] = [];
  /** Optional hook run before each insert (to simulate another process winning a race). */
  beforeInsert?: (message: NewMessage) => Promise<void> | void;
  inserts = 0;
  latestReads = 0;

  async insert(message: NewMessage): Promise<MessageRecord> {
    this.inserts++;
    await this.beforeInsert?.(message);
    await Promise.resolve();
    const clash = this.rows.some(
      (row) =>
        (row.conversationId === message.conversationId && row.seq === message.seq) ||
        (row.senderId === message.senderId && row.clientId === message.clientId),
    );
    if (clash) throw Object.assign(new Error('E11000 duplicate key'), { code: 11000 });
    const record: MessageRecord = { ...message, id: `m${this.rows.length + 1}` };
    this.rows.push(record);
    return record;
  }

  async findByClientId(senderId: string, clientId: string): Promise<MessageRecord | null> {
    await Promise.resolve();
    return this.rows.find((row) => row.senderId === senderId && row.clientId === clientId) ?? null;
  }

  async latestSeq(conversationId: string): Promise<number> {
    this.latestReads++;
    await Promise.resolve();
    return Math.max(
      0,
      ...this.rows.filter((row) => row.conversationId === conversationId).map((row) => row.seq),
    );
  }
}

const draft = (clientId: string, senderId = 'alice', conversationId = 'c1'): Draft => ({
  conversationId,
  senderId,
  recipientId: senderId === 'alice' ? 'bob' : 'alice',
  type: 'text',
  text: 'hi',
  image: null,
  clientId,
});

describe('MessageSequencer', () => {
  let store: FakeStore;
  let sut: MessageSequencer;

  beforeEach(() => {
    store = new FakeStore();
    sut = new MessageSequencer(store, () => Promise.resolve());
  });

  it('numbers messages 1, 2, 3 per conversation', async () => {
    const a = await sut.save(draft('client-0001'));
    const b = await sut.save(draft('client-0002', 'bob'));
    const other = await sut.save(draft('client-0003', 'alice', 'c2'));
    expect([a.message.seq, b.message.seq, other.message.seq]).toEqual([1, 2, 1]);
    expect(a.created && b.created && other.created).toBe(true);
  });

  it('returns the stored message for a repeated clientId without storing again', async () => {
    const first = await sut.save(draft('client-0001'));
    const again = await sut.save({ ...draft('client-0001'), text: 'changed' });
    expect(again).toEqual({ message: first.message, created: false });
    expect(store.rows).toHaveLength(1);
  });

  it('the same clientId sent by two people is two messages', async () => {
    await sut.save(draft('client-0001', 'alice'));
    await sut.save(draft('client-0001', 'bob'));
    expect(store.rows.map((row) => row.seq)).toEqual([1, 2]);
  });

  it('stores concurrent sends with seq 1..n, no gaps, no duplicates', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        sut.save(draft(`client-${String(i).padStart(4, '0')}`, i % 2 ? 'alice' : 'bob')),
      ),
    );
    expect(results.map((r) => r.message.seq).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
  });

  it('two processes (two sequencers on one store) racing still give 1..n with no gaps', async () => {
    const other = new MessageSequencer(store, () => Promise.resolve());
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? sut : other).save(draft(`client-${String(i).padStart(4, '0')}`)),
      ),
    );
    expect(results.every((r) => r.created)).toBe(true);
    expect(store.rows.map((row) => row.seq).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    expect(store.inserts).toBeGreaterThan(40); // collisions happened and were retried
  });

  it('two processes storing the same clientId concurrently keep one message', async () => {
    const other = new MessageSequencer(store, () => Promise.resolve());
    const results = await Promise.all([
      sut.save(draft('client-same')),
      other.save(draft('client-same')),
    ]);
    expect(store.rows).toHaveLength(1);
    expect(results[0].message.id).toBe(results[1].message.id);
  });

  it('concurrent sends of one clientId store exactly one message', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () => sut.save(draft('client-same'))),
    );
    expect(store.rows).toHaveLength(1);
    expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });

  it('retries with the next seq when another process took it', async () => {
    let stolen = false;
    store.beforeInsert = (message) => {
      if (!stolen) {
        stolen = true;
        store.rows.push({
          ...message,
          id: 'other-process',
          senderId: 'bob',
          clientId: 'elsewhere',
        });
      }
    };
    const result = await sut.save(draft('client-0001'));
    expect(result).toMatchObject({ created: true, message: { seq: 2 } });
    expect(store.rows.map((row) => row.seq)).toEqual([1, 2]);
  });

  it('answers with the stored message when another process stored the same clientId first', async () => {
    store.beforeInsert = (message) => {
      store.beforeInsert = undefined;
      store.rows.push({ ...message, id: 'stored-elsewhere' });
    };
    const result = await sut.save(draft('client-0001'));
    expect(result).toEqual({
      created: false,
      message: expect.objectContaining({ id: 'stored-elsewhere', seq: 1 }),
    });
    expect(store.rows).toHaveLength(1);
  });

  it('skips the max-seq read while its remembered seq is current, and recovers when it is stale', async () => {
    await sut.save(draft('client-0001'));
    await sut.save(draft('client-0002'));
    expect(store.latestReads).toBe(1);
    // Another process stores seq 3: the remembered 2 is stale, costing one collision.
    const other = new MessageSequencer(store, () => Promise.resolve());
    await other.save(draft('client-0003', 'bob'));
    const next = await sut.save(draft('client-0004'));
    expect(next.message.seq).toBe(4);
    expect(store.rows.map((row) => row.seq)).toEqual([1, 2, 3, 4]);
  });

  it('gives up (rather than looping forever) under endless collisions', async () => {
    store.beforeInsert = (message) => {
      store.rows.push({
        ...message,
        id: `x${store.inserts}`,
        senderId: 'bob',
        clientId: `other${store.inserts}`,
      });
    };
    await expect(sut.save(draft('client-0001'))).rejects.toThrow('could not allocate');
    expect(store.inserts).toBe(MAX_SEQ_ATTEMPTS);
  });

  it('passes on errors that are not duplicate keys, and keeps serving the conversation', async () => {
    store.beforeInsert = () => {
      store.beforeInsert = undefined;
      throw new Error('connection lost');
    };
    await expect(sut.save(draft('client-0001'))).rejects.toThrow('connection lost');
    await expect(sut.save(draft('client-0002'))).resolves.toMatchObject({
      created: true,
      message: { seq: 1 },
    });
  });
});
