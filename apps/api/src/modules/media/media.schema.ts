import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

@Schema({ _id: false, versionKey: false })
export class StoredThumbnail {
  @Prop({ type: String, required: true }) contentType!: string;
  @Prop({ type: Number, required: true }) size!: number;
  @Prop({ type: Number, required: true }) width!: number;
  @Prop({ type: Number, required: true }) height!: number;
  @Prop({ type: String, required: true }) sha256!: string;
}
const StoredThumbnailSchema = SchemaFactory.createForClass(StoredThumbnail);

/**
 * One uploaded image: who sent it, in which conversation, and where its bytes (the
 * re-encoded image and its thumbnail) are stored. Readable only by `participants`.
 */
@Schema({ collection: 'media', versionKey: false })
export class Media {
  @Prop({ type: Types.ObjectId, required: true }) ownerId!: Types.ObjectId;
  /** Both users, sorted; `pairKey` is their ids joined, so one query finds a pair's media. */
  @Prop({ type: [Types.ObjectId], required: true }) participants!: Types.ObjectId[];
  @Prop({ type: String, required: true }) pairKey!: string;
  /** Set once the message exists (the conversation id comes from messaging). */
  @Prop({ type: Types.ObjectId, default: null }) conversationId!: Types.ObjectId | null;
  @Prop({ type: String, required: true }) contentType!: string;
  @Prop({ type: Number, required: true }) size!: number;
  @Prop({ type: Number, required: true }) width!: number;
  @Prop({ type: Number, required: true }) height!: number;
  /** Hex sha256 of the stored bytes: the strong ETag. */
  @Prop({ type: String, required: true }) sha256!: string;
  @Prop({ type: Types.ObjectId, required: true }) fileId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) thumbnailFileId!: Types.ObjectId;
  @Prop({ type: StoredThumbnailSchema, required: true }) thumbnail!: StoredThumbnail;
  @Prop({ type: Date, required: true, default: () => new Date() }) createdAt!: Date;
}

export const MediaSchema = SchemaFactory.createForClass(Media);
MediaSchema.index({ pairKey: 1 });
MediaSchema.index({ conversationId: 1 });
MediaSchema.index({ participants: 1 });
