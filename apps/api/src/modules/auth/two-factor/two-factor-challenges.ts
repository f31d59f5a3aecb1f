import { HttpStatus, Injectable } from '@nestjs/common';
import { ErrorCode } from '@natter/contracts';
import { createHash, randomBytes } from 'node:crypto';
import { ApiException } from '../../../common/api-exception';
import { AppConfig } from '../../../config/app-config';
import { CodeKind, OneTimeCodes, PresentedCode } from './one-time-codes';
import { TwoFactorRepository } from './two-factor.repository';

/** Wrong codes a challenge survives; the next attempt finds it dead. */
export const CHALLENGE_MAX_ATTEMPTS = 5;

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

const challengeExpired = () =>
  new ApiException(
    HttpStatus.UNAUTHORIZED,
    ErrorCode.CHALLENGE_EXPIRED,
    'This sign-in has expired; enter your password again',
  );
const invalidCode = () =>
  new ApiException(HttpStatus.UNAUTHORIZED, ErrorCode.INVALID_TWO_FACTOR_CODE, 'Wrong code');

/**
 * The second sign-in step. A challenge is issued once the password was right; it signs in
 * only its own user, once, within TWO_FACTOR_CHALLENGE_TTL_SECONDS and five attempts. Each
 * attempt first takes a numbered slot and a success takes the challenge itself, both by
 * unique inserts, so concurrent requests cannot share a slot or use a challenge twice.
 */
@Injectable()
export class TwoFactorChallenges {
  constructor(
    private readonly repository: TwoFactorRepository,
    private readonly codes: OneTimeCodes,
    private readonly config: AppConfig,
  ) {}

  /** A new challenge token for a user whose password was just accepted. */
  async create(userId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const ttlMs = this.config.env.TWO_FACTOR_CHALLENGE_TTL_SECONDS * 1000;
    await this.repository.createChallenge(userId, hashToken(token), new Date(Date.now() + ttlMs));
    // Old challenges and spent claims are purged as new ones are made.
    void this.repository.purgeExpired(new Date()).catch(() => undefined);
    return token;
  }

  /** Checks the code; returns whose sign-in this completes and which kind of code did it. */
  async complete(
    token: string,
    presented: PresentedCode,
    ip: string,
  ): Promise<{ userId: string; kind: CodeKind }> {
    OneTimeCodes.requireOne(presented);
    const challenge = await this.repository.findChallenge(hashToken(token));
    if (!challenge || challenge.expiresAt <= new Date()) throw challengeExpired();
    const { id, userId, expiresAt } = challenge;
    await this.codes.countAttempt(userId);

    const slot = await this.takeAttemptSlot(id, userId, expiresAt);
    if (slot === null) {
      await this.repository.deleteChallenge(id);
      throw challengeExpired();
    }
    const kind = await this.codes.accept(userId, presented, ip);
    if (!kind) {
      if (slot === CHALLENGE_MAX_ATTEMPTS) await this.repository.deleteChallenge(id);
      throw invalidCode();
    }
    const won = await this.repository.claim(`challenge:${id}:used`, userId, expiresAt);
    await this.repository.deleteChallenge(id);
    if (!won) throw challengeExpired();
    return { userId, kind };
  }

  private async takeAttemptSlot(
    challengeId: string,
    userId: string,
    expiresAt: Date,
  ): Promise<number | null> {
    const prefix = `challenge:${challengeId}:attempt:`;
    const taken = await this.repository.countClaims(prefix);
    for (let slot = taken + 1; slot <= CHALLENGE_MAX_ATTEMPTS; slot++) {
      if (await this.repository.claim(`${prefix}${slot}`, userId, expiresAt)) return slot;
    }
    return null;
  }
}
