// Over 300 lines: every commit rule (ordering, duplicates, collisions, re-checks, overload)
// is tested against one in-memory store, kept together with it.
import {
  Admission,
  CommitStore,
  ConversationTail,
  Draft,
  InsertOutcome,
  MAX_SEQ_ATTEMPTS,
  MessageCommitter,
  StoredDraft,
} from './message-committer';
import type { MessageRecord } from './messages.repository';

/**
 * An in-memory store with the two unique indexes of the messages collection and the semantics
 * of an ordered insertMany: everything before the first refused document is stored.
 */
class FakeStore implements CommitStore {
  rows: MessageRecord[] = [];
  /** Runs before each document is inserted (to simulate another process winning a race). */
  beforeInsert?: (message: StoredDraft) => void;
  batches: number[] = [];
  tailReads = 0;
  /** Resend look-ups by id, and those that also searched by (senderId, clientId). */
  resentReads = 0;
  scans = 0;

  async insertMany(messages: StoredDraft[]): Promise<InsertOutcome> {
    this.batches.push(messages.length);
    await Promise.resolve();
    for (let index = 0; index < messages.length; index++) {
      const message = messages[index];
      this.beforeInsert?.(message);
      const clash = this.rows.some(
        (row) =>
          (row.conversationId === message.conversationId && row.seq === message.seq) ||
          (row.senderId === message.senderId && row.clientId === message.clientId),
      );
      if (clash)
        return {
          stored: index,
          failure: { index, duplicateKey: true, error: new Error('E11000') },
        };
      this.rows.push({ ...message });
    }
    return { stored: messages.length };
  }

  async findResent(
    key: { id: string; senderId: string; clientId: string },
    everywhere: boolean,
  ): Promise<MessageRecord | null> {
    this.resentReads++;
    await Promise.resolve();
    const same = (row: MessageRecord) =>
      row.senderId === key.senderId && row.clientId === key.clientId;
    const byId = this.rows.find((row) => row.id === key.id);
    if (byId && same(byId)) return byId;
    if (!everywhere) return null;
    this.scans++;
    return this.rows.find(same) ?? null;
  }

  /** A summary lagging behind the messages (its write still on the way), when set. */
  summaryLag = 0;
  tailSources: string[] = [];

  async latestTail(
    conversationId: string,
    ids: [string, string],
    source: 'summary' | 'messages',
  ): Promise<ConversationTail> {
    this.tailReads++;
    this.tailSources.push(source);
    if (source === 'summary' && this.summaryLag > 0) {
      const rows = this.rows.filter((row) => row.conversationId === conversationId);
      const behind = rows.sort((a, b) => a.seq - b.seq).slice(0, -this.summaryLag);
      return {
        seq: behind.at(-1)?.seq ?? 0,
        received: Object.fromEntries(
          ids.map((id) => [id, behind.filter((row) => row.recipientId === id).length]),
        ),
      };
    }
    await Promise.resolve();
    const rows = this.rows.filter((row) => row.conversationId === conversationId);
    const seq = Math.max(0, ...rows.map((row) => row.seq));
    return {
      seq,
      received: Object.fromEntries(
        ids.map((id) => [id, rows.filter((row) => row.recipientId === id).length]),
      ),
    };
  }

  /** Another process stores a message with this seq (and a clientId of its own). */
  steal(conversationId: string, seq: number): void {
    this.rows.push({
      id: `other-${seq}-${this.rows.length}`,
      conversationId,
      seq,
      senderId: 'bob',
      recipientId: 'alice',
      type: 'text',
      text: 'elsewhere',
      image: null,
      clientId: `elsewhere-${this.rows.length}`,
      createdAt: new Date(),
      recipientReceivedCount: null,
      senderReceivedCount: null,
    });
  }
}

const draft = (clientId: string, senderId = 'alice', conversationId = 'c1'): Draft => ({
  conversationId,
  senderId,
  recipientId: senderId === 'alice' ? 'bob' : 'alice',
  type: 'text',
  text: clientId,
  image: null,
  clientId,
});

const valid: Admission = { isCurrent: () => true, recheck: async () => valid };
const ids = (n: number) =>
  Array.from({ length: n }, (_, i) => `client-${String(i).padStart(4, '0')}`);
const seqsOf = (rows: MessageRecord[], conversationId = 'c1') =>
  rows.filter((r) => r.conversationId === conversationId).map((r) => r.seq);

describe('MessageCommitter', () => {
  let store: FakeStore;
  const committer = (s: CommitStore = store) =>
    new MessageCommitter(s, {
      idFor: (d) => `${d.senderId}/${d.clientId}`,
      backoff: () => Promise.resolve(),
    });
  let sut: MessageCommitter;

  beforeEach(() => {
    store = new FakeStore();
    sut = committer();
  });

  it('numbers messages 1, 2, 3 per conversation and counts what each participant received', async () => {
    const a = await sut.submit(draft('client-0001'), valid);
    const b = await sut.submit(draft('client-0002', 'bob'), valid);
    const c = await sut.submit(draft('client-0003'), valid);
    const other = await sut.submit(draft('client-0004', 'alice', 'c2'), valid);
    expect([a, b, c, other].map((r) => r.message.seq)).toEqual([1, 2, 3, 1]);
    expect(
      [a, b, c].map((r) => [r.message.recipientReceivedCount, r.message.senderReceivedCount]),
    ).toEqual([
      [1, 0], // bob has 1, alice 0
      [1, 1], // alice has 1, bob 1
      [2, 1], // bob has 2, alice 1
    ]);
    expect([a, b, c, other].every((r) => r.created)).toBe(true);
  });

  it('stores concurrent sends of many conversations in one insertMany, in submission order', async () => {
    const results = await Promise.all(
      ids(30).map((id, i) => sut.submit(draft(id, 'alice', `c${i % 3}`), valid)),
    );
    expect(store.batches).toEqual([30 - 3 * 0]); // one round (tails read first, then one insert)
    for (const conversation of ['c0', 'c1', 'c2'])
      expect(seqsOf(store.rows, conversation)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    // Submission order is seq order within each conversation.
    const c0 = results.filter((r) => r.message.conversationId === 'c0');
    expect(c0.map((r) => r.message.clientId)).toEqual(ids(30).filter((_, i) => i % 3 === 0));
    expect(store.resentReads).toBe(0); // no pre-check: the unique index answers
  });

  it('returns the stored message for a repeated clientId without storing again', async () => {
    const first = await sut.submit(draft('client-0001'), valid);
    const again = await sut.submit({ ...draft('client-0001'), text: 'changed' }, valid);
    expect(again).toEqual({
      message: expect.objectContaining({ id: first.message.id }),
      created: false,
    });
    expect(store.rows).toHaveLength(1);
  });

  it('a resend in the middle of a batch: later drafts of that conversation shift down, no gap', async () => {
    await sut.submit(draft('client-0001'), valid);
    const results = await Promise.all([
      sut.submit(draft('client-0002'), valid),
      sut.submit(draft('client-0001'), valid), // resend of a stored one
      sut.submit(draft('client-0003'), valid),
      sut.submit(draft('client-0004', 'alice', 'c2'), valid),
    ]);
    expect(results.map((r) => [r.message.clientId, r.message.seq, r.created])).toEqual([
      ['client-0002', 2, true],
      ['client-0001', 1, false],
      ['client-0003', 3, true],
      ['client-0004', 1, true],
    ]);
    expect(seqsOf(store.rows)).toEqual([1, 2, 3]);
  });

  it('concurrent sends of one clientId store exactly one message', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () => sut.submit(draft('client-same'), valid)),
    );
    expect(store.rows).toHaveLength(1);
    expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });

  it('the same clientId sent by two people is two messages', async () => {
    await sut.submit(draft('client-0001', 'alice'), valid);
    await sut.submit(draft('client-0001', 'bob'), valid);
    expect(seqsOf(store.rows)).toEqual([1, 2]);
  });

  it('two processes (two committers on one store) racing still give 1..n with no gaps', async () => {
    const other = committer();
    const results = await Promise.all(
      ids(40).map((id, i) => (i % 2 ? sut : other).submit(draft(id), valid)),
    );
    expect(results.every((r) => r.created)).toBe(true);
    expect(seqsOf(store.rows).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    // Each committer's own drafts keep their submission order.
    for (const parity of [0, 1]) {
      const mine = results.filter((_, i) => i % 2 === parity).map((r) => r.message.seq);
      expect(mine).toEqual([...mine].sort((x, y) => x - y));
    }
  });

  it('two processes storing the same clientId concurrently keep one message', async () => {
    const other = committer();
    const results = await Promise.all([
      sut.submit(draft('client-same'), valid),
      other.submit(draft('client-same'), valid),
    ]);
    expect(store.rows).toHaveLength(1);
    expect(results[0].message.id).toBe(results[1].message.id);
  });

  it('a seq taken by another process: re-reads the tail, renumbers the rest, stores before-index ones', async () => {
    await sut.submit(draft('client-0001'), valid);
    let stolen = false;
    store.beforeInsert = (message) => {
      if (!stolen && message.clientId === 'client-0003') {
        stolen = true;
        store.steal('c1', message.seq);
      }
    };
    const results = await Promise.all(
      ['client-0002', 'client-0003', 'client-0004'].map((id) => sut.submit(draft(id), valid)),
    );
    expect(results.map((r) => r.message.seq)).toEqual([2, 4, 5]);
    expect(seqsOf(store.rows).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5]);
    expect(store.tailReads).toBe(2); // the first miss and the collision
    // The counts continue from the re-read tail (bob has 3; alice has the stolen one).
    expect(results[1].message).toMatchObject({ recipientReceivedCount: 3, senderReceivedCount: 1 });
  });

  it('answers with the stored message when another process stored the same clientId first, by id alone', async () => {
    store.beforeInsert = (message) => {
      store.beforeInsert = undefined;
      store.rows.push({ ...message });
    };
    const result = await sut.submit(draft('client-0001'), valid);
    expect(result).toEqual({
      created: false,
      message: expect.objectContaining({ id: 'alice/client-0001', seq: 1 }),
    });
    expect(store.rows).toHaveLength(1);
    expect([store.resentReads, store.scans]).toEqual([1, 0]);
  });

  it('finds a message stored under another id (before ids came from the clientId) after a second collision', async () => {
    store.beforeInsert = (message) => {
      store.beforeInsert = undefined;
      store.rows.push({ ...message, id: 'stored-before' });
    };
    const result = await sut.submit(draft('client-0001'), valid);
    expect(result).toEqual({
      created: false,
      message: expect.objectContaining({ id: 'stored-before', seq: 1 }),
    });
    expect(store.rows).toHaveLength(1);
    // By id (a miss: taken for a seq collision), the tail again, then the search by clientId.
    expect([store.resentReads, store.scans]).toEqual([2, 1]);
  });

  it('a seq collision is told from a resend without searching by clientId', async () => {
    store.beforeInsert = (message) => {
      store.beforeInsert = undefined;
      store.steal(message.conversationId, message.seq);
    };
    const result = await sut.submit(draft('client-0001'), valid);
    expect(result).toMatchObject({ created: true, message: { seq: 2 } });
    expect([store.resentReads, store.scans]).toEqual([1, 0]);
  });

  it('a summary that lags behind costs one collision, then the tail comes from the messages', async () => {
    const other = committer();
    await other.submit(draft('client-0001'), valid);
    await other.submit(draft('client-0002', 'bob'), valid);
    store.summaryLag = 1; // the summary still says seq 1
    const result = await sut.submit(draft('client-0003'), valid);
    expect(result.message).toMatchObject({
      seq: 3,
      recipientReceivedCount: 2,
      senderReceivedCount: 1,
    });
    expect(store.tailSources.slice(-2)).toEqual(['summary', 'messages']);
    expect(seqsOf(store.rows)).toEqual([1, 2, 3]);
  });

  it('reads the tail once per conversation, then numbers from memory', async () => {
    for (const id of ids(5)) await sut.submit(draft(id), valid);
    expect(store.tailReads).toBe(1);
  });

  it('gives up (rather than looping forever) under endless collisions', async () => {
    store.beforeInsert = (message) => store.steal(message.conversationId, message.seq);
    await expect(sut.submit(draft('client-0001'), valid)).rejects.toThrow('could not allocate');
    expect(store.batches).toHaveLength(MAX_SEQ_ATTEMPTS);
  });

  it('passes on errors that are not duplicate keys, and keeps serving the conversation', async () => {
    const failing: CommitStore = {
      ...store,
      latestTail: (c, p, source) => store.latestTail(c, p, source),
      findResent: (key, everywhere) => store.findResent(key, everywhere),
      insertMany: async () => {
        failing.insertMany = (m) => store.insertMany(m);
        throw new Error('connection lost');
      },
    };
    sut = committer(failing);
    await expect(sut.submit(draft('client-0001'), valid)).rejects.toThrow('connection lost');
    await expect(sut.submit(draft('client-0002'), valid)).resolves.toMatchObject({
      created: true,
      message: { seq: 1 },
    });
  });

  it('re-checks a draft whose admission went stale; a refusal stores nothing, later drafts keep order', async () => {
    let current = true;
    const stale: Admission = {
      isCurrent: () => current,
      recheck: async () => {
        throw new Error('refused');
      },
    };
    const first = sut.submit(draft('client-0001'), stale);
    const second = sut.submit(draft('client-0002'), valid);
    current = false; // the block reached this process before the commit round
    await expect(first).rejects.toThrow('refused');
    await expect(second).resolves.toMatchObject({ message: { seq: 1, clientId: 'client-0002' } });
    expect(store.rows.map((r) => r.clientId)).toEqual(['client-0002']);
  });

  it('a stale admission that still holds is stored after its re-check, before later drafts', async () => {
    let current = true;
    const admission: Admission = { isCurrent: () => current, recheck: async () => valid };
    const first = sut.submit(draft('client-0001'), admission);
    const second = sut.submit(draft('client-0002'), valid);
    current = false;
    const results = await Promise.all([first, second]);
    expect(results.map((r) => r.message.seq)).toEqual([1, 2]);
  });
});
