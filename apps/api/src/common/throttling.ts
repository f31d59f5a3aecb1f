import { ExecutionContext, Inject, Injectable, Logger, SetMetadata } from '@nestjs/common';
import {
  ThrottlerGuard,
  ThrottlerLimitDetail,
  ThrottlerModuleOptions,
  ThrottlerRequest,
  ThrottlerStorage,
} from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { ErrorCode } from '@natter/contracts';
import type { Request, Response } from 'express';
import type { AppConfig } from '../config/app-config';
import { Metrics } from '../modules/metrics/metrics.service';
import type { RedisClient } from '../modules/redis/redis.module';
import { ApiException } from './api-exception';
import type { AuthUser } from './auth-user';

export type RateBucket = 'login' | 'signup' | 'upload';
const RATE_BUCKET = 'natter:rateBucket';
/** Puts a route under one of the special rate limits on top of the per-user API limit. */
export const RateBucket = (bucket: RateBucket) => SetMetadata(RATE_BUCKET, bucket);

const bucketOf = (context: ExecutionContext): RateBucket | undefined =>
  Reflect.getMetadata(RATE_BUCKET, context.getHandler());
const onlyFor = (bucket: RateBucket) => (context: ExecutionContext) => bucketOf(context) !== bucket;

export function throttlerOptions(config: AppConfig, redis: RedisClient): ThrottlerModuleOptions {
  const limit = (name: Parameters<AppConfig['rate']>[0]) => {
    const { limit, windowMs } = config.rate(name);
    return { limit, ttl: windowMs };
  };
  return {
    throttlers: [
      {
        name: 'api',
        ...limit('API_USER'),
        getTracker: (request) =>
          (request.user as AuthUser | undefined)?.userId ?? String(request.ip),
      },
      { name: 'login-ip', ...limit('LOGIN_IP'), skipIf: onlyFor('login') },
      {
        name: 'login-username',
        ...limit('LOGIN_USERNAME'),
        skipIf: onlyFor('login'),
        // Guessing one account's password from many addresses is still limited.
        getTracker: (request) =>
          `user:${String(request.body?.username ?? '')
            .toLowerCase()
            .slice(0, 100)}`,
      },
      { name: 'signup-ip', ...limit('SIGNUP_IP'), skipIf: onlyFor('signup') },
      {
        name: 'upload-user',
        ...limit('UPLOADS'),
        skipIf: onlyFor('upload'),
        getTracker: (request) =>
          (request.user as AuthUser | undefined)?.userId ?? String(request.ip),
      },
    ],
    storage: redis ? new FailOpenStorage(new ThrottlerStorageRedisService(redis)) : undefined,
  };
}

/**
 * Counts in Redis, but when Redis is unreachable the request is served uncounted rather
 * than failed: an outage of the counter store must not take the whole API down with it.
 */
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

export class FailOpenStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimits');

  constructor(private readonly inner: ThrottlerStorage) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    try {
      return await this.inner.increment(key, ttl, limit, blockDuration, throttlerName);
    } catch (error) {
      this.logger.warn(`Rate-limit storage unavailable, not counting: ${(error as Error).message}`);
      return { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };
    }
  }
}

/** Adds a plain `Retry-After` header and the contract's error shape to every 429. */
@Injectable()
export class AppThrottlerGuard extends ThrottlerGuard {
  // A property, so that the constructor stays ThrottlerGuard's own.
  @Inject(Metrics) private readonly metrics!: Metrics;

  /** Counts refusals by limiter name (the fixed names above: api, login-ip, ...). */
  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    try {
      return await super.handleRequest(request);
    } catch (error) {
      if (error instanceof ApiException && error.getStatus() === 429) {
        this.metrics.rateLimitRefused(request.throttler.name ?? 'default');
      }
      throw error;
    }
  }

  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const response = context.switchToHttp().getResponse<Response>();
    response.header('Retry-After', String(Math.max(1, Math.ceil(detail.timeToBlockExpire))));
    throw new ApiException(429, ErrorCode.RATE_LIMITED, 'Too many requests; try again later');
  }

  protected override async getTracker(request: Request): Promise<string> {
    return String(request.ip);
  }
}
