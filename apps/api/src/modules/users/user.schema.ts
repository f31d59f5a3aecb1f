import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

@Schema({ collection: 'users', versionKey: false })
export class User {
  /** As the person typed it (display case). */
  @Prop({ type: String, required: true }) username!: string;
  /** Lower-cased copy: the unique key that makes names case-insensitively unique. */
  @Prop({ type: String, required: true }) usernameLower!: string;
  @Prop({ type: String, required: true }) passwordHash!: string;
  @Prop({ required: true, default: () => new Date() }) createdAt!: Date;
  @Prop({ type: Date, default: null }) lastSeenAt!: Date | null;
  /** Sign-in asks for a one-time code after the password; the secret is in twofactorsecrets. */
  @Prop({ type: Boolean, default: false }) twoFactorEnabled!: boolean;
}

export const UserSchema = SchemaFactory.createForClass(User);
UserSchema.index({ usernameLower: 1 }, { unique: true });
