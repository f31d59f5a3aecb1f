import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/**
 * Message actions keep every fact that two writers could race on in a document of its own,
 * inserted under a unique index, never in a field of the message updated in place: FerretDB
 * can lose one of two concurrent updates to one document, but never a unique insert.
 */

/**
 * One entry of a conversation's change log. `changeSeq` is gap-free per conversation, like a
 * message seq (max + 1 under the unique index, the loser retries), so "everything after N" is
 * exact: entry N+1 can only exist once N does. Each entry is written after the state it
 * announces, so whoever reads an entry then reads that state (or a newer one).
 */
@Schema({ collection: 'messagechanges', versionKey: false })
export class MessageChange {
  @Prop({ type: Types.ObjectId, required: true }) conversationId!: Types.ObjectId;
  @Prop({ type: Number, required: true }) changeSeq!: number;
  @Prop({ type: Types.ObjectId, required: true }) messageId!: Types.ObjectId;
  /** updated: edit, deletion or reaction (both see it); hidden: `userId` hid it (only they see it). */
  @Prop({ type: String, required: true, enum: ['updated', 'hidden'] }) kind!: 'updated' | 'hidden';
  @Prop({ type: Types.ObjectId, default: null }) userId!: Types.ObjectId | null;
  @Prop({ type: Date, required: true }) at!: Date;
}
export const MessageChangeSchema = SchemaFactory.createForClass(MessageChange);
MessageChangeSchema.index({ conversationId: 1, changeSeq: -1 }, { unique: true });

/** "Delete for me": one document per (user, message). */
@Schema({ collection: 'messagehides', versionKey: false })
export class MessageHide {
  @Prop({ type: Types.ObjectId, required: true }) conversationId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) messageId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) userId!: Types.ObjectId;
  /** The hidden message's seq, so a preview can tell whether its message is hidden without a join. */
  @Prop({ type: Number, required: true }) seq!: number;
  @Prop({ type: Date, required: true }) at!: Date;
}
export const MessageHideSchema = SchemaFactory.createForClass(MessageHide);
MessageHideSchema.index({ userId: 1, messageId: 1 }, { unique: true });
MessageHideSchema.index({ conversationId: 1, userId: 1 });

/** One reaction per (message, user): two people reacting at once write two documents. */
@Schema({ collection: 'messagereactions', versionKey: false })
export class MessageReaction {
  @Prop({ type: Types.ObjectId, required: true }) conversationId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) messageId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) userId!: Types.ObjectId;
  @Prop({ type: String, required: true }) emoji!: string;
  @Prop({ type: Date, required: true }) at!: Date;
}
export const MessageReactionSchema = SchemaFactory.createForClass(MessageReaction);
MessageReactionSchema.index({ messageId: 1, userId: 1 }, { unique: true });
MessageReactionSchema.index({ conversationId: 1 });

/**
 * The durable mark of a deletion for everyone, inserted before the message becomes a tombstone.
 * An edit that raced the deletion (and may have overwritten the tombstone on FerretDB) checks
 * for it after writing and puts the tombstone back.
 */
@Schema({ collection: 'messagedeletions', versionKey: false })
export class MessageDeletion {
  @Prop({ type: Types.ObjectId, required: true }) messageId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) conversationId!: Types.ObjectId;
  /** Who the message was for, and its seq: an unread message deleted stops counting as unread. */
  @Prop({ type: Types.ObjectId, required: true }) recipientId!: Types.ObjectId;
  @Prop({ type: Number, required: true }) seq!: number;
  @Prop({ type: Date, required: true }) at!: Date;
}
export const MessageDeletionSchema = SchemaFactory.createForClass(MessageDeletion);
MessageDeletionSchema.index({ messageId: 1 }, { unique: true });
MessageDeletionSchema.index({ conversationId: 1 });
MessageDeletionSchema.index({ recipientId: 1 });

export const MESSAGE_ACTION_MODELS = [
  { name: MessageChange.name, schema: MessageChangeSchema },
  { name: MessageHide.name, schema: MessageHideSchema },
  { name: MessageReaction.name, schema: MessageReactionSchema },
  { name: MessageDeletion.name, schema: MessageDeletionSchema },
];
