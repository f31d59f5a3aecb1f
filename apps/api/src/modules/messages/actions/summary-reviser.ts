import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { Conversation } from '../conversation.schema';
import type { MessageRecord } from '../messages.repository';
import { toLastMessageRecord } from './preview';

const MAX_ATTEMPTS = 5;

/**
 * Keeps the conversation summary's last message true when that message is edited or deleted
 * for everyone. Only a summary still pointing at this message (lastSeq equal) is rewritten, so
 * a newer message is never replaced; the write is read back and repeated when a concurrent
 * summary update of the same document (possible on FerretDB) overwrote it. Touches only the
 * `lastMessage` of the conversations collection, beside ConversationsRepository.
 */
@Injectable()
export class SummaryReviser {
  constructor(
    @InjectModel(Conversation.name) private readonly conversations: Model<Conversation>,
  ) {}

  async revise(message: MessageRecord): Promise<void> {
    const last = toLastMessageRecord(message);
    const stored = { ...last, senderId: new Types.ObjectId(last.senderId) };
    const filter = { _id: new Types.ObjectId(message.conversationId), lastSeq: message.seq };
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const result = await this.conversations.updateOne(filter, { $set: { lastMessage: stored } });
      if (result.matchedCount === 0) return; // no longer the newest message (or gone)
      const now = await this.conversations.collection.findOne(filter, {
        projection: { lastMessage: 1 },
      });
      const current = now?.lastMessage as { text?: string | null; deleted?: boolean } | undefined;
      if (!current) return;
      if (
        (current.text ?? null) === last.text &&
        Boolean(current.deleted) === Boolean(last.deleted)
      )
        return;
    }
  }
}
