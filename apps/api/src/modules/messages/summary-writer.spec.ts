import type { SummaryUpdate } from './conversations.repository';
import { SummaryStore, SummaryWriter } from './summary-writer';

const update = (seq: number): SummaryUpdate => ({
  last: { seq, senderId: 'alice', type: 'text', text: `m${seq}`, createdAt: new Date() },
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

describe('SummaryWriter', () => {
  it('writes a burst once, with its newest message, while one round is in flight', async () => {
    const store = new FakeStore();
    let open!: () => void;
    store.gate = new Promise((resolve) => (open = resolve));
    const sut = new SummaryWriter(store);
    const first = sut.advance('c1', update(1));
    const burst = [2, 3, 4].map((seq) => sut.advance('c1', update(seq)));
    const other = sut.advance('c2', update(7));
    open();
    await Promise.all([first, ...burst, other]);
    expect(store.rounds).toEqual([['c1:1'], ['c1:4', 'c2:7']]);
    expect(store.lastSeq).toEqual(
      new Map([
        ['c1', 4],
        ['c2', 7],
      ]),
    );
  });

  it('writes again when the read-back shows an older summary from elsewhere', async () => {
    const store = new FakeStore();
    let lost = 1;
    store.overwrite = () => (lost-- > 0 ? 2 : undefined);
    const sut = new SummaryWriter(store);
    await sut.advance('c1', update(5));
    expect(store.rounds).toEqual([['c1:5'], ['c1:5']]);
    expect(store.lastSeq.get('c1')).toBe(5);
  });

  it('a deleted conversation (absent from the read-back) settles without retrying', async () => {
    const store = new FakeStore();
    store.advanceSummaries = async (updates) => {
      store.rounds.push([...updates.keys()]);
      return new Map();
    };
    await new SummaryWriter(store).advance('gone', update(1));
    expect(store.rounds).toEqual([['gone']]);
  });

  it('a failed round rejects its waiters and the next message is written normally', async () => {
    const store = new FakeStore();
    const real = store.advanceSummaries.bind(store);
    store.advanceSummaries = async () => {
      store.advanceSummaries = real;
      throw new Error('connection lost');
    };
    const sut = new SummaryWriter(store);
    await expect(sut.advance('c1', update(1))).rejects.toThrow('connection lost');
    await sut.advance('c1', update(2));
    expect(store.lastSeq.get('c1')).toBe(2);
  });
});
