import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/** One document per direction, so "my contacts" is a single indexed query on userId. */
@Schema({ collection: 'contacts', versionKey: false })
export class Contact {
  @Prop({ type: Types.ObjectId, required: true }) userId!: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) contactId!: Types.ObjectId;
  @Prop({ type: Date, required: true }) since!: Date;
  /** The owner's (userId's) own setting: each direction has one writer only. */
  @Prop({ type: Boolean, default: false }) muted!: boolean;
}

export const ContactSchema = SchemaFactory.createForClass(Contact);
ContactSchema.index({ userId: 1, contactId: 1 }, { unique: true });
ContactSchema.index({ contactId: 1 });
