import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { isDuplicateKey, oid, pairKeyOf } from '../database/persistence';
import { Conversation, LastMessageDoc, ReadState } from './conversation.schema';
import type { ConversationTail } from './message-committer';

export interface LastMessageRecord {
  seq: number;
  senderId: string;
  type: 'text' | 'image';
  text: string | null;
  createdAt: Date;
  deleted?: boolean;
}

export interface ConversationRecord {
  id: string;
  pairKey: string;
  participantIds: string[];
  lastSeq: number;
  lastMessage: LastMessageRecord | null;
  lastActivityAt: Date | null;
  /** Per participant: messages received as of lastSeq (null on conversations older than the counts). */
  received: Record<string, number> | null;
  createdAt: Date;
}

export interface ReadPosition {
  lastReadSeq: number;
  /** Null on read states older than the counts. */
  receivedAtRead: number | null;
}

export interface SummaryUpdate {
  last: LastMessageRecord;
  received: Record<string, number>;
}

type LeanConversation = Conversation & { _id: Types.ObjectId };
type LeanReadState = ReadState & { _id: Types.ObjectId };

const toLastMessage = (doc: LastMessageDoc | null | undefined): LastMessageRecord | null =>
  doc
    ? {
        seq: doc.seq,
        senderId: String(doc.senderId),
        type: doc.type,
        text: doc.text ?? null,
        createdAt: new Date(doc.createdAt),
        ...(doc.deleted ? { deleted: true } : {}),
      }
    : null;

const toRecord = (doc: LeanConversation): ConversationRecord => ({
  id: doc._id.toHexString(),
  pairKey: doc.pairKey,
  participantIds: doc.participantIds.map((id) => String(id)),
  lastSeq: doc.lastSeq ?? 0,
  lastMessage: toLastMessage(doc.lastMessage),
  lastActivityAt: doc.lastActivityAt ?? null,
  received: doc.received ?? null,
  createdAt: doc.createdAt,
});

/** The only code that touches the conversations and readstates collections. */
@Injectable()
export class ConversationsRepository {
  constructor(
    @InjectModel(Conversation.name) private readonly conversations: Model<Conversation>,
    @InjectModel(ReadState.name) private readonly readStates: Model<ReadState>,
  ) {}

  async findBetween(userA: string, userB: string): Promise<ConversationRecord | null> {
    const doc = await this.conversations
      .findOne({ pairKey: pairKeyOf(userA, userB) })
      .lean<LeanConversation>();
    return doc ? toRecord(doc) : null;
  }

  async findById(conversationId: string): Promise<ConversationRecord | null> {
    const doc = await this.conversations
      .findOne({ _id: oid(conversationId) })
      .lean<LeanConversation>();
    return doc ? toRecord(doc) : null;
  }

  /** Conversations of `userId` with any of `contactIds`. */
  async findForPairs(userId: string, contactIds: string[]): Promise<ConversationRecord[]> {
    if (contactIds.length === 0) return [];
    const keys = contactIds.map((contactId) => pairKeyOf(userId, contactId));
    const docs = await this.conversations
      .find({ pairKey: { $in: keys } })
      .lean<LeanConversation[]>();
    return docs.map(toRecord);
  }

  async findByParticipant(userId: string): Promise<ConversationRecord[]> {
    const docs = await this.conversations
      .find({ participantIds: oid(userId) })
      .lean<LeanConversation[]>();
    return docs.map(toRecord);
  }

  /**
   * Inserts the pair's conversation unless it exists. The unique pairKey makes concurrent calls
   * converge on one document: the loser of an insert race reads the winner's.
   */
  async ensure(userA: string, userB: string): Promise<ConversationRecord> {
    const pairKey = pairKeyOf(userA, userB);
    const existing = await this.conversations.findOne({ pairKey }).lean<LeanConversation>();
    if (existing) return toRecord(existing);
    try {
      const doc = await this.conversations.create({
        pairKey,
        participantIds: [oid(userA), oid(userB)],
        lastSeq: 0,
        lastMessage: null,
        lastActivityAt: null,
      });
      return toRecord(doc.toObject() as LeanConversation);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const winner = await this.conversations.findOne({ pairKey }).lean<LeanConversation>();
      if (!winner) throw error;
      return toRecord(winner);
    }
  }

  /**
   * Moves summaries forward only (an older message finishing late never overwrites a newer
   * one), several conversations in one command. Returns the lastSeq stored afterwards per
   * conversation: FerretDB may lose one of two concurrent updates of a document, so the caller
   * repeats a write that did not stick. A deleted conversation is absent from the result (its
   * updates matched nothing).
   *
   * The read-back is one `{_id}` lookup per conversation, sent together, rather than one
   * `{_id: {$in}}` query: FerretDB evaluates `$in` on every document of the collection in its
   * own process (about 10 ms at 50 conversations, 100 ms at 500, on SQLite and PostgreSQL
   * alike), while a filter that is exactly `{_id}` goes to the backend (an index lookup on
   * PostgreSQL, about 1 ms on SQLite at 50). docs/benchmarks.md, "What FerretDB charges".
   */
  async advanceSummaries(updates: Map<string, SummaryUpdate>): Promise<Map<string, number>> {
    if (updates.size === 0) return new Map();
    await this.conversations.collection.bulkWrite(
      [...updates].map(([conversationId, { last, received }]) => ({
        updateOne: {
          filter: { _id: oid(conversationId), lastSeq: { $lt: last.seq } },
          update: {
            $set: {
              lastSeq: last.seq,
              lastMessage: { ...last, senderId: oid(last.senderId) },
              lastActivityAt: last.createdAt,
              received,
            },
          },
        },
      })),
      { ordered: false },
    );
    const stored = await Promise.all(
      [...updates.keys()].map(async (conversationId) => {
        const doc = await this.conversations.collection.findOne(
          { _id: oid(conversationId) },
          { projection: { lastSeq: 1 } },
        );
        return doc ? ([conversationId, Number(doc.lastSeq ?? 0)] as const) : null;
      }),
    );
    return new Map(stored.filter((entry) => entry !== null));
  }

  /**
   * Rewrites the summary's last message while the summary still shows message `last.seq`, so a
   * newer message is never replaced. Returns the last message read back afterwards, or null when
   * the summary no longer shows that message (or the conversation is gone).
   */
  async reviseLastMessage(
    conversationId: string,
    last: LastMessageRecord,
  ): Promise<LastMessageRecord | null> {
    const filter = { _id: oid(conversationId), lastSeq: last.seq };
    const result = await this.conversations.updateOne(filter, {
      $set: { lastMessage: { ...last, senderId: oid(last.senderId) } },
    });
    if (result.matchedCount === 0) return null;
    const now = await this.conversations.collection.findOne(filter, {
      projection: { lastMessage: 1 },
    });
    return toLastMessage(now?.lastMessage as LastMessageDoc | null | undefined);
  }

  /**
   * The numbering as the summary has it (lastSeq and received counts, written together), or
   * null when the conversation is gone or its summary predates the counts.
   */
  async summaryTail(conversationId: string): Promise<ConversationTail | null> {
    const doc = await this.conversations
      .findOne({ _id: oid(conversationId) }, { lastSeq: 1, received: 1 })
      .lean<LeanConversation>();
    if (!doc) return null;
    if ((doc.lastSeq ?? 0) === 0) return { seq: 0, received: {} };
    return doc.received ? { seq: doc.lastSeq, received: doc.received } : null;
  }

  async deleteById(conversationId: string): Promise<void> {
    await this.conversations.deleteOne({ _id: oid(conversationId) });
    await this.readStates.deleteMany({ conversationId: oid(conversationId) });
  }

  async deleteReadStatesOfUser(userId: string): Promise<void> {
    await this.readStates.deleteMany({ userId: oid(userId) });
  }

  async readPosition(conversationId: string, userId: string): Promise<ReadPosition> {
    const doc = await this.readStates
      .findOne({ conversationId: oid(conversationId), userId: oid(userId) })
      .lean<LeanReadState>();
    return {
      lastReadSeq: doc?.lastReadSeq ?? 0,
      receivedAtRead: doc ? (doc.receivedAtRead ?? null) : 0,
    };
  }

  async lastReadSeq(conversationId: string, userId: string): Promise<number> {
    return (await this.readPosition(conversationId, userId)).lastReadSeq;
  }

  /** Read positions per conversation for one user (absent where nothing was read yet). */
  async readPositions(
    userId: string,
    conversationIds: string[],
  ): Promise<Map<string, ReadPosition>> {
    const result = new Map<string, ReadPosition>();
    if (conversationIds.length === 0) return result;
    const docs = await this.readStates
      .find({ userId: oid(userId), conversationId: { $in: conversationIds.map(oid) } })
      .lean<LeanReadState[]>();
    for (const doc of docs)
      result.set(String(doc.conversationId), {
        lastReadSeq: doc.lastReadSeq,
        receivedAtRead: doc.receivedAtRead ?? null,
      });
    return result;
  }

  /**
   * Raises the read position to `target` and never lowers it; returns the position now stored.
   * lastReadSeq and receivedAtRead move together in one conditional update, so they always
   * agree. Re-reading and retrying covers a write lost to a concurrent update of the same
   * document (possible on FerretDB).
   */
  async raiseReadPosition(
    conversationId: string,
    userId: string,
    target: { seq: number; received: number },
  ): Promise<ReadPosition> {
    const filter = { conversationId: oid(conversationId), userId: oid(userId) };
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await this.readStates.updateOne(
          { ...filter, lastReadSeq: { $lt: target.seq } },
          { $set: { lastReadSeq: target.seq, receivedAtRead: target.received } },
          { upsert: true },
        );
      } catch (error) {
        // The upsert found no lower value and tried to insert: one exists already.
        if (!isDuplicateKey(error)) throw error;
      }
      const current = await this.readPosition(conversationId, userId);
      if (current.lastReadSeq >= target.seq) return current;
    }
    return this.readPosition(conversationId, userId);
  }
}
