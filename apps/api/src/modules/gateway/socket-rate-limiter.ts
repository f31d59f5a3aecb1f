import { Inject, Injectable } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { AppConfig } from '../../config/app-config';

/**
 * Per-user limit on socket events, counted in the same storage as HTTP throttling (Redis when
 * configured, so the limit holds across processes and tabs).
 */
@Injectable()
export class SocketRateLimiter {
  constructor(
    @Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage,
    private readonly config: AppConfig,
  ) {}

  /** Counts one event; returns false when the user is over the limit. */
  async consume(userId: string): Promise<boolean> {
    const { limit, windowMs } = this.config.rate('SOCKET_EVENTS');
    try {
      const record = await this.storage.increment(
        `socket:${userId}`,
        windowMs,
        limit,
        windowMs,
        'socket-events',
      );
      return !record.isBlocked;
    } catch {
      // Storage unavailable (Redis down): serve rather than lock everyone out.
      return true;
    }
  }
}
