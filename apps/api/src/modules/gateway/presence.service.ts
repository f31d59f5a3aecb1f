import { Injectable } from '@nestjs/common';
import {
  DomainEvent,
  DomainEventPublisher,
  InjectDomainEvents,
  PresenceChanged,
} from '../../common/domain-events';
import { UsersRepository } from '../users/users.repository';
import { RealtimeService } from './realtime.service';

/**
 * Online means "has at least one socket somewhere in the cluster", read from the Socket.IO
 * rooms themselves (through the Redis adapter when there are several processes). Nothing is
 * stored as "online", so a restart can never leave a stale online flag behind.
 */
@Injectable()
export class PresenceService {
  constructor(
    private readonly realtime: RealtimeService,
    private readonly users: UsersRepository,
    @InjectDomainEvents() private readonly events: DomainEventPublisher,
  ) {}

  async socketConnected(userId: string): Promise<void> {
    if ((await this.realtime.socketCount(userId)) === 1) {
      this.publish({ userId, online: true, lastSeen: null });
    }
  }

  async socketDisconnected(userId: string): Promise<void> {
    if ((await this.realtime.socketCount(userId)) > 0) return;
    const lastSeen = new Date();
    await this.users.setLastSeen(userId, lastSeen);
    this.publish({ userId, online: false, lastSeen: lastSeen.toISOString() });
  }

  onlineUserIds(userIds: string[]): Promise<Set<string>> {
    return this.realtime.onlineUserIds(userIds);
  }

  private publish(event: PresenceChanged): void {
    this.events.emit(DomainEvent.PresenceChanged, event);
  }
}
