import { HttpStatus, Injectable } from '@nestjs/common';
import { ErrorCode, MessageInfo, REPLY_QUOTE_LENGTH, ReplyToInfo } from '@natter/contracts';
import { ApiException } from '../../../common/api-exception';
import type { MessageRecord } from '../messages.repository';
import { toMessageInfo } from '../message-info';
import { ChangeLogRepository } from './change-log.repository';
import { MessageActionsRepository } from './message-actions.repository';

/** Pages read past entirely hidden ones before answering (bounded cost). */
const MAX_HIDDEN_PAGES = 10;

export function toReplyToInfo(original: MessageRecord): ReplyToInfo {
  const reply: ReplyToInfo = {
    id: original.id,
    seq: original.seq,
    senderId: original.senderId,
    type: original.type,
  };
  if (original.deletedAt) reply.deleted = true;
  else if (original.text) reply.text = original.text.slice(0, REPLY_QUOTE_LENGTH);
  return reply;
}

/**
 * How stored messages look to one viewer: without the ones they hid, with their reactions and
 * the live summary of the message each one answers. A constant number of queries per page,
 * whatever its size.
 */
@Injectable()
export class MessageView {
  constructor(
    private readonly actions: MessageActionsRepository,
    private readonly changeLog: ChangeLogRepository,
  ) {}

  /** Drops the messages `viewerId` hid. */
  async visible(viewerId: string, records: MessageRecord[]): Promise<MessageRecord[]> {
    const hidden = await this.actions.hiddenAmong(
      viewerId,
      records.map((record) => record.id),
    );
    return hidden.size === 0 ? records : records.filter((record) => !hidden.has(record.id));
  }

  /**
   * One page of history without the messages `viewerId` hid. `fetch(from)` reads `limit + 1` rows
   * past `from` (undefined: the caller's own bound) in page order; a page that hides entirely
   * reads on, so a client paging back never gets an empty page while more exists.
   */
  async visiblePage(
    viewerId: string,
    limit: number,
    fetch: (from: number | undefined) => Promise<MessageRecord[]>,
  ): Promise<{ rows: MessageRecord[]; hasMore: boolean }> {
    let from: number | undefined;
    for (let round = 0; ; round++) {
      const rows = await fetch(from);
      const hasMore = rows.length > limit;
      const page = rows.slice(0, limit);
      const visible = await this.visible(viewerId, page);
      if (visible.length > 0 || !hasMore || round >= MAX_HIDDEN_PAGES)
        return { rows: visible, hasMore };
      from = page[page.length - 1].seq;
    }
  }

  /** The reply target of a new message: one of the same conversation, not deleted. */
  async replyTarget(conversationId: string, replyToId: string): Promise<MessageRecord> {
    const [original] = await this.actions.findMessages(conversationId, [replyToId]);
    if (!original || original.deletedAt)
      throw new ApiException(
        HttpStatus.NOT_FOUND,
        ErrorCode.REPLY_TARGET_NOT_FOUND,
        'The message you reply to is not in this conversation',
      );
    return original;
  }

  async present(records: MessageRecord[]): Promise<MessageInfo[]> {
    if (records.length === 0) return [];
    const conversationId = records[0].conversationId;
    const live = records.filter((record) => !record.deletedAt);
    const replyIds = [
      ...new Set(live.map((record) => record.replyToId).filter((id): id is string => !!id)),
    ];
    const [reactions, originals] = await Promise.all([
      this.actions.reactionsOf(live.map((record) => record.id)),
      this.actions.findMessages(conversationId, replyIds),
    ]);
    const originalById = new Map(originals.map((original) => [original.id, original]));
    return records.map((record) => {
      const info = toMessageInfo(record);
      if (record.deletedAt) return info;
      info.reactions = reactions
        .filter((reaction) => reaction.messageId === record.id)
        .map(({ userId, emoji }) => ({ userId, emoji }));
      const original = record.replyToId ? originalById.get(record.replyToId) : undefined;
      if (original) info.replyTo = toReplyToInfo(original);
      return info;
    });
  }

  async presentOne(record: MessageRecord): Promise<MessageInfo> {
    return (await this.present([record]))[0];
  }

  /**
   * Where a history page read from now on stands. Read BEFORE the page: every change logged
   * after it is returned by `changes`, every change logged before it is already in the page.
   */
  async cursor(conversationId: string, latestMessageSeq: () => Promise<number>): Promise<string> {
    const [changeSeq, messageSeq] = await Promise.all([
      this.changeLog.latestSeq(conversationId),
      latestMessageSeq(),
    ]);
    return formatCursor(changeSeq, messageSeq);
  }
}

export function formatCursor(changeSeq: number, messageSeq: number): string {
  return `${changeSeq}.${messageSeq}`;
}

export function parseCursor(cursor: string): { changeSeq: number; messageSeq: number } {
  const [changeSeq, messageSeq] = cursor.split('.').map(Number);
  return { changeSeq, messageSeq };
}
