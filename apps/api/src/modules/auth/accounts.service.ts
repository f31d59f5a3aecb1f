import { HttpStatus, Injectable } from '@nestjs/common';
import { ErrorCode, PublicUser, TwoFactorChallengeResponse } from '@natter/contracts';
import { ApiException } from '../../common/api-exception';
import type { AuthUser } from '../../common/auth-user';
import { DomainEvent, DomainEventPublisher, InjectDomainEvents } from '../../common/domain-events';
import { AuditService } from '../audit/audit.service';
import { toPublicUser } from '../users/public-user';
import { UserRecord, UsersRepository } from '../users/users.repository';
import { ClientInfo, invalidCredentials, IssuedSession, unauthorized } from './auth.types';
import { PasswordHasher } from './password-hasher';
import { SessionsService } from './sessions.service';
import { TwoFactorChallenges } from './two-factor/two-factor-challenges';

/**
 * Accounts: signing up and in (a right password starts a session, or only a two-factor
 * challenge when that is on), the password, and deleting an account with everything of it.
 * The admin CLI resets passwords and deletes accounts through here too.
 */
@Injectable()
export class AccountsService {
  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    @InjectDomainEvents() private readonly events: DomainEventPublisher,
    private readonly twoFactorChallenges: TwoFactorChallenges,
  ) {}

  async signup(username: string, password: string, client: ClientInfo): Promise<IssuedSession> {
    const passwordHash = await this.hasher.hash(password);
    const user = await this.users.create(username, passwordHash);
    if (!user) {
      throw new ApiException(
        HttpStatus.CONFLICT,
        ErrorCode.USERNAME_TAKEN,
        'That username is taken',
      );
    }
    return this.sessions.start(toPublicUser(user), client);
  }

  /** With two-factor sign-in on, a right password only earns a challenge for the second step. */
  async login(
    username: string,
    password: string,
    client: ClientInfo,
  ): Promise<IssuedSession | TwoFactorChallengeResponse> {
    const user = await this.users.findByUsername(username);
    const valid = user
      ? await this.hasher.verify(password, user.passwordHash)
      : await this.hasher.verifyAgainstNothing(password);
    if (!user || !valid) {
      await this.audit.record('login_failed', {
        userId: user?.id,
        username: username.slice(0, 40),
        ip: client.ip,
      });
      throw invalidCredentials();
    }
    if (user.twoFactorEnabled) {
      return { twoFactorRequired: true, challenge: await this.twoFactorChallenges.create(user.id) };
    }
    await this.audit.record('login_succeeded', { userId: user.id, ip: client.ip });
    return this.sessions.start(toPublicUser(user), client);
  }

  /** Signs in a user whose second factor was just checked (TwoFactorChallenges). */
  async completeTwoFactorLogin(
    userId: string,
    method: string,
    client: ClientInfo,
  ): Promise<IssuedSession> {
    const user = await this.users.findById(userId);
    if (!user) throw invalidCredentials();
    await this.audit.record('login_succeeded', {
      userId,
      ip: client.ip,
      details: { twoFactor: method },
    });
    return this.sessions.start(toPublicUser(user), client);
  }

  /** The user, when the password is theirs; 401 INVALID_CREDENTIALS otherwise. */
  async requirePassword(userId: string, password: string, message: string): Promise<UserRecord> {
    const user = await this.users.findById(userId);
    if (!user || !(await this.hasher.verify(password, user.passwordHash))) {
      throw new ApiException(HttpStatus.UNAUTHORIZED, ErrorCode.INVALID_CREDENTIALS, message);
    }
    return user;
  }

  async me(auth: AuthUser): Promise<PublicUser> {
    const user = await this.users.findById(auth.userId);
    if (!user) throw unauthorized();
    return toPublicUser(user);
  }

  async changePassword(
    auth: AuthUser,
    currentPassword: string,
    newPassword: string,
    ip: string,
  ): Promise<void> {
    const user = await this.requirePassword(
      auth.userId,
      currentPassword,
      'Current password is wrong',
    );
    if (newPassword.toLowerCase() === user.username.toLowerCase()) {
      throw new ApiException(
        HttpStatus.BAD_REQUEST,
        ErrorCode.VALIDATION_FAILED,
        'password must not be the username',
      );
    }
    await this.users.updatePasswordHash(user.id, await this.hasher.hash(newPassword));
    const revoked = await this.sessions.revokeAll(user.id, 'password_changed', auth.sessionId);
    await this.audit.record('password_changed', {
      userId: user.id,
      ip,
      details: { revokedSessions: revoked },
    });
  }

  /** The admin CLI's reset: a new password, and every session ends. */
  async resetPassword(userId: string, newPassword: string): Promise<void> {
    await this.users.updatePasswordHash(userId, await this.hasher.hash(newPassword));
    await this.sessions.revokeAll(userId);
    await this.audit.record('password_changed', { userId, details: { by: 'admin' } });
  }

  async deleteAccount(auth: AuthUser, password: string, ip: string): Promise<void> {
    const user = await this.requirePassword(auth.userId, password, 'Password is wrong');
    await this.deleteUserAndData(user.id);
    await this.audit.record('account_deleted', { userId: user.id, username: user.username, ip });
  }

  /** Removes a user and everything of theirs; also used by the admin CLI. */
  async deleteUserAndData(userId: string): Promise<void> {
    await this.sessions.revokeAll(userId, 'account_deleted');
    await this.events.emitAsync(DomainEvent.AccountDeleting, { userId });
    await this.sessions.deleteAllFor(userId);
    await this.users.deleteById(userId);
  }
}
