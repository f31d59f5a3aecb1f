import { Global, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { UsersModule } from '../users/users.module';
import { ConnectionGateway } from './connection.gateway';
import { PresenceService } from './presence.service';
import { RealtimeService } from './realtime.service';
import { SocketRateLimiter } from './socket-rate-limiter';

/** Real-time plumbing shared by every feature: fan-out, presence, socket rate limits. */
@Global()
@Module({
  imports: [AuthModule, UsersModule],
  providers: [ConnectionGateway, RealtimeService, PresenceService, SocketRateLimiter],
  exports: [RealtimeService, PresenceService, SocketRateLimiter],
})
export class GatewayModule {}
