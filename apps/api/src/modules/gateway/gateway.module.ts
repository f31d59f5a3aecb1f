import { Global, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { UsersModule } from '../users/users.module';
import { ConnectionGateway } from './connection.gateway';
import { GracefulShutdown } from './graceful-shutdown';
import { PresenceService } from './presence.service';
import { RealtimeService } from './realtime.service';
import { SocketEventGuard } from './socket-event-guard';
import { SocketEventHandler } from './socket-event-handler';
import { SocketRateLimiter } from './socket-rate-limiter';
import { SocketTraffic } from './socket-traffic';

/**
 * Real-time plumbing shared by every feature: fan-out, presence, socket rate limits, event
 * metrics and the graceful shutdown of sockets.
 */
@Global()
@Module({
  imports: [AuthModule, UsersModule],
  providers: [
    ConnectionGateway,
    RealtimeService,
    PresenceService,
    SocketRateLimiter,
    SocketEventGuard,
    SocketEventHandler,
    SocketTraffic,
    GracefulShutdown,
  ],
  exports: [RealtimeService, PresenceService, SocketRateLimiter, SocketEventHandler],
})
export class GatewayModule {}
