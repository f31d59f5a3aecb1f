import type { SummaryUpdate } from './conversations.repository';

export interface SummaryStore {
  /** Conditional forward-only write, then a read-back; the lastSeq stored, or null when gone. */
  advanceSummary(conversationId: string, update: SummaryUpdate): Promise<number | null>;
}

interface Slot {
  /** The newest summary not yet written. */
  next: SummaryUpdate | null;
  waiters: { resolve(): void; reject(error: unknown): void }[];
  writing: boolean;
}

/** Rewrites of one summary that did not stick before giving up until the next message. */
const MAX_REPAIRS = 5;

/**
 * Writes the denormalised conversation summaries (last message, lastSeq, received counts),
 * coalesced: at most one write in flight per conversation in this process, and a burst of
 * messages that arrives meanwhile is written once, with its newest message. Each write is read
 * back; when another process's concurrent update overwrote it (FerretDB can lose one of two
 * concurrent updates of a document) it is written again, so the summary ends exact.
 */
export class SummaryWriter {
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly store: SummaryStore) {}

  /** Resolves once a summary at least as new as `update` has been written. */
  advance(conversationId: string, update: SummaryUpdate): Promise<void> {
    let slot = this.slots.get(conversationId);
    if (!slot) {
      slot = { next: null, waiters: [], writing: false };
      this.slots.set(conversationId, slot);
    }
    if (!slot.next || slot.next.last.seq < update.last.seq) slot.next = update;
    const done = new Promise<void>((resolve, reject) => slot.waiters.push({ resolve, reject }));
    if (!slot.writing) void this.run(conversationId, slot);
    return done;
  }

  private async run(conversationId: string, slot: Slot): Promise<void> {
    slot.writing = true;
    while (slot.next) {
      const update = slot.next;
      const waiters = slot.waiters;
      slot.next = null;
      slot.waiters = [];
      try {
        for (let repair = 0; repair < MAX_REPAIRS; repair++) {
          const stored = await this.store.advanceSummary(conversationId, update);
          // Gone (deleted conversation) or at least as new: done. A newer one queued meanwhile
          // is written by the next turn of the loop anyway.
          if (stored === null || stored >= update.last.seq || slot.next) break;
        }
        waiters.forEach((waiter) => waiter.resolve());
      } catch (error) {
        waiters.forEach((waiter) => waiter.reject(error));
      }
    }
    slot.writing = false;
    this.slots.delete(conversationId);
  }
}
