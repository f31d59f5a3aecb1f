import type { MessageRecord, NewMessage } from './messages.repository';

/** What the sequencer needs from storage (MessagesRepository; faked in unit tests). */
export interface SequencerStore {
  insert(message: NewMessage): Promise<MessageRecord>;
  findByClientId(senderId: string, clientId: string): Promise<MessageRecord | null>;
  latestSeq(conversationId: string): Promise<number>;
}

export interface StoreResult {
  message: MessageRecord;
  /** false when (senderId, clientId) was already stored: the caller returns it without re-delivering. */
  created: boolean;
}

export type Draft = Omit<NewMessage, 'seq' | 'createdAt'>;

const isDuplicateKey = (error: unknown) => (error as { code?: number } | null)?.code === 11000;

/** Gives up after this many collisions (only reachable under pathological cross-process contention). */
export const MAX_SEQ_ATTEMPTS = 60;
const HINTS_KEPT = 10_000;

/**
 * Stores messages with a gap-free, strictly increasing seq per conversation, idempotently per
 * (sender, clientId), without transactions:
 * - seq = (highest stored seq) + 1, inserted under the unique (conversationId, seq) index; a
 *   writer that loses the race gets 11000 and tries again with the new maximum. Nothing is
 *   reserved ahead of the insert, so an abandoned attempt never leaves a hole.
 * - 11000 can also mean "this clientId was stored already" (a resend, possibly concurrent or
 *   from another process): then the stored message is the answer.
 * - Within one process, sends into one conversation queue behind each other, so collisions
 *   only happen between processes; there a jittered backoff spreads the retries.
 */
export class MessageSequencer {
  private readonly queues = new Map<string, Promise<unknown>>();
  /**
   * The last seq this process stored per conversation, tried first to save a read. It can only
   * be too low (another process wrote since), which costs one collision; it is never too high,
   * because messages are only ever deleted together with their conversation (and its id).
   */
  private readonly lastSeqHint = new Map<string, number>();

  constructor(
    private readonly store: SequencerStore,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
    private readonly now: () => Date = () => new Date(),
  ) {}

  async save(draft: Draft): Promise<StoreResult> {
    const existing = await this.store.findByClientId(draft.senderId, draft.clientId);
    if (existing) return { message: existing, created: false };
    return this.serialised(draft.conversationId, () => this.insertWithNextSeq(draft));
  }

  private async insertWithNextSeq(draft: Draft): Promise<StoreResult> {
    for (let attempt = 0; attempt < MAX_SEQ_ATTEMPTS; attempt++) {
      const hint = attempt === 0 ? this.lastSeqHint.get(draft.conversationId) : undefined;
      const seq = (hint ?? (await this.store.latestSeq(draft.conversationId))) + 1;
      try {
        const message = await this.store.insert({ ...draft, seq, createdAt: this.now() });
        this.remember(draft.conversationId, seq);
        return { message, created: true };
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        // Which index refused it does not need parsing from the error text (it differs between
        // servers): if the clientId is stored, this was a duplicate send.
        const stored = await this.store.findByClientId(draft.senderId, draft.clientId);
        if (stored) return { message: stored, created: false };
        await this.sleep(Math.random() * Math.min(5 + attempt * 5, 50));
      }
    }
    throw new Error('could not allocate a message sequence number');
  }

  private remember(conversationId: string, seq: number): void {
    // Re-inserted so the Map's order is least-recently-used first.
    this.lastSeqHint.delete(conversationId);
    this.lastSeqHint.set(conversationId, seq);
    if (this.lastSeqHint.size > HINTS_KEPT)
      this.lastSeqHint.delete(this.lastSeqHint.keys().next().value as string);
  }

  /** Runs `task` after every earlier task for the same key has settled. */
  private serialised<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.catch(() => undefined);
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return run;
  }
}
