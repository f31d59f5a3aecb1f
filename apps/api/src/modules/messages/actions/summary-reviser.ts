import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { Conversation } from '../conversation.schema';
import type { MessageRecord } from '../messages.repository';
import { SummaryWriter } from '../summary-writer';
import { toLastMessageRecord } from './preview';

const MAX_ATTEMPTS = 5;

/**
 * Keeps the conversation summary's last message true when that message is edited or deleted
 * for everyone. Only a summary still pointing at this message (same seq) is rewritten, so a
 * newer message is never replaced; the revision number goes up with it, so that a late
 * rewrite of the same message's original summary (`$max`, see Conversation.summary) cannot
 * undo it. The write is read back and repeated when a concurrent summary update of the same
 * document (possible on FerretDB) overwrote it. Touches only the summary of the conversations
 * collection, beside ConversationsRepository. Conversations summarised before `summary`
 * existed keep their old fields, revised the same way.
 */
@Injectable()
export class SummaryReviser {
  constructor(
    @InjectModel(Conversation.name) private readonly conversations: Model<Conversation>,
    private readonly writer: SummaryWriter,
  ) {}

  async revise(message: MessageRecord): Promise<void> {
    // The message's own summary may still be on its way (SummaryWriter): let it land first, so
    // the revision finds it. One from another process lands within a round of its send.
    await this.writer.flush();
    const last = toLastMessageRecord(message);
    const stored = { ...last, senderId: new Types.ObjectId(last.senderId) };
    const _id = new Types.ObjectId(message.conversationId);
    const forms = [
      {
        filter: { _id, 'summary.seq': message.seq },
        update: { $set: { 'summary.message': stored }, $inc: { 'summary.rev': 1 } },
        current: (doc: Conversation | null) => doc?.summary?.message,
      },
      {
        filter: { _id, summary: { $exists: false }, lastSeq: message.seq },
        update: { $set: { lastMessage: stored } },
        current: (doc: Conversation | null) => doc?.lastMessage ?? undefined,
      },
    ];
    for (const form of forms) {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const result = await this.conversations.updateOne(form.filter, form.update);
        if (result.matchedCount === 0) break; // no longer the newest message (or gone)
        const now = await this.conversations.collection.findOne<Conversation>(form.filter, {
          projection: { summary: 1, lastMessage: 1 },
        });
        const current = form.current(now);
        if (!current) return;
        if (
          (current.text ?? null) === last.text &&
          Boolean(current.deleted) === Boolean(last.deleted)
        )
          return;
      }
    }
  }
}
