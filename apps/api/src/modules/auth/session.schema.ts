import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/** One per login. The refresh token is `<sessionId>.<secret>`; only a hash of the secret is kept. */
@Schema({ collection: 'sessions', versionKey: false })
export class Session {
  @Prop({ type: Types.ObjectId, required: true }) userId!: Types.ObjectId;
  @Prop({ type: String, required: true }) tokenHash!: string;
  /** Hashes of rotated-out tokens: presenting one again means the token was stolen. */
  @Prop({ type: [String], default: [] }) retiredTokenHashes!: string[];
  @Prop({ type: Date, default: null }) rotatedAt!: Date | null;
  @Prop({ type: String, default: '' }) userAgent!: string;
  @Prop({ type: String, default: '' }) ip!: string;
  @Prop({ required: true, default: () => new Date() }) createdAt!: Date;
  @Prop({ required: true, default: () => new Date() }) lastUsedAt!: Date;
  @Prop({ type: Date, required: true }) expiresAt!: Date;
  @Prop({ type: Date, default: null }) revokedAt!: Date | null;
  @Prop({ type: String, default: null }) revokedReason!: string | null;
}

export const SessionSchema = SchemaFactory.createForClass(Session);
SessionSchema.index({ userId: 1, createdAt: -1 });

/**
 * One per refresh-token rotation, keyed by the hash being rotated away. Inserting it first
 * makes exactly one of several concurrent refreshes with the same token win, also on servers
 * where two conditional updates of the session could both succeed.
 */
@Schema({ collection: 'sessionrotations', versionKey: false })
export class SessionRotation {
  @Prop({ type: String, required: true }) fromHash!: string;
  @Prop({ type: Types.ObjectId, required: true }) sessionId!: Types.ObjectId;
  @Prop({ type: Date, required: true }) at!: Date;
}

export const SessionRotationSchema = SchemaFactory.createForClass(SessionRotation);
SessionRotationSchema.index({ fromHash: 1 }, { unique: true });
SessionRotationSchema.index({ sessionId: 1 });
