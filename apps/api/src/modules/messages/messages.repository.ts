import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { Message } from './message.schema';

export interface MessageRecord {
  id: string;
  conversationId: string;
  seq: number;
  senderId: string;
  recipientId: string;
  type: 'text' | 'image';
  text: string | null;
  image: { mediaId: string; width: number; height: number } | null;
  clientId: string;
  createdAt: Date;
}

export interface NewMessage {
  conversationId: string;
  seq: number;
  senderId: string;
  recipientId: string;
  type: 'text' | 'image';
  text: string | null;
  image: { mediaId: string; width: number; height: number } | null;
  clientId: string;
  createdAt: Date;
}

type LeanMessage = Message & { _id: Types.ObjectId };

const oid = (id: string) => new Types.ObjectId(id);

const toRecord = (doc: LeanMessage): MessageRecord => ({
  id: doc._id.toHexString(),
  conversationId: String(doc.conversationId),
  seq: doc.seq,
  senderId: String(doc.senderId),
  recipientId: String(doc.recipientId),
  type: doc.type,
  text: doc.text ?? null,
  image: doc.image
    ? { mediaId: String(doc.image.mediaId), width: doc.image.width, height: doc.image.height }
    : null,
  clientId: doc.clientId,
  createdAt: doc.createdAt,
});

/** The only code that touches the messages collection. Every read is scoped to one conversation or sender. */
@Injectable()
export class MessagesRepository {
  constructor(@InjectModel(Message.name) private readonly messages: Model<Message>) {}

  /** Throws a duplicate-key error (11000) when the seq or the (sender, clientId) pair is taken. */
  async insert(message: NewMessage): Promise<MessageRecord> {
    const doc = await this.messages.create({
      ...message,
      conversationId: oid(message.conversationId),
      senderId: oid(message.senderId),
      recipientId: oid(message.recipientId),
      image: message.image ? { ...message.image, mediaId: oid(message.image.mediaId) } : null,
    });
    return toRecord(doc.toObject() as LeanMessage);
  }

  async findByClientId(senderId: string, clientId: string): Promise<MessageRecord | null> {
    const doc = await this.messages
      .findOne({ senderId: oid(senderId), clientId })
      .lean<LeanMessage>();
    return doc ? toRecord(doc) : null;
  }

  /** The highest seq stored in a conversation (0 when empty), read through the (conversationId, seq) index. */
  async latestSeq(conversationId: string): Promise<number> {
    const latest = await this.latest(conversationId);
    return latest?.seq ?? 0;
  }

  async latest(conversationId: string): Promise<MessageRecord | null> {
    const doc = await this.messages
      .findOne({ conversationId: oid(conversationId) })
      .sort({ seq: -1 })
      .lean<LeanMessage>();
    return doc ? toRecord(doc) : null;
  }

  /** Newest first, seq < before (when given): for paging back through history. */
  async pageBackward(
    conversationId: string,
    before: number | undefined,
    limit: number,
  ): Promise<MessageRecord[]> {
    const filter: Record<string, unknown> = { conversationId: oid(conversationId) };
    if (before !== undefined) filter.seq = { $lt: before };
    const docs = await this.messages
      .find(filter)
      .sort({ seq: -1 })
      .limit(limit)
      .lean<LeanMessage[]>();
    return docs.map(toRecord);
  }

  /** Oldest first, seq > after (and < before when given): for catching up after a reconnect. */
  async pageForward(
    conversationId: string,
    after: number,
    before: number | undefined,
    limit: number,
  ): Promise<MessageRecord[]> {
    const seq: Record<string, number> = { $gt: after };
    if (before !== undefined) seq.$lt = before;
    const docs = await this.messages
      .find({ conversationId: oid(conversationId), seq })
      .sort({ seq: 1 })
      .limit(limit)
      .lean<LeanMessage[]>();
    return docs.map(toRecord);
  }

  /**
   * Messages addressed to `recipientId` above that user's lastReadSeq, counted per conversation
   * in one aggregation (exact, whatever happened to the denormalised summary).
   */
  async countUnread(
    recipientId: string,
    readSeqByConversation: Map<string, number>,
  ): Promise<Map<string, number>> {
    const result = new Map<string, number>();
    if (readSeqByConversation.size === 0) return result;
    const recipient = oid(recipientId);
    const rows = await this.messages.aggregate<{ _id: Types.ObjectId; count: number }>([
      {
        $match: {
          $or: [...readSeqByConversation].map(([conversationId, lastReadSeq]) => ({
            conversationId: oid(conversationId),
            recipientId: recipient,
            seq: { $gt: lastReadSeq },
          })),
        },
      },
      { $group: { _id: '$conversationId', count: { $sum: 1 } } },
    ]);
    for (const row of rows) result.set(String(row._id), row.count);
    return result;
  }

  async deleteById(id: string): Promise<void> {
    await this.messages.deleteOne({ _id: oid(id) });
  }

  async deleteByConversation(conversationId: string): Promise<void> {
    await this.messages.deleteMany({ conversationId: oid(conversationId) });
  }

  /** Messages in conversations that no longer exist, sent or received by this user. */
  async deleteByParticipant(userId: string): Promise<void> {
    const id = oid(userId);
    await this.messages.deleteMany({ $or: [{ senderId: id }, { recipientId: id }] });
  }

  async countInConversation(conversationId: string): Promise<number> {
    return this.messages.countDocuments({ conversationId: oid(conversationId) });
  }
}
