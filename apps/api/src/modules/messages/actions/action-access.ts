import { HttpStatus, Injectable } from '@nestjs/common';
import { ErrorCode } from '@natter/contracts';
import { ApiException } from '../../../common/api-exception';
import { MessagingAccess } from '../messaging-access';

const messageNotFound = () =>
  new ApiException(HttpStatus.NOT_FOUND, ErrorCode.MESSAGE_NOT_FOUND, 'Message not found');

/**
 * Who may act on a conversation's messages, asked of MessagingAccess exactly as the send path
 * asks it (its cached, change-feed-invalidated facts are the answer here too): acting needs
 * what writing needs (contacts both ways, no block either way: 404 / 403 BLOCKED), catching up
 * what reading needs. A message must belong to the pair's current conversation.
 */
@Injectable()
export class ActionAccess {
  constructor(private readonly access: MessagingAccess) {}

  async assertMayAct(userId: string, otherId: string, conversationId: string): Promise<void> {
    const { conversationId: current } = await this.access.writable(userId, otherId);
    if (current !== conversationId) throw messageNotFound();
  }

  /** The pair's conversation id (null when there is none), or 404 unless a contact. */
  mayRead(userId: string, contactId: string): Promise<string | null> {
    return this.access.readable(userId, contactId);
  }
}
