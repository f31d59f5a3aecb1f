import type { SummaryUpdate } from './conversations.repository';

export interface SummaryStore {
  /**
   * Conditional forward-only writes of several summaries in one command, then one read-back:
   * the lastSeq stored per conversation (absent when the conversation is gone).
   */
  advanceSummaries(updates: Map<string, SummaryUpdate>): Promise<Map<string, number>>;
}

interface Waiter {
  seq: number;
  resolve(): void;
  reject(error: unknown): void;
}

/** Rewrites of one summary that did not stick before giving up until its next message. */
const MAX_REPAIRS = 5;

/**
 * Writes the denormalised conversation summaries (last message, lastSeq, received counts),
 * coalesced: at most one write round in flight per process, and every conversation that got
 * messages meanwhile is written in the next round, once, with its newest message — one update
 * command and one read-back per round, however many messages and conversations. Each summary
 * is read back; when another process's concurrent update overwrote it (FerretDB can lose one
 * of two concurrent updates of a document) it is written again, so the summary ends exact.
 */
export class SummaryWriter {
  private pending = new Map<string, SummaryUpdate>();
  private waiters = new Map<string, Waiter[]>();
  private repairs = new Map<string, number>();
  private writing = false;

  constructor(private readonly store: SummaryStore) {}

  /** Resolves once a summary at least as new as `update` has been written. */
  advance(conversationId: string, update: SummaryUpdate): Promise<void> {
    const queued = this.pending.get(conversationId);
    if (!queued || queued.last.seq < update.last.seq) this.pending.set(conversationId, update);
    const done = new Promise<void>((resolve, reject) => {
      const list = this.waiters.get(conversationId) ?? [];
      list.push({ seq: update.last.seq, resolve, reject });
      this.waiters.set(conversationId, list);
    });
    if (!this.writing) void this.run();
    return done;
  }

  private async run(): Promise<void> {
    this.writing = true;
    try {
      while (this.pending.size > 0) {
        const round = this.pending;
        this.pending = new Map();
        let stored: Map<string, number>;
        try {
          stored = await this.store.advanceSummaries(round);
        } catch (error) {
          for (const [conversationId, update] of round)
            this.settle(conversationId, update.last.seq, error);
          continue;
        }
        for (const [conversationId, update] of round) {
          const seq = stored.get(conversationId);
          const lost = seq !== undefined && seq < update.last.seq;
          const tries = (this.repairs.get(conversationId) ?? 0) + 1;
          if (lost && tries < MAX_REPAIRS) {
            // Overwritten by an older summary from elsewhere: written again next round.
            this.repairs.set(conversationId, tries);
            const newer = this.pending.get(conversationId);
            if (!newer || newer.last.seq < update.last.seq)
              this.pending.set(conversationId, update);
            continue;
          }
          this.repairs.delete(conversationId);
          this.settle(conversationId, update.last.seq);
        }
      }
    } finally {
      this.writing = false;
    }
  }

  /** Resolves (or rejects) the waiters whose message is covered by what was written. */
  private settle(conversationId: string, upToSeq: number, error?: unknown): void {
    const list = this.waiters.get(conversationId);
    if (!list) return;
    const covered = list.filter((waiter) => waiter.seq <= upToSeq);
    const rest = list.filter((waiter) => waiter.seq > upToSeq);
    if (rest.length > 0) this.waiters.set(conversationId, rest);
    else this.waiters.delete(conversationId);
    for (const waiter of covered) {
      if (error === undefined) waiter.resolve();
      else waiter.reject(error);
    }
  }
}
