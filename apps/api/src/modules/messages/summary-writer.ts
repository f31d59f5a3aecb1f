import type { ConversationRecord, SummaryUpdate } from './conversations.repository';

export interface SummaryStore {
  /**
   * Conditional forward-only writes of several summaries in one command, then one read-back:
   * the lastSeq stored per conversation (absent when the conversation is gone).
   */
  advanceSummaries(updates: Map<string, SummaryUpdate>): Promise<Map<string, number>>;
}

export interface SummaryWriterOptions {
  /**
   * Least time between the starts of two write rounds. A message arriving after a quiet spell
   * is written at once; under load every conversation is written at most once per interval,
   * however many messages it gets, so the summary cost stops growing with the send rate.
   */
  intervalMs: number;
  onError?: (error: Error & { code?: number }) => void;
}

/** Rewrites of one summary that did not stick before giving up until its next message. */
const MAX_REPAIRS = 5;

/**
 * Writes the denormalised conversation summaries (last message, lastSeq, received counts)
 * behind the messages: a send is acknowledged and delivered once its message is stored, and
 * its summary follows within one round. Rounds are coalesced: at most one in flight per
 * process, at most one per interval under load, and every conversation that got messages
 * meanwhile is written in the next round, once, with its newest message — one update command
 * and one read-back per round, however many messages and conversations.
 *
 * Each summary is read back; when another process's concurrent update overwrote it (FerretDB
 * can lose one of two concurrent updates of a document) it is written again, so the summary
 * ends exact. Readers in this process see the summaries still on their way through
 * `pending()` (the contacts list and read receipts merge them), so a user's own process never
 * shows a summary older than what it delivered; another process sees it one round later.
 */
export class SummaryWriter {
  /** Queued for the next round: the newest update per conversation. */
  private queued = new Map<string, SummaryUpdate>();
  /** Being written by the current round. */
  private writing = new Map<string, SummaryUpdate>();
  private repairs = new Map<string, number>();
  /** The write loop while it runs. */
  private running: Promise<void> | null = null;
  /** The round in flight. */
  private inFlight: Promise<void> | null = null;
  /** Ends the pause before the next round early. */
  private wake: (() => void) | null = null;
  /** Resolves when the round that takes what is queued now has finished. */
  private nextRound: { promise: Promise<void>; resolve(): void } | null = null;
  private lastRoundStart = -Infinity;

  constructor(
    private readonly store: SummaryStore,
    private readonly options: SummaryWriterOptions,
  ) {}

  /** Queues `update` (kept only when newer than what is queued); a send does not wait for it. */
  advance(conversationId: string, update: SummaryUpdate): void {
    this.enqueue(conversationId, update);
    this.running ??= this.run();
  }

  /** The conversation as its summary stands once this process's pending write lands. */
  current(conversation: ConversationRecord): ConversationRecord {
    const pending = this.pending(conversation.id);
    if (!pending || pending.last.seq <= conversation.lastSeq) return conversation;
    return {
      ...conversation,
      lastSeq: pending.last.seq,
      lastMessage: pending.last,
      lastActivityAt: pending.last.createdAt,
      received: { ...conversation.received, ...pending.received },
    };
  }

  /** The newest summary of the conversation not yet confirmed written, if any. */
  pending(conversationId: string): SummaryUpdate | undefined {
    const queued = this.queued.get(conversationId);
    const writing = this.writing.get(conversationId);
    if (!queued) return writing;
    if (!writing) return queued;
    return queued.last.seq >= writing.last.seq ? queued : writing;
  }

  /**
   * Writes what is queued now, without waiting for the interval, and resolves once that round
   * has finished (a clean shutdown, or an edit about to revise the newest message's summary).
   */
  flush(): Promise<void> {
    this.wake?.();
    if (this.queued.size > 0) {
      if (!this.nextRound) {
        let resolve!: () => void;
        const promise = new Promise<void>((done) => (resolve = done));
        this.nextRound = { promise, resolve };
      }
      return this.nextRound.promise;
    }
    return this.inFlight ?? Promise.resolve();
  }

  private enqueue(conversationId: string, update: SummaryUpdate): void {
    const queued = this.queued.get(conversationId);
    if (!queued || queued.last.seq < update.last.seq) this.queued.set(conversationId, update);
  }

  private async run(): Promise<void> {
    try {
      while (this.queued.size > 0) {
        const wait = this.lastRoundStart + this.options.intervalMs - Date.now();
        if (wait > 0 && !this.nextRound)
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, wait);
            this.wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        this.wake = null;
        this.lastRoundStart = Date.now();
        const waiting = this.nextRound;
        this.nextRound = null;
        this.inFlight = this.round();
        await this.inFlight;
        this.inFlight = null;
        waiting?.resolve();
      }
    } finally {
      // In the same turn as the loop's last check: an update queued after it starts a new run.
      this.running = null;
    }
  }

  private async round(): Promise<void> {
    const round = this.queued;
    this.queued = new Map();
    this.writing = round;
    let stored: Map<string, number> | null = null;
    try {
      stored = await this.store.advanceSummaries(round);
    } catch (error) {
      // Nothing is known of what was written: every summary of the round is tried again.
      this.options.onError?.(error as Error & { code?: number });
    }
    this.writing = new Map();
    for (const [conversationId, update] of round) {
      const seq = stored ? stored.get(conversationId) : 0;
      // Absent from the read-back: the conversation is gone.
      const lost = seq !== undefined && seq < update.last.seq;
      const tries = (this.repairs.get(conversationId) ?? 0) + 1;
      if (lost && tries < MAX_REPAIRS) {
        // Failed, or overwritten by an older summary from elsewhere: written again next round.
        this.repairs.set(conversationId, tries);
        this.enqueue(conversationId, update);
        continue;
      }
      // Given up after MAX_REPAIRS: the conversation's next message carries its summary
      // forward (each summary holds the full counts, not increments).
      this.repairs.delete(conversationId);
    }
  }
}
