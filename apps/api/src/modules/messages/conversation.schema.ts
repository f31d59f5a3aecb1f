import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/** Denormalised preview of the newest message (what the contacts list shows). */
export class LastMessageDoc {
  seq!: number;
  senderId!: Types.ObjectId;
  type!: 'text' | 'image';
  text?: string | null;
  createdAt!: Date;
  /** Set when that message was deleted for everyone (see actions/summary-reviser.ts). */
  deleted?: boolean;
}

/** Field order matters: `$max` compares seq first, then rev (see Conversation.summary). */
export class SummaryDoc {
  seq!: number;
  /** 0 when written by the sender's commit; raised by each edit or deletion of that message. */
  rev!: number;
  message!: LastMessageDoc;
  /**
   * Per participant id: how many messages they had received once message `seq` was stored
   * (absent when unknown: the API then numbers from the messages).
   */
  received?: Record<string, number>;
}

/** One per pair of users. `pairKey` ("<lowerId>:<higherId>") is the unique key that makes it one. */
@Schema({ collection: 'conversations', versionKey: false })
export class Conversation {
  @Prop({ type: String, required: true }) pairKey!: string;
  @Prop({ type: [Types.ObjectId], required: true }) participantIds!: Types.ObjectId[];
  /**
   * The summary: the newest message (its preview) and each participant's received count as of
   * it. Written with `$max` under a filter of exactly `{_id}` (ConversationsRepository
   * .advanceSummaries): MongoDB and FerretDB compare embedded documents field by field, so
   * `{seq, rev, …}` only ever moves to a newer message (higher seq) or a newer revision of the
   * same one (higher rev: an edit or a deletion, actions/summary-reviser.ts), atomically per
   * write, and FerretDB can hand that filter to its backend instead of decoding every
   * conversation (docs/benchmarks.md, "What FerretDB charges per operation"). The messages
   * collection stays the source of truth (FerretDB may lose one of two concurrent updates;
   * the writers read back and repeat).
   */
  @Prop({ type: Object }) summary?: SummaryDoc;
  /**
   * Conversations summarised before `summary` existed carry these instead (read, never
   * written any more; a conversation's first new message writes `summary`).
   */
  @Prop({ type: Number, default: 0 }) lastSeq!: number;
  @Prop({ type: Object, default: null }) lastMessage!: LastMessageDoc | null;
  @Prop({ type: Date, default: null }) lastActivityAt!: Date | null;
  @Prop({ type: Object, default: null }) received!: Record<string, number> | null;
  @Prop({ type: Date, required: true, default: () => new Date() }) createdAt!: Date;
}

export const ConversationSchema = SchemaFactory.createForClass(Conversation);
ConversationSchema.index({ pairKey: 1 }, { unique: true });
ConversationSchema.index({ participantIds: 1 });

/**
 * How far one participant has read one conversation. A document per participant (not a field
 * on the conversation) so two readers never race on the same document.
 */
@Schema({ collection: 'readstates', versionKey: false })
export class ReadState {
  @Prop({ type: Types.ObjectId, required: true }) conversationId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) userId!: Types.ObjectId;
  @Prop({ type: Number, required: true, default: 0 }) lastReadSeq!: number;
  /**
   * How many messages this participant had received up to lastReadSeq; unread = the
   * conversation's received count minus this. Absent on read states older than the counts.
   */
  @Prop({ type: Number }) receivedAtRead?: number;
}

export const ReadStateSchema = SchemaFactory.createForClass(ReadState);
ReadStateSchema.index({ conversationId: 1, userId: 1 }, { unique: true });
ReadStateSchema.index({ userId: 1 });
