import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

export type AuditEventType =
  | 'login_succeeded'
  | 'login_failed'
  | 'password_changed'
  | 'session_revoked'
  | 'refresh_token_reused'
  | 'account_deleted'
  | 'upload_rejected'
  | 'two_factor_enabled'
  | 'two_factor_disabled'
  | 'two_factor_recovery_code_used'
  | 'two_factor_code_failed';

@Schema({ collection: 'auditevents', versionKey: false })
export class AuditEvent {
  @Prop({ type: String, required: true }) type!: AuditEventType;
  @Prop({ type: Types.ObjectId, default: null }) userId!: Types.ObjectId | null;
  /** The username as typed, for failed logins of unknown names. */
  @Prop({ type: String, default: null }) username!: string | null;
  @Prop({ type: String, default: null }) ip!: string | null;
  @Prop({ type: Object, default: {} }) details!: Record<string, string | number | boolean>;
  @Prop({ type: Date, required: true, default: () => new Date() }) at!: Date;
}

export const AuditEventSchema = SchemaFactory.createForClass(AuditEvent);
AuditEventSchema.index({ userId: 1, at: -1 });
AuditEventSchema.index({ type: 1, at: -1 });
