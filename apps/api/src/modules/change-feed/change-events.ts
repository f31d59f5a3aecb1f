/**
 * Changes that every API process must learn about, even without Redis: the database is the
 * shared truth, and each process caches facts (who may write to whom) or holds sockets
 * (sessions) that a change made elsewhere invalidates. Typed like the socket event maps.
 */
export interface ChangeEvents {
  /** Contacts or blocks between these two users changed (accept, remove, block, unblock, deletion). */
  'relationship.changed': { userIds: [string, string] };
  /** These sessions were revoked (by any path, the admin CLI included). */
  'sessions.revoked': { userId: string; sessionIds: string[] };
}

export type ChangeKind = keyof ChangeEvents;
