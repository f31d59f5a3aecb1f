import type { ConversationRecord, SummaryUpdate } from './conversations.repository';

export interface SummaryStore {
  /**
   * Conditional forward-only writes of several summaries in one command, then their read-back:
   * the lastSeq stored per conversation (absent when the conversation is gone).
   */
  advanceSummaries(updates: Map<string, SummaryUpdate>): Promise<Map<string, number>>;
}

export interface SummaryWriterOptions {
  /**
   * Least time between two writes of one conversation's summary. A message after a quiet
   * spell is written at once; under load each conversation is written at most once per
   * interval, however many messages it gets, so the summary cost stops growing with the send
   * rate.
   */
  intervalMs: number;
  /** Most conversations per round (default 8): small rounds keep the database's work even. */
  maxRound?: number;
  onError?: (error: Error & { code?: number }) => void;
}

/** Rewrites of one summary that did not stick before giving up until its next message. */
const MAX_REPAIRS = 5;
const DEFAULT_MAX_ROUND = 8;
/** Write times remembered beyond this many conversations are dropped (they are long past). */
const WRITTEN_KEPT = 10_000;

/**
 * Writes the denormalised conversation summaries (last message, lastSeq, received counts)
 * behind the messages: a send is acknowledged and delivered once its message is stored, and
 * its summary follows. Writes are coalesced per conversation: a summary waits until its
 * conversation's previous write is `intervalMs` old, and only its newest message is written.
 * Rounds are small (`maxRound` conversations, one update command and their read-backs) and one
 * at a time, so under load the writes trickle evenly instead of arriving as one burst that
 * would hold back the inserts sharing the database.
 *
 * Each summary is read back; when another process's concurrent update overwrote it (FerretDB
 * can lose one of two concurrent updates of a document) or the round failed, it is written
 * again, so the summary ends exact. Readers in this process see the summaries still on their
 * way through `current()` (the contacts list and read receipts merge them), so a user's own
 * process never shows a summary older than what it delivered; another process sees it at
 * most one interval later.
 */
export class SummaryWriter {
  /** Waiting to be written: the newest update per conversation, oldest conversation first. */
  private readonly queued = new Map<string, SummaryUpdate>();
  /** Being written by the current round. */
  private writing = new Map<string, SummaryUpdate>();
  /** When each recently written conversation was last written. */
  private readonly writtenAt = new Map<string, number>();
  private readonly repairs = new Map<string, number>();
  /** The write loop while it runs. */
  private running: Promise<void> | null = null;
  /** Ends the loop's pause early (a newly eligible summary, or a flush). */
  private wake: (() => void) | null = null;
  /** Called after every round and when the loop stops. */
  private roundListeners: (() => void)[] = [];
  /** While above 0, every queued summary is eligible at once (flush). */
  private urgent = 0;
  private readonly maxRound: number;

  constructor(
    private readonly store: SummaryStore,
    private readonly options: SummaryWriterOptions,
  ) {
    this.maxRound = options.maxRound ?? DEFAULT_MAX_ROUND;
  }

  /** Queues `update` (kept only when newer than what is queued); a send does not wait for it. */
  advance(conversationId: string, update: SummaryUpdate): void {
    const queued = this.queued.get(conversationId);
    if (!queued || queued.last.seq < update.last.seq) this.queued.set(conversationId, update);
    if (this.running) {
      if (this.eligibleAt(conversationId) <= Date.now()) this.wake?.();
    } else this.running = this.run();
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
   * Writes every summary waiting now, without waiting for the interval, and resolves once
   * each has had its write (a clean shutdown, or an edit about to revise the newest message's
   * summary).
   */
  async flush(): Promise<void> {
    const ids = new Set([...this.queued.keys(), ...this.writing.keys()]);
    const waiting = () => [...ids].some((id) => this.queued.has(id) || this.writing.has(id));
    this.urgent++;
    try {
      this.wake?.();
      while (this.running && waiting())
        await new Promise<void>((resolve) => this.roundListeners.push(resolve));
    } finally {
      this.urgent--;
    }
  }

  private eligibleAt(conversationId: string): number {
    if (this.urgent > 0) return 0;
    return (this.writtenAt.get(conversationId) ?? -Infinity) + this.options.intervalMs;
  }

  private async run(): Promise<void> {
    try {
      while (this.queued.size > 0) {
        const round = this.nextRound();
        if (round.size === 0) {
          await this.pause();
          continue;
        }
        await this.write(round);
        for (const listener of this.roundListeners.splice(0)) listener();
      }
    } finally {
      // In the same turn as the loop's last check: an update queued after it starts a new run.
      this.running = null;
      for (const listener of this.roundListeners.splice(0)) listener();
    }
  }

  /** The oldest queued conversations whose interval has passed, at most maxRound. */
  private nextRound(): Map<string, SummaryUpdate> {
    const now = Date.now();
    const round = new Map<string, SummaryUpdate>();
    for (const [conversationId, update] of this.queued) {
      if (round.size >= this.maxRound) break;
      if (this.eligibleAt(conversationId) <= now) round.set(conversationId, update);
    }
    for (const conversationId of round.keys()) this.queued.delete(conversationId);
    return round;
  }

  /** Sleeps until the first queued summary becomes eligible, or until woken. */
  private pause(): Promise<void> {
    let first = Infinity;
    for (const conversationId of this.queued.keys())
      first = Math.min(first, this.eligibleAt(conversationId));
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.max(1, first - Date.now()));
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }

  private async write(round: Map<string, SummaryUpdate>): Promise<void> {
    this.writing = round;
    const startedAt = Date.now();
    let stored: Map<string, number> | null = null;
    try {
      stored = await this.store.advanceSummaries(round);
    } catch (error) {
      // Nothing is known of what was written: every summary of the round is tried again.
      this.options.onError?.(error as Error & { code?: number });
    }
    this.writing = new Map();
    for (const [conversationId, update] of round) {
      this.remember(conversationId, startedAt);
      const seq = stored ? stored.get(conversationId) : 0;
      // Absent from the read-back: the conversation is gone.
      const lost = seq !== undefined && seq < update.last.seq;
      const tries = (this.repairs.get(conversationId) ?? 0) + 1;
      if (lost && tries < MAX_REPAIRS) {
        // Failed, or overwritten by an older summary from elsewhere: written again.
        this.repairs.set(conversationId, tries);
        this.advance(conversationId, update);
        continue;
      }
      // Given up after MAX_REPAIRS: the conversation's next message carries its summary
      // forward (each summary holds the full counts, not increments).
      this.repairs.delete(conversationId);
    }
  }

  private remember(conversationId: string, at: number): void {
    // Re-inserted so the Map's order is oldest write first.
    this.writtenAt.delete(conversationId);
    this.writtenAt.set(conversationId, at);
    if (this.writtenAt.size > WRITTEN_KEPT)
      this.writtenAt.delete(this.writtenAt.keys().next().value as string);
  }
}
