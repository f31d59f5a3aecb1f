/** A place in one socket's line of sends, taken synchronously when the event arrives. */
export interface SendTurn {
  /** Settles when every earlier send of the same socket has been admitted (or refused). */
  ready: Promise<void>;
  /** Lets the next send of the socket through; idempotent. */
  release(): void;
}

/**
 * First in, first out per key (a socket id): the admission of a socket's sends runs one after
 * the other in emission order, whatever order their asynchronous steps (rate limit, checks)
 * would finish in. Only admission waits here; storage and acks run concurrently.
 */
export class SendTurns {
  private readonly tails = new Map<string, Promise<void>>();

  take(key: string): SendTurn {
    const ready = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const tail = ready.then(() => released);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return { ready, release };
  }

  /** Keys with sends in line (for tests: nothing is kept once a socket's line is empty). */
  get size(): number {
    return this.tails.size;
  }
}
