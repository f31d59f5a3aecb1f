/** Thrown by withTimeout; callers treat it like the dependency being unreachable. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(what: string, ms: number) {
    super(`${what} did not answer within ${ms} ms`);
  }
}

/**
 * Settles with `promise`, or rejects with a TimeoutError after `ms`. A hung dependency (a
 * frozen Redis keeps its connection open and never replies) must cost a bounded wait, not
 * an unbounded one; the late answer, if any, is ignored.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(what, ms)), ms);
  });
  promise.catch(() => undefined); // a late rejection must not become an unhandled one
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
