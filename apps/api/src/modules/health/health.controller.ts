import { Controller, Get, Inject } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  MongooseHealthIndicator,
} from '@nestjs/terminus';
import { Public } from '../../common/auth-user';
import { ErrorCode, LivenessResponse } from '@natter/contracts';
import { ApiErrors, ApiOk } from '../../common/swagger';
import { withTimeout } from '../../common/with-timeout';
import { REDIS, RedisClient } from '../redis/redis.module';

/** Per dependency; they run in parallel, so readiness answers within about this long. */
const PROBE_TIMEOUT_MS = 800;

@ApiTags('operations')
@Public()
// Probes are exempt from the per-client API limit (named 'api', see common/throttling.ts).
@SkipThrottle({ api: true })
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly mongoose: MongooseHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: RedisClient,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness: the process is up' })
  @ApiOk(200, '`{ status: "ok" }`', LivenessResponse)
  live(): LivenessResponse {
    return { status: 'ok' };
  }

  @Get('ready')
  // Above @HealthCheck() so that it replaces that decorator's 503 (our filter answers ApiError).
  @ApiErrors([503, ErrorCode.SERVICE_UNAVAILABLE])
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: the database (and Redis, when used) answer' })
  @ApiOk(200, 'Ready')
  ready() {
    // Each probe is bounded, so a hung dependency (a frozen Redis keeps its connection and
    // never answers) still gets a 503 within a second.
    return this.health.check([
      () => this.mongoose.pingCheck('database', { timeout: PROBE_TIMEOUT_MS }),
      async () => {
        const indicator = this.indicators.check('redis');
        if (!this.redis) return indicator.up({ used: false });
        try {
          await withTimeout(this.redis.ping(), PROBE_TIMEOUT_MS, 'Redis');
          return indicator.up();
        } catch (error) {
          return indicator.down({ message: (error as Error).message });
        }
      },
    ]);
  }
}
