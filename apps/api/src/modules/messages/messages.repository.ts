import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { isDuplicateKey, oid } from '../database/persistence';
import type { ConversationTail, InsertOutcome, StoredDraft } from './message-committer';
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
  /**
   * How many messages of this conversation the recipient (and the sender) had received once
   * this one was stored. Null on messages stored before these counts existed.
   */
  recipientReceivedCount: number | null;
  senderReceivedCount: number | null;
  // Message actions; optional so code that builds records by hand (the committer, fakes) need not know them.
  editedAt?: Date | null;
  deletedAt?: Date | null;
  replyToId?: string | null;
}

export type NewMessage = Omit<
  MessageRecord,
  'id' | 'recipientReceivedCount' | 'senderReceivedCount'
> & {
  recipientReceivedCount: number;
  senderReceivedCount: number;
};

export type LeanMessage = Message & { _id: Types.ObjectId };

/**
 * The id a message is stored under: the first 12 bytes of SHA-256 over its sender and
 * clientId, so every send of one (senderId, clientId) gets the same id and a resend is found
 * by `_id`, through the index every engine uses (on FerretDB-SQLite the only one it uses).
 * The id carries no time (messages are ordered by seq), and a sender cannot aim at another
 * user's ids: the sender is part of the hash.
 */
export function messageIdFor(senderId: string, clientId: string): string {
  return createHash('sha256').update(`${senderId}\n${clientId}`).digest('hex').slice(0, 24);
}

export const toMessageRecord = (doc: LeanMessage): MessageRecord => ({
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
  recipientReceivedCount: doc.recipientReceivedCount ?? null,
  senderReceivedCount: doc.senderReceivedCount ?? null,
  editedAt: doc.editedAt ?? null,
  deletedAt: doc.deletedAt ?? null,
  replyToId: doc.replyToId ? String(doc.replyToId) : null,
});
const toRecord = toMessageRecord;

interface BulkWriteErrorShape {
  code?: number;
  writeErrors?: { index: number; code: number } | { index: number; code: number }[];
  result?: { insertedCount?: number };
}

/** The first refused document of an ordered insertMany, from the driver's MongoBulkWriteError. */
function firstWriteError(error: unknown): { index: number; code: number } | null {
  const { writeErrors } = (error ?? {}) as BulkWriteErrorShape;
  if (!writeErrors) return null;
  const list = Array.isArray(writeErrors) ? writeErrors : [writeErrors];
  if (list.length === 0) return null;
  return list.reduce((first, e) => (e.index < first.index ? e : first));
}

/**
 * The send and history path of the messages collection; MessageActionsRepository is the only
 * other code that touches it (edits and deletions). Every read is scoped to one conversation or
 * sender.
 */
@Injectable()
export class MessagesRepository {
  constructor(@InjectModel(Message.name) private readonly messages: Model<Message>) {}

  /**
   * Ordered insert of fully formed documents through the driver (no Mongoose document is
   * built: this is the hot path). With ordered: true everything before the first refused
   * document is stored and nothing after it; both FerretDB and MongoDB report the refused
   * index in `writeErrors[].index`, with the duplicate-key code when a unique index refused it.
   */
  async insertMany(messages: StoredDraft[]): Promise<InsertOutcome> {
    if (messages.length === 0) return { stored: 0 };
    const documents = messages.map((message) => ({
      _id: oid(message.id),
      conversationId: oid(message.conversationId),
      seq: message.seq,
      senderId: oid(message.senderId),
      recipientId: oid(message.recipientId),
      type: message.type,
      text: message.text,
      image: message.image ? { ...message.image, mediaId: oid(message.image.mediaId) } : null,
      clientId: message.clientId,
      createdAt: message.createdAt,
      editedAt: null,
      deletedAt: null,
      replyToId: message.replyToId ? oid(message.replyToId) : null,
      recipientReceivedCount: message.recipientReceivedCount,
      senderReceivedCount: message.senderReceivedCount,
    }));
    try {
      await this.messages.collection.insertMany(documents, { ordered: true });
      return { stored: documents.length };
    } catch (error) {
      const first = firstWriteError(error);
      if (!first) throw error;
      return {
        stored: first.index,
        failure: { index: first.index, duplicateKey: isDuplicateKey(first), error },
      };
    }
  }

  /** See CommitStore.findResent. */
  async findResent(
    draft: { id: string; senderId: string; clientId: string },
    everywhere: boolean,
  ): Promise<MessageRecord | null> {
    const byId = await this.messages.findOne({ _id: oid(draft.id) }).lean<LeanMessage>();
    // Another (senderId, clientId) under the same id would be a hash collision: not this send's.
    if (byId && byId.senderId.toHexString() === draft.senderId && byId.clientId === draft.clientId)
      return toRecord(byId);
    if (!everywhere) return null;
    const doc = await this.messages
      .findOne({ senderId: oid(draft.senderId), clientId: draft.clientId })
      .lean<LeanMessage>();
    return doc ? toRecord(doc) : null;
  }

  /** The highest seq stored in a conversation (0 when empty), read through the (conversationId, seq) index. */
  async latestSeq(conversationId: string): Promise<number> {
    const latest = await this.latest(conversationId);
    return latest?.seq ?? 0;
  }

  /**
   * Where a conversation's numbering stands, from its newest message. Read on a miss of the
   * committer's in-process tail only (a scan on FerretDB-SQLite, hence never per send).
   */
  async latestTail(
    conversationId: string,
    participantIds: [string, string],
  ): Promise<ConversationTail> {
    const latest = await this.latest(conversationId);
    if (!latest) return { seq: 0, received: { [participantIds[0]]: 0, [participantIds[1]]: 0 } };
    if (latest.recipientReceivedCount !== null && latest.senderReceivedCount !== null) {
      return {
        seq: latest.seq,
        received: {
          [latest.recipientId]: latest.recipientReceivedCount,
          [latest.senderId]: latest.senderReceivedCount,
        },
      };
    }
    // Stored before the counts existed: counted once, then carried by every new message.
    const counts = await Promise.all(
      participantIds.map((id) => this.countReceived(conversationId, id, latest.seq)),
    );
    return {
      seq: latest.seq,
      received: { [participantIds[0]]: counts[0], [participantIds[1]]: counts[1] },
    };
  }

  /** How many messages `userId` had received in the conversation up to and including `seq`. */
  async findBySeq(conversationId: string, seq: number): Promise<MessageRecord | null> {
    const doc = await this.messages
      .findOne({ conversationId: oid(conversationId), seq })
      .lean<LeanMessage>();
    return doc ? toRecord(doc) : null;
  }

  async receivedUpTo(conversationId: string, userId: string, seq: number): Promise<number> {
    const message = await this.findBySeq(conversationId, seq);
    if (!message) return this.countReceived(conversationId, userId, seq);
    const count =
      message.recipientId === userId ? message.recipientReceivedCount : message.senderReceivedCount;
    return count ?? this.countReceived(conversationId, userId, seq);
  }

  /** Unread messages counted over messages: only for data stored before the counts existed. */
  async countUnreadLegacy(conversationId: string, userId: string, lastReadSeq: number) {
    return this.messages.countDocuments({
      conversationId: oid(conversationId),
      recipientId: oid(userId),
      seq: { $gt: lastReadSeq },
      // A message deleted for everyone before it was read stops counting.
      deletedAt: null,
    });
  }

  /** Counted over messages: only for data stored before the counts existed. */
  private countReceived(conversationId: string, userId: string, uptoSeq: number): Promise<number> {
    return this.messages.countDocuments({
      conversationId: oid(conversationId),
      recipientId: oid(userId),
      seq: { $lte: uptoSeq },
    });
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

  async deleteByConversation(conversationId: string): Promise<void> {
    await this.messages.deleteMany({ conversationId: oid(conversationId) });
  }

  /** Messages in conversations that no longer exist, sent or received by this user. */
  async deleteByParticipant(userId: string): Promise<void> {
    const id = oid(userId);
    await this.messages.deleteMany({ $or: [{ senderId: id }, { recipientId: id }] });
  }

  async countSentBy(senderId: string): Promise<number> {
    return this.messages.countDocuments({ senderId: oid(senderId) });
  }
}
