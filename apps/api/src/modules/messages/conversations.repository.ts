// Over 300 lines: the conversations and readstates collections together (summaries with their
// old-layout fallback, read positions), each write with the read-back FerretDB needs.
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { isDuplicateKey, oid, pairKeyOf } from '../database/persistence';
import { Conversation, LastMessageDoc, ReadState, SummaryDoc } from './conversation.schema';
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

/** The summary as written now, or as conversations summarised before it carry it. */
function summaryOf(
  doc: Pick<LeanConversation, 'summary' | 'lastSeq' | 'lastMessage' | 'received'>,
): { seq: number; lastMessage: LastMessageDoc | null; received: Record<string, number> | null } {
  if (doc.summary)
    return {
      seq: doc.summary.seq,
      lastMessage: doc.summary.message,
      received: doc.summary.received ?? null,
    };
  return {
    seq: doc.lastSeq ?? 0,
    lastMessage: doc.lastMessage ?? null,
    received: doc.received ?? null,
  };
}

const toRecord = (doc: LeanConversation): ConversationRecord => {
  const summary = summaryOf(doc);
  const lastMessage = toLastMessage(summary.lastMessage);
  return {
    id: doc._id.toHexString(),
    pairKey: doc.pairKey,
    participantIds: doc.participantIds.map((id) => String(id)),
    lastSeq: summary.seq,
    lastMessage,
    lastActivityAt: lastMessage?.createdAt ?? doc.lastActivityAt ?? null,
    received: summary.received,
    createdAt: doc.createdAt,
  };
};

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
   * one: `$max` on `{seq, rev, …}`, see Conversation.summary), several conversations in one
   * command. Returns the seq stored afterwards per conversation: FerretDB may lose one of two
   * concurrent updates of a document, so the caller repeats a write that did not stick. A
   * deleted conversation is absent from the result.
   *
   * Every filter is exactly `{_id}`, which FerretDB hands to its backend; anything more (a
   * condition on lastSeq, an `$in` for the read-back) makes it decode every conversation in its
   * own process, a cost that grows with the number of users (docs/benchmarks.md, "What
   * FerretDB charges per operation"). Hence one `{_id}` lookup per conversation for the
   * read-back, sent together.
   */
  async advanceSummaries(updates: Map<string, SummaryUpdate>): Promise<Map<string, number>> {
    if (updates.size === 0) return new Map();
    await this.conversations.collection.bulkWrite(
      [...updates].map(([conversationId, { last, received }]) => {
        const summary: SummaryDoc = {
          seq: last.seq,
          rev: 0,
          message: { ...last, senderId: oid(last.senderId) },
          received,
        };
        return {
          updateOne: { filter: { _id: oid(conversationId) }, update: { $max: { summary } } },
        };
      }),
      { ordered: false },
    );
    const stored = await Promise.all(
      [...updates.keys()].map(async (conversationId) => {
        const doc = await this.conversations.collection.findOne(
          { _id: oid(conversationId) },
          { projection: { summary: 1, lastSeq: 1 } },
        );
        return doc ? ([conversationId, summaryOf(doc as LeanConversation).seq] as const) : null;
      }),
    );
    return new Map(stored.filter((entry) => entry !== null));
  }

  /**
   * Rewrites the summary's last message while the summary still shows message `last.seq`, so a
   * newer message is never replaced. `summary` is the layout written now: the revision number
   * goes up with the message, so that a late rewrite of the same message's original summary
   * (`$max`, see Conversation.summary) cannot undo it. `legacy` is a conversation summarised
   * before `summary` existed, revised in its old fields. Returns `unmatched` when the summary
   * (in that layout) no longer shows that message or the conversation is gone; otherwise the
   * last message read back afterwards, or null when it moved on meanwhile.
   */
  async reviseLastMessage(
    conversationId: string,
    last: LastMessageRecord,
    layout: 'summary' | 'legacy',
  ): Promise<LastMessageRecord | null | 'unmatched'> {
    const stored = { ...last, senderId: oid(last.senderId) };
    const _id = oid(conversationId);
    const form =
      layout === 'summary'
        ? {
            filter: { _id, 'summary.seq': last.seq },
            update: { $set: { 'summary.message': stored }, $inc: { 'summary.rev': 1 } },
            current: (doc: Conversation | null) => doc?.summary?.message,
          }
        : {
            filter: { _id, summary: { $exists: false }, lastSeq: last.seq },
            update: { $set: { lastMessage: stored } },
            current: (doc: Conversation | null) => doc?.lastMessage ?? undefined,
          };
    const result = await this.conversations.updateOne(form.filter, form.update);
    if (result.matchedCount === 0) return 'unmatched';
    const now = await this.conversations.collection.findOne<Conversation>(form.filter, {
      projection: { summary: 1, lastMessage: 1 },
    });
    return toLastMessage(form.current(now));
  }

  /**
   * The numbering as the summary has it (seq and received counts, written together), or null
   * when the conversation is gone or its summary predates the counts.
   */
  async summaryTail(conversationId: string): Promise<ConversationTail | null> {
    const doc = await this.conversations
      .findOne({ _id: oid(conversationId) }, { summary: 1, lastSeq: 1, received: 1 })
      .lean<LeanConversation>();
    if (!doc) return null;
    const { seq, received } = summaryOf(doc);
    if (seq === 0) return { seq: 0, received: {} };
    return received ? { seq, received } : null;
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
