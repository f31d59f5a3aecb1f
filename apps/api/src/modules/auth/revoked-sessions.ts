import { Injectable, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { ChangeFeed } from '../change-feed/change-feed.service';

/** More ids than this are never held; the oldest go first. */
export const REVOKED_SESSIONS_MAX = 50_000;

/**
 * Sessions this process has learned are revoked (from the change feed, whoever revoked them),
 * so the socket event path can refuse a revoked session with a memory lookup instead of a
 * database read per event. An id is needed only while a socket of that session could still
 * live: sockets end at their access token's expiry, so ids are dropped after one token
 * lifetime, and the set never exceeds REVOKED_SESSIONS_MAX.
 */
@Injectable()
export class RevokedSessions implements OnModuleInit {
  /** Session id → when it may be forgotten (ms). Insertion order is age order. */
  private readonly ids = new Map<string, number>();

  constructor(
    private readonly feed: ChangeFeed,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.feed.subscribe('sessions.revoked', ({ sessionIds }) => this.add(sessionIds));
  }

  add(sessionIds: string[], now = Date.now()): void {
    const forgetAt = now + (this.config.env.ACCESS_TOKEN_TTL_SECONDS + 60) * 1000;
    for (const id of sessionIds) {
      this.ids.delete(id);
      this.ids.set(id, forgetAt);
    }
    this.prune(now);
  }

  has(sessionId: string): boolean {
    return this.ids.has(sessionId);
  }

  get size(): number {
    return this.ids.size;
  }

  private prune(now: number): void {
    for (const [id, forgetAt] of this.ids) {
      if (forgetAt > now && this.ids.size <= REVOKED_SESSIONS_MAX) break;
      this.ids.delete(id);
    }
  }
}
