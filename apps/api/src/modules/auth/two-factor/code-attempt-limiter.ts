import { Inject, Injectable } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { AppConfig } from '../../../config/app-config';

/**
 * Per-user limit on one-time code attempts (RATE_TWO_FACTOR_USER_*), counted in the same
 * storage as HTTP throttling: Redis when configured, so it holds across API processes.
 */
@Injectable()
export class CodeAttemptLimiter {
  constructor(
    @Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage,
    private readonly config: AppConfig,
  ) {}

  /** Counts one attempt; false when the user is over the limit. */
  async consume(userId: string): Promise<boolean> {
    const { limit, windowMs } = this.config.rate('TWO_FACTOR_USER');
    try {
      const record = await this.storage.increment(
        `2fa:${userId}`,
        windowMs,
        limit,
        windowMs,
        'two-factor-user',
      );
      return !record.isBlocked;
    } catch {
      // Counter store unavailable (Redis down): a challenge still allows only five attempts.
      return true;
    }
  }
}
