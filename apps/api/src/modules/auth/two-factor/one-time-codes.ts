import { HttpStatus, Injectable } from '@nestjs/common';
import { ErrorCode, TOTP_PERIOD_SECONDS } from '@natter/contracts';
import { ApiException } from '../../../common/api-exception';
import { AuditService } from '../../audit/audit.service';
import { CodeAttemptLimiter } from './code-attempt-limiter';
import { normalizeRecoveryCode } from './recovery-codes';
import { SecretCipher } from './secret-cipher';
import { matchTotp } from './totp';
import { TwoFactorRepository } from './two-factor.repository';

export interface PresentedCode {
  code?: string;
  recoveryCode?: string;
}

export type CodeKind = 'totp' | 'recovery';

export const tooManyAttempts = () =>
  new ApiException(
    HttpStatus.TOO_MANY_REQUESTS,
    ErrorCode.RATE_LIMITED,
    'Too many code attempts; try again later',
  );

/**
 * Checks one-time codes: TOTP codes (each accepted time step only once per user) and recovery
 * codes (each only once). Every check counts against the user's attempt limit.
 */
@Injectable()
export class OneTimeCodes {
  constructor(
    private readonly repository: TwoFactorRepository,
    private readonly cipher: SecretCipher,
    private readonly limiter: CodeAttemptLimiter,
    private readonly audit: AuditService,
  ) {}

  /** Exactly one of code / recoveryCode; a 400 otherwise (before anything is counted). */
  static requireOne(presented: PresentedCode): void {
    if (Boolean(presented.code) === Boolean(presented.recoveryCode)) {
      throw new ApiException(
        HttpStatus.BAD_REQUEST,
        ErrorCode.VALIDATION_FAILED,
        'Send either code or recoveryCode',
      );
    }
  }

  async countAttempt(userId: string): Promise<void> {
    if (!(await this.limiter.consume(userId))) throw tooManyAttempts();
  }

  /** Whether the code is valid for this (encrypted) secret now, and takes its time step. */
  async acceptTotp(userId: string, encryptedSecret: string, code: string): Promise<boolean> {
    const secret = this.cipher.decrypt(encryptedSecret, userId);
    if (!secret) return false;
    const step = await matchTotp(secret, code);
    if (step === null) return false;
    // The step is outside every verification window three periods later.
    const forgetAt = new Date((step + 3) * TOTP_PERIOD_SECONDS * 1000);
    return this.repository.claim(`totp:${userId}:${step}`, userId, forgetAt);
  }

  /** Checks a code or recovery code against the user's active secret; the kind that worked. */
  async accept(userId: string, presented: PresentedCode, ip: string): Promise<CodeKind | null> {
    const stored = await this.repository.findSecret(userId);
    let kind: CodeKind | null = null;
    if (stored?.secret && presented.code) {
      if (await this.acceptTotp(userId, stored.secret, presented.code)) kind = 'totp';
    } else if (stored?.secret && presented.recoveryCode) {
      const hash = this.recoveryCodeHash(presented.recoveryCode);
      if (
        stored.recoveryCodeHashes.includes(hash) &&
        (await this.repository.claim(`recovery:${userId}:${hash}`, userId, null))
      ) {
        kind = 'recovery';
        const left = stored.recoveryCodeHashes.length - (await this.spentRecoveryCodes(userId));
        await this.audit.record('two_factor_recovery_code_used', {
          userId,
          ip,
          details: { left },
        });
      }
    }
    if (!kind) {
      await this.audit.record('two_factor_code_failed', {
        userId,
        ip,
        details: { kind: presented.code ? 'totp' : 'recovery' },
      });
    }
    return kind;
  }

  recoveryCodeHash(code: string): string {
    return this.cipher.keyedHash('recovery-code', normalizeRecoveryCode(code));
  }

  private spentRecoveryCodes(userId: string): Promise<number> {
    return this.repository.countClaims(`recovery:${userId}:`);
  }
}
