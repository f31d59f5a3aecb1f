import { ExecutionContext, Inject, Injectable, Logger, SetMetadata } from '@nestjs/common';
import {
  ThrottlerGuard,
  ThrottlerLimitDetail,
  ThrottlerModuleOptions,
  ThrottlerRequest,
  ThrottlerStorage,
  ThrottlerStorageService,
} from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { ErrorCode } from '@natter/contracts';
import type { Request, Response } from 'express';
import type { AppConfig } from '../config/app-config';
import { Metrics } from '../modules/metrics/metrics.service';
import type { RedisClient } from '../modules/redis/redis.module';
import { ApiException } from './api-exception';
import type { AuthUser } from './auth-user';
import { withTimeout } from './with-timeout';

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
        getTracker: (request) => `user:${usernameOf(request.body).toLowerCase().slice(0, 100)}`,
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
 * The login body is read here before validation: only a string counts (String() of an
 * attacker's object or array can throw, or recurse through nested arrays).
 */
function usernameOf(body: unknown): string {
  const username = (body as { username?: unknown } | null | undefined)?.username;
  return typeof username === 'string' ? username : '';
}

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** How long a request waits for the shared counter before it is counted locally instead. */
export const SHARED_COUNTER_TIMEOUT_MS = 500;
/** After a failure or timeout, the shared counter is left alone this long. */
export const SHARED_COUNTER_BACKOFF_MS = 5000;

/**
 * Counts in Redis, but never lets Redis decide whether a request is served: when it fails
 * or does not answer within SHARED_COUNTER_TIMEOUT_MS (a frozen Redis never answers), the
 * request is counted in this process's memory instead, and Redis is not asked again for
 * SHARED_COUNTER_BACKOFF_MS. Limits then hold per process rather than per cluster, which
 * keeps floods cut off without making every request wait for a dead dependency.
 */
export class FailOpenStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimits');
  private readonly local = new ThrottlerStorageService();
  private sharedPausedUntil = 0;

  constructor(
    private readonly shared: ThrottlerStorage,
    private readonly timeoutMs = SHARED_COUNTER_TIMEOUT_MS,
    private readonly backoffMs = SHARED_COUNTER_BACKOFF_MS,
  ) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const args = [key, ttl, limit, blockDuration, throttlerName] as const;
    if (Date.now() >= this.sharedPausedUntil) {
      try {
        return await withTimeout(this.shared.increment(...args), this.timeoutMs, 'Redis');
      } catch (error) {
        this.sharedPausedUntil = Date.now() + this.backoffMs;
        this.logger.warn(
          `Rate-limit storage unavailable, counting in this process: ${(error as Error).message}`,
        );
      }
    }
    return this.local.increment(...args);
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
