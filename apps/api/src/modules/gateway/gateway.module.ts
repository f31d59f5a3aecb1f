import { Global, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { UsersModule } from '../users/users.module';
import { ConnectionGateway } from './connection.gateway';
import { PresenceService } from './presence.service';
import { RealtimeService } from './realtime.service';
import { SocketEventGuard } from './socket-event-guard';
import { SocketEventHandler } from './socket-event-handler';
import { SocketRateLimiter } from './socket-rate-limiter';

/** Real-time plumbing shared by every feature: fan-out, presence, socket rate limits. */
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
  ],
  exports: [RealtimeService, PresenceService, SocketRateLimiter, SocketEventHandler],
})
export class GatewayModule {}
