import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

export class MessageImageDoc {
  mediaId!: Types.ObjectId;
  width!: number;
  height!: number;
}

/** Text is stored as plain text exactly as sent (trimmed); it is never interpreted as HTML. */
@Schema({ collection: 'messages', versionKey: false })
export class Message {
  @Prop({ type: Types.ObjectId, required: true }) conversationId!: Types.ObjectId;
  @Prop({ type: Number, required: true }) seq!: number;
  @Prop({ type: Types.ObjectId, required: true }) senderId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) recipientId!: Types.ObjectId;
  @Prop({ type: String, required: true, enum: ['text', 'image'] }) type!: 'text' | 'image';
  @Prop({ type: String, default: null }) text!: string | null;
  @Prop({ type: Object, default: null }) image!: MessageImageDoc | null;
  @Prop({ type: String, required: true }) clientId!: string;
  @Prop({ type: Date, required: true, default: () => new Date() }) createdAt!: Date;
  @Prop({ type: Date, default: null }) editedAt!: Date | null;
  @Prop({ type: Date, default: null }) deletedAt!: Date | null;
  /** Messages the recipient had received in this conversation once this one was stored. */
  @Prop({ type: Number }) recipientReceivedCount?: number;
  /** Messages the sender had received in this conversation when this one was stored. */
  @Prop({ type: Number }) senderReceivedCount?: number;
  /** The message this one answers (same conversation); its summary is read live. */
  @Prop({ type: Types.ObjectId, default: null }) replyToId!: Types.ObjectId | null;
}

export const MessageSchema = SchemaFactory.createForClass(Message);
// Gap-free ordering: two writers can never store the same seq; the loser retries. The same
// index (seq descending) serves every history page at the same cost however deep it is.
MessageSchema.index({ conversationId: 1, seq: -1 }, { unique: true });
// Idempotent sends: a resend (or a concurrent duplicate on another process) cannot store twice.
MessageSchema.index({ senderId: 1, clientId: 1 }, { unique: true });
MessageSchema.index({ recipientId: 1 });
