import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ChangeEvents, ChangeKind } from './change-events';
import { ChangeFeedRepository } from './change-feed.repository';

type Handler<K extends ChangeKind> = (payload: ChangeEvents[K]) => void | Promise<void>;

/** How often each process looks for changes published elsewhere: the cross-process delay. */
export const CHANGE_POLL_MS = 500;
/**
 * Each poll reads every change stamped in this window and skips the ones it has applied. The
 * window is far wider than the poll interval so that an entry stamped a little before it
 * became visible (insert latency, clocks of other hosts) is still seen.
 */
const CHANGE_WINDOW_MS = 10_000;
/** Entries are kept this long, then pruned (FerretDB has no TTL indexes). */
const CHANGE_RETENTION_MS = 5 * 60_000;
const PRUNE_EVERY_MS = 60_000;

/**
 * A change feed through the database, for facts that every API process must learn within a
 * second, with or without Redis, whoever made the change (another API process or the admin
 * CLI). `publish` applies a change on this process at once and stores it; every other process
 * applies it on its next poll. Its cost is one small read per poll per process, whatever the
 * traffic, and it never sits on a request path.
 */
@Injectable()
export class ChangeFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ChangeFeed.name);
  private readonly origin = randomUUID();
  private readonly handlers = new Map<ChangeKind, Handler<ChangeKind>[]>();
  /** Ids applied within the window, with their stamps, so no change runs twice. */
  private readonly applied = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  private lastPrune = 0;
  private failing = false;

  constructor(private readonly repository: ChangeFeedRepository) {}

  subscribe<K extends ChangeKind>(kind: K, handler: Handler<K>): void {
    const list = this.handlers.get(kind) ?? [];
    list.push(handler as Handler<ChangeKind>);
    this.handlers.set(kind, list);
  }

  /**
   * Applies the change here first (so the very next request on this process sees it), then
   * stores it for the other processes. Rejects when it cannot be stored.
   */
  async publish<K extends ChangeKind>(kind: K, payload: ChangeEvents[K]): Promise<void> {
    await this.apply(kind, payload);
    await this.repository.insert({ kind, payload, origin: this.origin, at: new Date() });
  }

  async onApplicationBootstrap(): Promise<void> {
    // What was published before this process started concerns no state it holds.
    await this.poll({ apply: false });
    this.timer = setInterval(() => void this.poll({ apply: true }), CHANGE_POLL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async poll({ apply }: { apply: boolean }): Promise<void> {
    // A slow or hung database must not pile up polls.
    if (this.polling) return;
    this.polling = true;
    try {
      const now = Date.now();
      const changes = await this.repository.publishedSince(
        new Date(now - CHANGE_WINDOW_MS),
        this.origin,
      );
      for (const change of changes) {
        if (this.applied.has(change.id)) continue;
        this.applied.set(change.id, change.at.getTime());
        if (apply) await this.apply(change.kind as ChangeKind, change.payload as never);
      }
      for (const [id, at] of this.applied)
        if (at < now - 2 * CHANGE_WINDOW_MS) this.applied.delete(id);
      if (now - this.lastPrune > PRUNE_EVERY_MS) {
        this.lastPrune = now;
        await this.repository.deleteOlderThan(new Date(now - CHANGE_RETENTION_MS));
      }
      if (this.failing) this.logger.log('Change feed reachable again');
      this.failing = false;
    } catch (error) {
      // Logged once per outage; the next poll retries.
      if (!this.failing) this.logger.warn(`Change feed poll failed: ${(error as Error).name}`);
      this.failing = true;
    } finally {
      this.polling = false;
    }
  }

  private async apply<K extends ChangeKind>(kind: K, payload: ChangeEvents[K]): Promise<void> {
    for (const handler of this.handlers.get(kind) ?? []) {
      try {
        await handler(payload);
      } catch (error) {
        this.logger.warn(`A ${kind} handler failed: ${(error as Error).name}`);
      }
    }
  }
}
