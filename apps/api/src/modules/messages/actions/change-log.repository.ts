import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { KeyedQueue } from '../../../common/keyed-queue';
import { isDuplicateKey, oid } from '../../database/persistence';
import { MessageChange } from './message-actions.schema';

export interface ChangeEntry {
  changeSeq: number;
  messageId: string;
  kind: 'updated' | 'hidden';
  /** Who hid the message (hidden entries only). */
  userId: string | null;
}

type LeanChange = MessageChange & { _id: Types.ObjectId };

/** Collisions only happen between processes; this many means something is badly wrong. */
const MAX_ATTEMPTS = 60;

/**
 * The only code that touches the messagechanges collection: a gap-free log per conversation.
 * Appends within one process queue per conversation, so only other processes collide.
 */
@Injectable()
export class ChangeLogRepository {
  private readonly queue = new KeyedQueue();

  constructor(@InjectModel(MessageChange.name) private readonly changes: Model<MessageChange>) {}

  /** Appends an entry with the next changeSeq; resolves once it is stored. */
  append(
    conversationId: string,
    entry: { messageId: string; kind: 'updated' | 'hidden'; userId?: string },
  ): Promise<number> {
    return this.queue.run(conversationId, async () => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const changeSeq = (await this.latestSeq(conversationId)) + 1;
        try {
          await this.changes.create({
            conversationId: oid(conversationId),
            changeSeq,
            messageId: oid(entry.messageId),
            kind: entry.kind,
            userId: entry.userId ? oid(entry.userId) : null,
            at: new Date(),
          });
          return changeSeq;
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          await new Promise((resolve) =>
            setTimeout(resolve, Math.random() * Math.min(5 + attempt * 5, 50)),
          );
        }
      }
      throw new Error('could not allocate a change sequence number');
    });
  }

  async latestSeq(conversationId: string): Promise<number> {
    const doc = await this.changes
      .findOne({ conversationId: oid(conversationId) })
      .sort({ changeSeq: -1 })
      .lean<LeanChange>();
    return doc?.changeSeq ?? 0;
  }

  /** Entries with changeSeq > after, oldest first, at most `limit`. */
  async since(conversationId: string, after: number, limit: number): Promise<ChangeEntry[]> {
    const docs = await this.changes
      .find({ conversationId: oid(conversationId), changeSeq: { $gt: after } })
      .sort({ changeSeq: 1 })
      .limit(limit)
      .lean<LeanChange[]>();
    return docs.map((doc) => ({
      changeSeq: doc.changeSeq,
      messageId: String(doc.messageId),
      kind: doc.kind,
      userId: doc.userId ? String(doc.userId) : null,
    }));
  }

  async deleteByConversation(conversationId: string): Promise<void> {
    await this.changes.deleteMany({ conversationId: oid(conversationId) });
  }
}
