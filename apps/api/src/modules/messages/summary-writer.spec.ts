import type { ConversationRecord, SummaryUpdate } from './conversations.repository';
import { SummaryStore, SummaryWriter } from './summary-writer';

const update = (seq: number): SummaryUpdate => ({
  last: { seq, senderId: 'alice', type: 'text', text: `m${seq}`, createdAt: new Date(seq) },
  received: { bob: seq, alice: 0 },
});

/** A store that keeps lastSeq per conversation with the conditional forward-only rule. */
class FakeStore implements SummaryStore {
  lastSeq = new Map<string, number>();
  rounds: string[][] = [];
  /** Simulates another process's older summary overwriting ours (a lost update). */
  overwrite?: (conversationId: string) => number | undefined;
  gate: Promise<void> = Promise.resolve();

  async advanceSummaries(updates: Map<string, SummaryUpdate>): Promise<Map<string, number>> {
    this.rounds.push([...updates].map(([id, u]) => `${id}:${u.last.seq}`));
    await this.gate;
    for (const [id, u] of updates) {
      if ((this.lastSeq.get(id) ?? 0) < u.last.seq) this.lastSeq.set(id, u.last.seq);
      const older = this.overwrite?.(id);
      if (older !== undefined) this.lastSeq.set(id, older);
    }
    return new Map(this.lastSeq);
  }
}

const conversation = (lastSeq: number): ConversationRecord => ({
  id: 'c1',
  pairKey: 'alice:bob',
  participantIds: ['alice', 'bob'],
  lastSeq,
  lastMessage: null,
  lastActivityAt: null,
  received: { bob: lastSeq, alice: 0 },
  createdAt: new Date(0),
});

describe('SummaryWriter', () => {
  it('writes a burst once, with its newest message, while one round is in flight', async () => {
    const store = new FakeStore();
    let open!: () => void;
    store.gate = new Promise((resolve) => (open = resolve));
    const sut = new SummaryWriter(store, { intervalMs: 0 });
    sut.advance('c1', update(1));
    for (const seq of [2, 3, 4]) sut.advance('c1', update(seq));
    sut.advance('c2', update(7));
    open();
    await sut.flush();
    expect(store.rounds).toEqual([['c1:1'], ['c1:4', 'c2:7']]);
    expect(store.lastSeq).toEqual(
      new Map([
        ['c1', 4],
        ['c2', 7],
      ]),
    );
  });

  it('under load writes each conversation at most once per interval', async () => {
    jest.useFakeTimers();
    try {
      const store = new FakeStore();
      const sut = new SummaryWriter(store, { intervalMs: 100 });
      sut.advance('c1', update(1)); // after a quiet spell: written at once
      await jest.advanceTimersByTimeAsync(10);
      for (let seq = 2; seq <= 20; seq++) {
        sut.advance('c1', update(seq));
        await jest.advanceTimersByTimeAsync(10);
      }
      // 200 ms of messages every 10 ms: the first at once, then one round per 100 ms.
      await jest.advanceTimersByTimeAsync(100);
      expect(store.rounds).toEqual([['c1:1'], ['c1:10'], ['c1:20']]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('flush writes at once, without waiting for the interval', async () => {
    const store = new FakeStore();
    const sut = new SummaryWriter(store, { intervalMs: 60_000 });
    sut.advance('c1', update(1));
    await sut.flush();
    sut.advance('c1', update(2)); // would wait a minute
    const started = Date.now();
    await sut.flush();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(store.rounds).toEqual([['c1:1'], ['c1:2']]);
  });

  it('writes at most maxRound conversations per round, oldest first', async () => {
    const store = new FakeStore();
    const sut = new SummaryWriter(store, { intervalMs: 0, maxRound: 2 });
    for (const id of ['c1', 'c2', 'c3', 'c4', 'c5']) sut.advance(id, update(1));
    await sut.flush();
    // The first starts a round at once; the rest wait behind it, two at a time.
    expect(store.rounds).toEqual([['c1:1'], ['c2:1', 'c3:1'], ['c4:1', 'c5:1']]);
  });

  it('shows what it has not written yet, and the conversation as it will be', async () => {
    const store = new FakeStore();
    let open!: () => void;
    store.gate = new Promise((resolve) => (open = resolve));
    const sut = new SummaryWriter(store, { intervalMs: 0 });
    sut.advance('c1', update(3)); // in flight
    sut.advance('c1', update(4)); // queued behind it
    expect(sut.pending('c1')?.last.seq).toBe(4);
    expect(sut.current(conversation(2))).toMatchObject({
      lastSeq: 4,
      lastMessage: { seq: 4, text: 'm4' },
      received: { bob: 4, alice: 0 },
    });
    // A summary already newer than the pending one is left as it is.
    expect(sut.current(conversation(9)).lastSeq).toBe(9);
    open();
    await sut.flush();
    await sut.flush();
    expect(sut.pending('c1')).toBeUndefined();
    expect(sut.current(conversation(4))).toEqual(conversation(4));
  });

  it('writes again when the read-back shows an older summary from elsewhere', async () => {
    const store = new FakeStore();
    let lost = 1;
    store.overwrite = () => (lost-- > 0 ? 2 : undefined);
    const sut = new SummaryWriter(store, { intervalMs: 0 });
    sut.advance('c1', update(5));
    await sut.flush();
    await sut.flush();
    expect(store.rounds).toEqual([['c1:5'], ['c1:5']]);
    expect(store.lastSeq.get('c1')).toBe(5);
  });

  it('a deleted conversation (absent from the read-back) settles without retrying', async () => {
    const store = new FakeStore();
    store.advanceSummaries = async (updates) => {
      store.rounds.push([...updates.keys()]);
      return new Map();
    };
    const sut = new SummaryWriter(store, { intervalMs: 0 });
    sut.advance('gone', update(1));
    await sut.flush();
    await sut.flush();
    expect(store.rounds).toEqual([['gone']]);
    expect(sut.pending('gone')).toBeUndefined();
  });

  it('a failed round is reported and its summaries are written again', async () => {
    const store = new FakeStore();
    const real = store.advanceSummaries.bind(store);
    store.advanceSummaries = async () => {
      store.advanceSummaries = real;
      throw new Error('connection lost');
    };
    const errors: string[] = [];
    const sut = new SummaryWriter(store, {
      intervalMs: 60_000,
      onError: (error) => errors.push(error.message),
    });
    sut.advance('c1', update(1)); // written at once, and fails
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toEqual(['connection lost']);
    expect(store.lastSeq.get('c1')).toBeUndefined();
    expect(sut.pending('c1')?.last.seq).toBe(1); // still visible while it waits its interval
    await sut.flush();
    expect(store.lastSeq.get('c1')).toBe(1);
  });
});
