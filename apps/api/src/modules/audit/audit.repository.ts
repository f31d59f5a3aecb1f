import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { oid } from '../database/persistence';
import { AuditEvent, AuditEventType } from './audit-event.schema';

export interface AuditInput {
  userId?: string | null;
  username?: string | null;
  ip?: string | null;
  details?: Record<string, string | number | boolean>;
}

/** The only code that touches the auditevents collection (append only). */
@Injectable()
export class AuditRepository {
  constructor(@InjectModel(AuditEvent.name) private readonly events: Model<AuditEvent>) {}

  async append(type: AuditEventType, input: AuditInput): Promise<void> {
    await this.events.create({
      type,
      userId: input.userId ? oid(input.userId) : null,
      username: input.username ?? null,
      ip: input.ip ?? null,
      details: input.details ?? {},
    });
  }
}
