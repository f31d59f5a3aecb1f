import { Types } from 'mongoose';

/**
 * What every repository shares about how data is stored: ids, duplicate keys, pair keys.
 * Services see plain strings and results, never ObjectIds or driver error codes.
 */

/** A stored id from its hex string; ids are checked at the edge (isObjectId, DTO validation). */
export const oid = (id: string): Types.ObjectId => new Types.ObjectId(id);

export const isObjectId = (id: unknown): id is string =>
  typeof id === 'string' && /^[a-f0-9]{24}$/i.test(id);

/** The code MongoDB and FerretDB report when a unique index refuses a write. */
export const DUPLICATE_KEY = 11000;

export const isDuplicateKey = (error: unknown): boolean =>
  (error as { code?: unknown } | null)?.code === DUPLICATE_KEY;

/**
 * The written value, or null when a unique index already holds its key: the invariants live
 * in unique indexes, so "someone else got there first" is an answer, not a failure.
 */
export async function unlessDuplicate<T>(write: PromiseLike<T>): Promise<T | null> {
  try {
    return await write;
  } catch (error) {
    if (isDuplicateKey(error)) return null;
    throw error;
  }
}

/** "<lowerId>:<higherId>": one key for a pair of users, whichever way round it is asked. */
export function pairKeyOf(userA: string, userB: string): string {
  const [low, high] = [userA.toLowerCase(), userB.toLowerCase()].sort();
  return `${low}:${high}`;
}
