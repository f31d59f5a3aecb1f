import { HttpStatus, Injectable } from '@nestjs/common';
import {
  ContactInfo,
  ErrorCode,
  FriendRequestInfo,
  IncomingRequest,
  OutgoingRequest,
} from '@natter/contracts';
import { ApiException } from '../../../common/api-exception';
import { BlocksService } from '../../blocks/blocks.service';
import { ContactsService } from '../../contacts/contacts.service';
import { RealtimeService } from '../../gateway/realtime.service';
import { UserRecord, UsersRepository } from '../../users/users.repository';
import { FriendRequestRecord, FriendsRepository } from './friends.repository';
import { ContactBook } from '../contacts/contact-book.service';

export type SendOutcome = { request: FriendRequestInfo } | { contact: ContactInfo };

/** A few rounds are enough: each retry means another request for the pair was just resolved or created. */
const SEND_ATTEMPTS = 3;

const requestNotFound = () =>
  new ApiException(HttpStatus.NOT_FOUND, ErrorCode.REQUEST_NOT_FOUND, 'Friend request not found');
const blocked = () =>
  new ApiException(
    HttpStatus.FORBIDDEN,
    ErrorCode.BLOCKED,
    'You cannot send a request to this user',
  );
const summary = (user: UserRecord) => ({ id: user.id, username: user.username });

@Injectable()
export class FriendsService {
  constructor(
    private readonly requests: FriendsRepository,
    private readonly users: UsersRepository,
    private readonly contacts: ContactsService,
    private readonly blocks: BlocksService,
    private readonly contactBook: ContactBook,
    private readonly realtime: RealtimeService,
  ) {}

  /**
   * Sends a request, or accepts theirs when the other user already asked. One pending request
   * per pair is guaranteed by the unique pendingKey index, not by these checks: a concurrent
   * duplicate insert is refused and re-evaluated against the winner.
   */
  async send(senderId: string, username: string): Promise<SendOutcome> {
    const recipient = await this.users.findByUsername(username);
    if (!recipient)
      throw new ApiException(HttpStatus.NOT_FOUND, ErrorCode.USER_NOT_FOUND, 'User not found');
    if (recipient.id === senderId) {
      throw new ApiException(
        HttpStatus.BAD_REQUEST,
        ErrorCode.CANNOT_ADD_SELF,
        'You cannot add yourself',
      );
    }
    if (await this.blocks.isBlockedEitherWay(senderId, recipient.id)) throw blocked();
    if (await this.contacts.areContacts(senderId, recipient.id)) {
      throw new ApiException(
        HttpStatus.CONFLICT,
        ErrorCode.ALREADY_CONTACTS,
        'You are already contacts',
      );
    }
    for (let attempt = 0; attempt < SEND_ATTEMPTS; attempt++) {
      const existing = await this.requests.findPendingBetween(senderId, recipient.id);
      if (existing?.senderId === senderId) {
        throw new ApiException(
          HttpStatus.CONFLICT,
          ErrorCode.REQUEST_ALREADY_SENT,
          'Request already sent',
        );
      }
      if (existing) {
        const accepted = await this.requests.resolve(
          existing.id,
          { field: 'recipientId', userId: senderId },
          'accepted',
        );
        if (!accepted) continue; // resolved by someone else meanwhile: look again
        return { contact: await this.contactBook.connect(senderId, recipient.id) };
      }
      const created = await this.requests.createPending(senderId, recipient.id);
      if (!created) continue; // another request for the pair won the insert: look again
      // A block made between the check above and the insert must still win.
      if (await this.blocks.isBlockedEitherWay(senderId, recipient.id)) {
        await this.requests.resolve(
          created.id,
          { field: 'senderId', userId: senderId },
          'cancelled',
        );
        throw blocked();
      }
      const sender = await this.users.findById(senderId);
      if (!sender)
        throw new ApiException(HttpStatus.NOT_FOUND, ErrorCode.USER_NOT_FOUND, 'User not found');
      const request: FriendRequestInfo = {
        id: created.id,
        sender: summary(sender),
        recipient: summary(recipient),
        sentAt: created.createdAt.toISOString(),
      };
      this.realtime.emitToUser(recipient.id, 'friend_request_received', { request });
      return { request };
    }
    throw new ApiException(
      HttpStatus.CONFLICT,
      ErrorCode.REQUEST_ALREADY_SENT,
      'A request between you is already pending',
    );
  }

  async accept(recipientId: string, requestId: string): Promise<ContactInfo> {
    const actor = { field: 'recipientId' as const, userId: recipientId };
    const pending = await this.requests.findPendingFor(requestId, actor);
    if (!pending) throw requestNotFound();
    if (await this.blocks.isBlockedEitherWay(recipientId, pending.senderId))
      throw requestNotFound();
    if (!(await this.requests.resolve(requestId, actor, 'accepted'))) throw requestNotFound();
    return this.contactBook.connect(recipientId, pending.senderId);
  }

  async reject(recipientId: string, requestId: string): Promise<void> {
    const request = await this.close(requestId, 'recipientId', recipientId, 'rejected');
    // The recipient's own other tabs drop it from their list too.
    this.realtime.emitToUsers([request.senderId, recipientId], 'friend_request_rejected', {
      requestId,
    });
  }

  async cancel(senderId: string, requestId: string): Promise<void> {
    const request = await this.close(requestId, 'senderId', senderId, 'cancelled');
    this.realtime.emitToUsers([request.recipientId, senderId], 'friend_request_cancelled', {
      requestId,
    });
  }

  /** Resolves a pending request on behalf of its sender or recipient, or refuses with 404. */
  private async close(
    requestId: string,
    field: 'senderId' | 'recipientId',
    userId: string,
    status: 'rejected' | 'cancelled',
  ): Promise<FriendRequestRecord> {
    const request = await this.requests.resolve(requestId, { field, userId }, status);
    if (!request) throw requestNotFound();
    return request;
  }

  async incoming(userId: string): Promise<IncomingRequest[]> {
    const requests = await this.requests.listIncoming(userId);
    const users = await this.usersById(requests.map((request) => request.senderId));
    return requests.flatMap((request) => {
      const sender = users.get(request.senderId);
      return sender
        ? [{ id: request.id, sender: summary(sender), sentAt: request.createdAt.toISOString() }]
        : [];
    });
  }

  async outgoing(userId: string): Promise<OutgoingRequest[]> {
    const requests = await this.requests.listOutgoing(userId);
    const users = await this.usersById(requests.map((request) => request.recipientId));
    return requests.flatMap((request) => {
      const recipient = users.get(request.recipientId);
      return recipient
        ? [
            {
              id: request.id,
              recipient: summary(recipient),
              sentAt: request.createdAt.toISOString(),
            },
          ]
        : [];
    });
  }

  private async usersById(ids: string[]): Promise<Map<string, UserRecord>> {
    if (ids.length === 0) return new Map();
    return new Map((await this.users.findByIds([...new Set(ids)])).map((user) => [user.id, user]));
  }
}
