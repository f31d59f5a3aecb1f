import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { AuditEvent, AuditEventType } from './audit-event.schema';

export interface AuditInput {
  userId?: string | null;
  username?: string | null;
  ip?: string | null;
  details?: Record<string, string | number | boolean>;
}

/** Records security-relevant events. A failure to audit is logged but never fails the request. */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);

  constructor(@InjectModel(AuditEvent.name) private readonly events: Model<AuditEvent>) {}

  async record(type: AuditEventType, input: AuditInput = {}): Promise<void> {
    this.logger.log({ audit: type, userId: input.userId ?? undefined, ip: input.ip ?? undefined });
    try {
      await this.events.create({
        type,
        userId: input.userId ? new Types.ObjectId(input.userId) : null,
        username: input.username ?? null,
        ip: input.ip ?? null,
        details: input.details ?? {},
      });
    } catch (error) {
      this.logger.error(`Could not store audit event ${type}: ${(error as Error).message}`);
    }
  }
}
