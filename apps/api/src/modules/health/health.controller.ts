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
import { ApiOk } from '../../common/swagger';
import { REDIS, RedisClient } from '../redis/redis.module';

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
  @ApiOk(200, '`{ status: "ok" }`')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: the database (and Redis, when used) answer' })
  @ApiOk(200, 'Ready')
  @ApiOk(503, 'Not ready')
  ready() {
    return this.health.check([
      () => this.mongoose.pingCheck('database', { timeout: 3000 }),
      async () => {
        const indicator = this.indicators.check('redis');
        if (!this.redis) return indicator.up({ used: false });
        try {
          await this.redis.ping();
          return indicator.up();
        } catch (error) {
          return indicator.down({ message: (error as Error).message });
        }
      },
    ]);
  }
}
