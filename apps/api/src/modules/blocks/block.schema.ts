import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

@Schema({ collection: 'blocks', versionKey: false })
export class Block {
  @Prop({ type: Types.ObjectId, required: true }) blockerId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) blockedId!: Types.ObjectId;
  @Prop({ type: Date, required: true, default: () => new Date() }) createdAt!: Date;
}

export const BlockSchema = SchemaFactory.createForClass(Block);
BlockSchema.index({ blockerId: 1, blockedId: 1 }, { unique: true });
BlockSchema.index({ blockedId: 1 });
