import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

export type FriendRequestStatus = 'pending' | 'accepted' | 'rejected' | 'cancelled';

@Schema({ collection: 'friendrequests', versionKey: false })
export class FriendRequest {
  @Prop({ type: Types.ObjectId, required: true }) senderId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) recipientId!: Types.ObjectId;
  @Prop({ type: String, required: true, enum: ['pending', 'accepted', 'rejected', 'cancelled'] })
  status!: FriendRequestStatus;
  @Prop({ type: Date, required: true }) createdAt!: Date;
  @Prop({ type: Date, default: null }) respondedAt!: Date | null;
  /**
   * While pending: the pair key, so the unique index admits one pending request per pair
   * whichever way round (two concurrent sends: one insert wins, the other gets 11000). Once
   * resolved: the request's own id, which keeps the field unique without partial indexes
   * (FerretDB has none, and a missing field would count as a duplicate null).
   */
  @Prop({ type: String, required: true }) pendingKey!: string;
}

export const FriendRequestSchema = SchemaFactory.createForClass(FriendRequest);
FriendRequestSchema.index({ pendingKey: 1 }, { unique: true });
FriendRequestSchema.index({ recipientId: 1, status: 1, createdAt: -1 });
FriendRequestSchema.index({ senderId: 1, status: 1, createdAt: -1 });

/**
 * The one decision taken on a pending request. Accept, reject and cancel each insert this
 * first; the unique request id lets exactly one of them win even on servers where two
 * concurrent conditional updates of the request itself could both report success.
 */
@Schema({ collection: 'friendrequestdecisions', versionKey: false })
export class FriendRequestDecision {
  @Prop({ type: Types.ObjectId, required: true }) requestId!: Types.ObjectId;
  @Prop({ type: String, required: true }) status!: Exclude<FriendRequestStatus, 'pending'>;
  @Prop({ type: Date, required: true }) at!: Date;
}

export const FriendRequestDecisionSchema = SchemaFactory.createForClass(FriendRequestDecision);
FriendRequestDecisionSchema.index({ requestId: 1 }, { unique: true });
