import { HttpStatus, Injectable } from '@nestjs/common';
import { ErrorCode, TwoFactorEnableResponse, TwoFactorSetupResponse } from '@natter/contracts';
import { ApiException } from '../../../common/api-exception';
import type { AuthUser } from '../../../common/auth-user';
import { AccountDeletingEvent, DomainEvent, OnDomainEvent } from '../../../common/domain-events';
import { AuditService } from '../../audit/audit.service';
import { UsersRepository } from '../../users/users.repository';
import { AccountsService } from '../accounts.service';
import { SessionsService } from '../sessions.service';
import { OneTimeCodes, PresentedCode } from './one-time-codes';
import { newRecoveryCodes } from './recovery-codes';
import { SecretCipher } from './secret-cipher';
import { newTotpSecret, otpauthUri } from './totp';
import { TwoFactorRepository } from './two-factor.repository';

const alreadyEnabled = () =>
  new ApiException(
    HttpStatus.CONFLICT,
    ErrorCode.TWO_FACTOR_ALREADY_ENABLED,
    'Two-factor sign-in is already on',
  );
const invalidCode = () =>
  new ApiException(HttpStatus.BAD_REQUEST, ErrorCode.INVALID_TWO_FACTOR_CODE, 'Wrong code');

/**
 * Turning two-factor sign-in on and off (SPEC §8.3). Either change revokes the user's other
 * sessions (SPEC §8.4): they were signed in under the old rules.
 */
@Injectable()
export class TwoFactorService {
  constructor(
    private readonly repository: TwoFactorRepository,
    private readonly users: UsersRepository,
    private readonly cipher: SecretCipher,
    private readonly codes: OneTimeCodes,
    private readonly accounts: AccountsService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  /** A new secret to confirm with a code; replaces an unconfirmed one. */
  async setup(auth: AuthUser): Promise<TwoFactorSetupResponse> {
    const user = await this.users.findById(auth.userId);
    if (user?.twoFactorEnabled) throw alreadyEnabled();
    const secret = newTotpSecret();
    await this.repository.savePendingSecret(auth.userId, this.cipher.encrypt(secret, auth.userId));
    return { secret, otpauthUri: otpauthUri(secret, auth.username) };
  }

  async enable(auth: AuthUser, code: string, ip: string): Promise<TwoFactorEnableResponse> {
    const user = await this.users.findById(auth.userId);
    if (user?.twoFactorEnabled) throw alreadyEnabled();
    const stored = await this.repository.findSecret(auth.userId);
    if (!stored?.pendingSecret) {
      throw new ApiException(
        HttpStatus.BAD_REQUEST,
        ErrorCode.TWO_FACTOR_SETUP_REQUIRED,
        'Start the setup first',
      );
    }
    await this.codes.countAttempt(auth.userId);
    if (!(await this.codes.acceptTotp(auth.userId, stored.pendingSecret, code))) {
      await this.audit.record('two_factor_code_failed', {
        userId: auth.userId,
        ip,
        details: { kind: 'totp', during: 'enable' },
      });
      throw invalidCode();
    }
    const recoveryCodes = newRecoveryCodes();
    await this.repository.activate(
      auth.userId,
      stored.pendingSecret,
      recoveryCodes.map((recoveryCode) => this.codes.recoveryCodeHash(recoveryCode)),
    );
    await this.users.setTwoFactorEnabled(auth.userId, true);
    const revoked = await this.sessions.revokeAll(
      auth.userId,
      'two_factor_enabled',
      auth.sessionId,
    );
    await this.audit.record('two_factor_enabled', {
      userId: auth.userId,
      ip,
      details: { revokedSessions: revoked },
    });
    return { recoveryCodes };
  }

  async disable(auth: AuthUser, password: string, presented: PresentedCode, ip: string) {
    OneTimeCodes.requireOne(presented);
    const user = await this.accounts.requirePassword(auth.userId, password, 'Password is wrong');
    if (!user.twoFactorEnabled) {
      throw new ApiException(
        HttpStatus.BAD_REQUEST,
        ErrorCode.TWO_FACTOR_NOT_ENABLED,
        'Two-factor sign-in is not on',
      );
    }
    await this.codes.countAttempt(auth.userId);
    if (!(await this.codes.accept(auth.userId, presented, ip))) throw invalidCode();
    await this.turnOff(auth.userId, auth.sessionId, { ip });
  }

  /** Admin CLI: for a user who lost their authenticator and recovery codes. */
  async disableByAdmin(userId: string): Promise<void> {
    await this.turnOff(userId, null, { by: 'admin' });
  }

  @OnDomainEvent(DomainEvent.AccountDeleting, { promisify: true })
  async onAccountDeleting(event: AccountDeletingEvent): Promise<void> {
    await this.repository.removeAll(event.userId);
  }

  private async turnOff(
    userId: string,
    keepSessionId: string | null,
    context: { ip?: string; by?: string },
  ): Promise<void> {
    await this.users.setTwoFactorEnabled(userId, false);
    await this.repository.removeAll(userId);
    const revoked = await this.sessions.revokeAll(userId, 'two_factor_disabled', keepSessionId);
    await this.audit.record('two_factor_disabled', {
      userId,
      ip: context.ip ?? null,
      details: { revokedSessions: revoked, ...(context.by ? { by: context.by } : {}) },
    });
  }
}
