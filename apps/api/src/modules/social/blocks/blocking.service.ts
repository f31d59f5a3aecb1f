import { HttpStatus, Injectable } from '@nestjs/common';
import { BlockedUser, ErrorCode } from '@natter/contracts';
import { ApiException } from '../../../common/api-exception';
import { BlocksService } from '../../blocks/blocks.service';
import { RealtimeService } from '../../gateway/realtime.service';
import { UsersRepository } from '../../users/users.repository';
import { ContactBook } from '../contacts/contact-book.service';
import { RelationshipChanges } from '../relationship-changes';
import { FriendsRepository } from '../requests/friends.repository';

/** Blocks and what they sever: the contact with its conversation, and a pending request. */
@Injectable()
export class Blocking {
  constructor(
    private readonly users: UsersRepository,
    private readonly blocks: BlocksService,
    private readonly requests: FriendsRepository,
    private readonly contactBook: ContactBook,
    private readonly relationships: RelationshipChanges,
    private readonly realtime: RealtimeService,
  ) {}

  async listBlocks(userId: string): Promise<BlockedUser[]> {
    const blocks = await this.blocks.listBy(userId);
    const users = new Map(
      (await this.users.findByIds(blocks.map((block) => block.blockedId))).map((user) => [
        user.id,
        user,
      ]),
    );
    return blocks.flatMap((block) => {
      const user = users.get(block.blockedId);
      return user
        ? [{ id: user.id, username: user.username, blockedAt: block.createdAt.toISOString() }]
        : [];
    });
  }

  async block(actorId: string, targetId: string): Promise<BlockedUser> {
    if (actorId === targetId) {
      throw new ApiException(
        HttpStatus.BAD_REQUEST,
        ErrorCode.CANNOT_BLOCK_SELF,
        'You cannot block yourself',
      );
    }
    const target = await this.users.findById(targetId);
    if (!target)
      throw new ApiException(HttpStatus.NOT_FOUND, ErrorCode.USER_NOT_FOUND, 'User not found');
    // The block goes first so that a request or accept racing with it sees it.
    const block = await this.blocks.create(actorId, targetId);
    await this.relationships.changed(actorId, targetId);
    await this.contactBook.sever(actorId, targetId);
    await this.dropPendingRequest(actorId, targetId);
    return { id: target.id, username: target.username, blockedAt: block.createdAt.toISOString() };
  }

  async unblock(actorId: string, targetId: string): Promise<void> {
    if (!(await this.blocks.remove(actorId, targetId))) {
      throw new ApiException(
        HttpStatus.NOT_FOUND,
        ErrorCode.BLOCK_NOT_FOUND,
        'You have not blocked this user',
      );
    }
    await this.relationships.changed(actorId, targetId);
  }

  /** A block withdraws the pair's pending request, whoever sent it. */
  private async dropPendingRequest(actorId: string, otherId: string): Promise<void> {
    const pending = await this.requests.findPendingBetween(actorId, otherId);
    if (!pending) return;
    if (pending.senderId === actorId) {
      const cancelled = await this.requests.resolve(
        pending.id,
        { field: 'senderId', userId: actorId },
        'cancelled',
      );
      if (cancelled)
        this.realtime.emitToUsers([actorId, otherId], 'friend_request_cancelled', {
          requestId: pending.id,
        });
    } else {
      const rejected = await this.requests.resolve(
        pending.id,
        { field: 'recipientId', userId: actorId },
        'rejected',
      );
      // Only the blocker's own tabs: the blocked sender is not told anything a block implies.
      if (rejected)
        this.realtime.emitToUser(actorId, 'friend_request_rejected', { requestId: pending.id });
    }
  }
}
