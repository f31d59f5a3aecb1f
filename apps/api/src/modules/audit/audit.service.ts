import { Injectable, Logger } from '@nestjs/common';
import type { AuditEventType } from './audit-event.schema';
import { AuditInput, AuditRepository } from './audit.repository';

/** Records security-relevant events. A failure to audit is logged but never fails the request. */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);

  constructor(private readonly repository: AuditRepository) {}

  async record(type: AuditEventType, input: AuditInput = {}): Promise<void> {
    this.logger.log({ audit: type, userId: input.userId ?? undefined, ip: input.ip ?? undefined });
    try {
      await this.repository.append(type, input);
    } catch (error) {
      this.logger.error(`Could not store audit event ${type}: ${(error as Error).message}`);
    }
  }
}
