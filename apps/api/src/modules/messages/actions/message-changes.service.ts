import { HttpStatus, Injectable } from '@nestjs/common';
import { CHANGES_PAGE_MAX, ChangesResponse, ErrorCode } from '@natter/contracts';
import { ApiException } from '../../../common/api-exception';
import { MessagesRepository } from '../messages.repository';
import { ActionAccess } from './action-access';
import { ChangeLogRepository } from './change-log.repository';
import { MessageActionsRepository } from './message-actions.repository';
import { formatCursor, MessageView, parseCursor } from './message-view';

/**
 * `GET /api/conversations/:contactId/changes?since=<cursor>`: what a client that holds a
 * cursor is missing. At most CHANGES_PAGE_MAX log entries and CHANGES_PAGE_MAX new messages
 * per call, so its cost never depends on how long the client was away.
 */
@Injectable()
export class MessageChangesService {
  constructor(
    private readonly access: ActionAccess,
    private readonly messages: MessagesRepository,
    private readonly repository: MessageActionsRepository,
    private readonly changeLog: ChangeLogRepository,
    private readonly view: MessageView,
  ) {}

  async changes(userId: string, contactId: string, since: string): Promise<ChangesResponse> {
    const conversationId = await this.access.mayRead(userId, contactId);
    const cursor = parseCursor(since);
    if (!conversationId) return { messages: [], hiddenIds: [], cursor: since, hasMore: false };
    const conversation = { id: conversationId };
    const [latestChange, latestMessage] = await Promise.all([
      this.changeLog.latestSeq(conversation.id),
      this.messages.latestSeq(conversation.id),
    ]);
    // A cursor ahead of this conversation belongs to another one (e.g. deleted since and the two
    // became contacts again): nothing can be replayed onto it.
    if (cursor.changeSeq > latestChange || cursor.messageSeq > latestMessage)
      throw new ApiException(
        HttpStatus.GONE,
        ErrorCode.CURSOR_EXPIRED,
        'This cursor can no longer be caught up from; reload the conversation',
      );
    const [entries, created] = await Promise.all([
      this.changeLog.since(conversation.id, cursor.changeSeq, CHANGES_PAGE_MAX + 1),
      this.repository.createdAfter(conversation.id, cursor.messageSeq, CHANGES_PAGE_MAX + 1),
    ]);
    const hasMore = entries.length > CHANGES_PAGE_MAX || created.length > CHANGES_PAGE_MAX;
    const pageEntries = entries.slice(0, CHANGES_PAGE_MAX);
    const pageCreated = created.slice(0, CHANGES_PAGE_MAX);

    const hiddenIds = [
      ...new Set(
        pageEntries
          .filter((entry) => entry.kind === 'hidden' && entry.userId === userId)
          .map((entry) => entry.messageId),
      ),
    ];
    const createdIds = new Set(pageCreated.map((message) => message.id));
    const updatedIds = [
      ...new Set(
        pageEntries
          .filter((entry) => entry.kind === 'updated' && !createdIds.has(entry.messageId))
          .map((entry) => entry.messageId),
      ),
    ];
    const updated = await this.repository.findMessages(conversation.id, updatedIds);
    const visible = await this.view.visible(
      userId,
      [...pageCreated, ...updated].sort((a, b) => a.seq - b.seq),
    );
    return {
      messages: await this.view.present(visible),
      hiddenIds,
      cursor: formatCursor(
        pageEntries.at(-1)?.changeSeq ?? cursor.changeSeq,
        pageCreated.at(-1)?.seq ?? cursor.messageSeq,
      ),
      hasMore,
    };
  }
}
