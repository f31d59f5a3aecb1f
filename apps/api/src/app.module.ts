import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { ContentTypeMiddleware } from './common/content-type.middleware';
import { JwtAuthGuard } from './common/jwt-auth.guard';
import { loggerOptions } from './common/logging';
import { AppThrottlerGuard, throttlerOptions } from './common/throttling';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/config.module';
import { AuditModule } from './modules/audit/audit.module';
import { AuthModule } from './modules/auth/auth.module';
import { ChangeFeedModule } from './modules/change-feed/change-feed.module';
import { DatabaseModule } from './modules/database/database.module';
import { SocialModule } from './modules/social/social.module';
import { GatewayModule } from './modules/gateway/gateway.module';
import { HealthModule } from './modules/health/health.module';
import { MediaModule } from './modules/media/media.module';
import { MessagesModule } from './modules/messages/messages.module';
import { MetricsModule } from './modules/metrics/metrics.module';
import { REDIS, RedisClient, RedisModule } from './modules/redis/redis.module';
import { UsersModule } from './modules/users/users.module';

@Module({
  imports: [
    AppConfigModule,
    LoggerModule.forRootAsync({ inject: [AppConfig], useFactory: loggerOptions }),
    EventEmitterModule.forRoot(),
    MetricsModule,
    RedisModule,
    DatabaseModule,
    ChangeFeedModule,
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, REDIS],
      useFactory: (config: AppConfig, redis: RedisClient) => throttlerOptions(config, redis),
    }),
    AuditModule,
    UsersModule,
    AuthModule,
    GatewayModule,
    HealthModule,
    MessagesModule,
    MediaModule,
    SocialModule,
  ],
  providers: [
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
    // Order matters: authentication first, so the API rate limit can count per user.
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: AppThrottlerGuard },
  ],
})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ContentTypeMiddleware).forRoutes('*path');
  }
}
