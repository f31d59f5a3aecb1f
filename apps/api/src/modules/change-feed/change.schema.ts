import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * One published change. Insert-only: a process never updates another's entry, so FerretDB's
 * lost concurrent updates cannot drop a change. Entries are pruned after CHANGE_RETENTION_MS.
 */
@Schema({ collection: 'changes', versionKey: false })
export class Change {
  @Prop({ type: String, required: true }) kind!: string;
  @Prop({ type: Object, required: true }) payload!: Record<string, unknown>;
  /** The publishing process, so it does not apply its own change twice. */
  @Prop({ type: String, required: true }) origin!: string;
  @Prop({ type: Date, required: true }) at!: Date;
}

export const ChangeSchema = SchemaFactory.createForClass(Change);
ChangeSchema.index({ at: 1 });
