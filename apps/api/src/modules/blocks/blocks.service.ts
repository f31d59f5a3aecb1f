import { Injectable } from '@nestjs/common';
import { isObjectId } from '../database/persistence';
import { BlockRecord, BlocksRepository } from './blocks.repository';

/** Block records only; what a block does to contacts and requests is the social module's (Blocking). */
@Injectable()
export class BlocksService {
  constructor(private readonly repository: BlocksRepository) {}

  /** True when either user has blocked the other. */
  async isBlockedEitherWay(userA: string, userB: string): Promise<boolean> {
    if (!isObjectId(userA) || !isObjectId(userB)) return false;
    return this.repository.existsEitherWay(userA, userB);
  }

  /** Ids of everyone the user blocked or was blocked by. */
  relatedIds(userId: string): Promise<string[]> {
    return this.repository.relatedIds(userId);
  }

  create(blockerId: string, blockedId: string): Promise<BlockRecord> {
    return this.repository.create(blockerId, blockedId);
  }

  listBy(blockerId: string): Promise<BlockRecord[]> {
    return this.repository.listBy(blockerId);
  }

  remove(blockerId: string, blockedId: string): Promise<boolean> {
    return this.repository.remove(blockerId, blockedId);
  }

  removeAllFor(userId: string): Promise<void> {
    return this.repository.removeAllFor(userId);
  }
}
