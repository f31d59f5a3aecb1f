import type { MessageRecord, NewMessage } from './messages.repository';

/**
 * Group commit for messages. Sends handed over by any number of sockets wait in one queue; one
 * `insertMany` (ordered) stores everything that queued up while the previous one ran, and each
 * send settles when its own document is stored. This file is long because the commit round
 * and its error rules (a duplicate at index i, a collision with another process) belong
 * together.
 *
 * Per conversation the committer numbers messages seq 1, 2, 3 … without gaps and counts how
 * many each participant has received (the exact unread counters of the contacts list derive
 * from these counts; see ConversationsService). Without transactions:
 * - The numbering continues from what this process last stored in the conversation (its
 *   "tail"), read once on a miss from the conversation's summary. The tail can only be too low
 *   (another process stored since, or a summary write is still on its way): the insert then
 *   collides on the unique (conversationId, seq) index, the tail is read again from the newest
 *   message and the conversation's remaining drafts are numbered anew.
 * - A duplicate (senderId, clientId) is a resend: the stored message is the answer. A message's
 *   id is derived from its (senderId, clientId) (`idFor`), so that answer is a read by `_id`,
 *   which every engine serves from an index, FerretDB-SQLite included.
 * - `ordered: true` stores everything before a failed index and nothing after it, so nothing
 *   is ever deleted and no seq is skipped: the rest simply goes into the next round.
 * - Drafts of one conversation keep the order in which they were submitted (per-socket
 *   emission order: the gateway submits in emission order).
 */

/** Where a conversation's numbering stands: its highest seq and each participant's received count. */
export interface ConversationTail {
  seq: number;
  received: Record<string, number>;
}

/** A duplicate key refused document `index` of an insertMany; all before it are stored. */
export interface InsertOutcome {
  stored: number;
  failure?: { index: number; duplicateKey: boolean; error: unknown };
}

/** What the committer needs from storage (MessagesRepository; faked in unit tests). */
export interface CommitStore {
  /** Ordered insert; ids and fields are taken as given (nothing is read back). */
  insertMany(messages: StoredDraft[]): Promise<InsertOutcome>;
  /**
   * The message stored earlier under this draft's (senderId, clientId), if any. `id` is the id
   * the draft was given (`idFor`): a resend is found by `_id`. `everywhere` also looks for one
   * stored under another id (before ids were derived from the clientId): on FerretDB-SQLite a
   * scan of the messages collection, so the committer asks for it only when a draft collides
   * again after its tail was read anew.
   */
  findResent(
    draft: { id: string; senderId: string; clientId: string },
    everywhere: boolean,
  ): Promise<MessageRecord | null>;
  /**
   * Where the conversation's numbering stands. `summary`: from the conversation's summary (a
   * small read; it can only lag behind, which costs one collision). `messages`: from its newest
   * message (exact, but on FerretDB-SQLite a scan of the messages collection), used after a
   * collision.
   */
  latestTail(
    conversationId: string,
    participantIds: [string, string],
    source: 'summary' | 'messages',
  ): Promise<ConversationTail>;
}

/**
 * The relationship check a draft was admitted under. A change to the pair (block, removal) that
 * reaches this process after admission makes it stale; the draft is then checked again before
 * it is stored (so the next send after a block is refused even if it was already queued).
 */
export interface Admission {
  isCurrent(): boolean;
  /** Checks the pair again; rejects (with the refusal) when writing is no longer allowed. */
  recheck(): Promise<Admission>;
}

export type Draft = Omit<
  NewMessage,
  'seq' | 'createdAt' | 'recipientReceivedCount' | 'senderReceivedCount'
>;
export type StoredDraft = NewMessage & { id: string };

export interface CommitResult {
  message: MessageRecord;
  /** false when (senderId, clientId) was stored already: the caller returns it without re-delivering. */
  created: boolean;
}

/** Gives up on a draft after this many collisions (only reachable under pathological cross-process contention). */
export const MAX_SEQ_ATTEMPTS = 60;
/** Most documents per insertMany. */
export const MAX_BATCH = 256;
/** Drafts waiting beyond this are refused at once (overload is answered, never silently late). */
export const MAX_QUEUED = 5_000;
const TAILS_KEPT = 10_000;

export class CommitterOverloadedError extends Error {
  constructor() {
    super('too many messages waiting to be stored');
    this.name = 'CommitterOverloadedError';
  }
}

interface Pending {
  draft: Draft;
  /** The id it is stored under, fixed at submission (`idFor`). */
  id: string;
  admission: Admission;
  attempts: number;
  resolve(result: CommitResult): void;
  reject(error: unknown): void;
}

export interface CommitterOptions {
  /** The id a draft is stored under: the same for every send of one (senderId, clientId). */
  idFor: (draft: Draft) => string;
  now?: () => Date;
  /** Pause before retrying after a collision with another process (jittered by the caller). */
  backoff?: (attempt: number) => Promise<void>;
}

export class MessageCommitter {
  private queue: Pending[] = [];
  /** Sends of one (sender, clientId) waiting together: later ones get the first one's result. */
  private readonly waitingByClientId = new Map<string, Promise<CommitResult>>();
  private readonly tails = new Map<string, ConversationTail>();
  /** Conversations whose summary proved behind (a collision): their tail is read from the messages. */
  private readonly collided = new Set<string>();
  /** Conversations whose tail is being read or whose drafts are being re-checked: held back. */
  private readonly held = new Set<string>();
  private running = false;
  private readonly now: () => Date;
  private readonly backoff: (attempt: number) => Promise<void>;

  constructor(
    private readonly store: CommitStore,
    private readonly options: CommitterOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.backoff =
      options.backoff ??
      ((attempt) =>
        new Promise((resolve) =>
          setTimeout(resolve, Math.random() * Math.min(5 + attempt * 5, 50)),
        ));
  }

  /**
   * Queues a draft synchronously (so submission order is storage order within a conversation)
   * and resolves once it is stored, or with the stored message of an earlier send of its clientId.
   */
  submit(draft: Draft, admission: Admission): Promise<CommitResult> {
    const key = `${draft.senderId}:${draft.clientId}`;
    const twin = this.waitingByClientId.get(key);
    if (twin) return twin.then(({ message }) => ({ message, created: false }));
    if (this.queue.length >= MAX_QUEUED) return Promise.reject(new CommitterOverloadedError());
    const result = new Promise<CommitResult>((resolve, reject) => {
      this.queue.push({
        draft,
        id: this.options.idFor(draft),
        admission,
        attempts: 0,
        resolve,
        reject,
      });
    });
    this.waitingByClientId.set(key, result);
    const forget = () => {
      if (this.waitingByClientId.get(key) === result) this.waitingByClientId.delete(key);
    };
    result.then(forget, forget);
    this.kick();
    return result;
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    // A macrotask later: sends arriving in the same tick join the same round.
    setImmediate(() => void this.drain());
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.some((p) => !this.held.has(p.draft.conversationId))) await this.round();
    } finally {
      this.running = false;
      if (this.queue.some((p) => !this.held.has(p.draft.conversationId))) this.kick();
    }
  }

  /** One insertMany of what is queued (conversations whose facts are missing are held back). */
  private async round(): Promise<void> {
    const batch: Pending[] = [];
    const blocked = new Set<string>();
    for (const pending of this.queue) {
      if (batch.length >= MAX_BATCH) break;
      const conversationId = pending.draft.conversationId;
      if (this.held.has(conversationId) || blocked.has(conversationId)) continue;
      if (!pending.admission.isCurrent()) {
        // Everything of this conversation waits behind the re-check, keeping its order.
        blocked.add(conversationId);
        this.recheck(pending);
        continue;
      }
      if (!this.tails.has(conversationId)) {
        blocked.add(conversationId);
        this.loadTail(pending.draft);
        continue;
      }
      batch.push(pending);
    }
    if (batch.length === 0) return;
    const inBatch = new Set(batch);
    this.queue = this.queue.filter((p) => !inBatch.has(p));

    const documents = this.number(batch);
    let outcome: InsertOutcome;
    try {
      outcome = await this.store.insertMany(documents);
    } catch (error) {
      // Nothing is known about what was stored: the senders retry with the same clientId.
      for (const pending of batch) {
        this.tails.delete(pending.draft.conversationId);
        pending.reject(error);
      }
      return;
    }
    for (let i = 0; i < outcome.stored; i++) {
      const document = documents[i];
      this.remember(document.conversationId, tailAfter(document));
      batch[i].resolve({ message: toRecord(document), created: true });
    }
    const failure = outcome.failure;
    if (!failure) return;
    const failed = batch[failure.index];
    const rest = batch.slice(failure.index + 1);
    // Back to the front, in order, for the next round (their seqs are assigned again there).
    this.queue = [...rest, ...this.queue];
    if (!failure.duplicateKey) {
      this.tails.delete(failed.draft.conversationId);
      failed.reject(failure.error);
      return;
    }
    await this.resolveDuplicate(failed);
  }

  /** 11000 at one index: a resend (its clientId is stored) or another process took the seq. */
  private async resolveDuplicate(failed: Pending): Promise<void> {
    const { draft } = failed;
    let stored: MessageRecord | null;
    try {
      stored = await this.store.findResent(
        { id: failed.id, senderId: draft.senderId, clientId: draft.clientId },
        failed.attempts > 0,
      );
    } catch (error) {
      failed.reject(error);
      return;
    }
    if (stored) {
      failed.resolve({ message: stored, created: false });
      return;
    }
    failed.attempts++;
    if (failed.attempts >= MAX_SEQ_ATTEMPTS) {
      failed.reject(new Error('could not allocate a message sequence number'));
      return;
    }
    this.queue.unshift(failed);
    this.tails.delete(draft.conversationId);
    this.collided.add(draft.conversationId);
    // Reading the tail again is pause enough for a first collision; repeated ones (both
    // processes keep writing the conversation) back off with jitter. Only this conversation
    // waits; the others keep committing.
    if (failed.attempts < 3) return;
    this.held.add(draft.conversationId);
    void this.backoff(failed.attempts).finally(() => {
      this.held.delete(draft.conversationId);
      this.kick();
    });
  }

  /** Assigns seq, counts and ids from the tails, in queue order. */
  private number(batch: Pending[]): StoredDraft[] {
    const working = new Map<string, ConversationTail>();
    const createdAt = this.now();
    return batch.map(({ draft, id }) => {
      const base = working.get(draft.conversationId) ??
        this.tails.get(draft.conversationId) ?? { seq: 0, received: {} };
      const recipientReceivedCount = (base.received[draft.recipientId] ?? 0) + 1;
      const senderReceivedCount = base.received[draft.senderId] ?? 0;
      working.set(draft.conversationId, {
        seq: base.seq + 1,
        received: {
          ...base.received,
          [draft.recipientId]: recipientReceivedCount,
          [draft.senderId]: senderReceivedCount,
        },
      });
      return {
        ...draft,
        id,
        seq: base.seq + 1,
        createdAt,
        recipientReceivedCount,
        senderReceivedCount,
      };
    });
  }

  private loadTail(draft: Draft): void {
    const conversationId = draft.conversationId;
    this.held.add(conversationId);
    const source = this.collided.has(conversationId) ? 'messages' : 'summary';
    this.store
      .latestTail(conversationId, [draft.senderId, draft.recipientId], source)
      .then(
        (tail) => {
          if (source === 'messages') this.collided.delete(conversationId);
          this.remember(conversationId, tail);
        },
        (error: unknown) => this.failConversation(conversationId, error),
      )
      .finally(() => {
        this.held.delete(conversationId);
        this.kick();
      });
  }

  private recheck(pending: Pending): void {
    const conversationId = pending.draft.conversationId;
    this.held.add(conversationId);
    pending.admission
      .recheck()
      .then(
        (admission) => {
          pending.admission = admission;
        },
        (error: unknown) => {
          this.queue = this.queue.filter((p) => p !== pending);
          pending.reject(error);
        },
      )
      .finally(() => {
        this.held.delete(conversationId);
        this.kick();
      });
  }

  private failConversation(conversationId: string, error: unknown): void {
    const failing = this.queue.filter((p) => p.draft.conversationId === conversationId);
    this.queue = this.queue.filter((p) => p.draft.conversationId !== conversationId);
    for (const pending of failing) pending.reject(error);
  }

  private remember(conversationId: string, tail: ConversationTail): void {
    // Re-inserted so the Map's order is least-recently-used first.
    this.tails.delete(conversationId);
    this.tails.set(conversationId, tail);
    if (this.tails.size > TAILS_KEPT) this.tails.delete(this.tails.keys().next().value as string);
  }
}

function tailAfter(document: StoredDraft): ConversationTail {
  return {
    seq: document.seq,
    received: {
      [document.recipientId]: document.recipientReceivedCount,
      [document.senderId]: document.senderReceivedCount,
    },
  };
}

function toRecord(document: StoredDraft): MessageRecord {
  const { id, ...rest } = document;
  return { id, ...rest };
}
