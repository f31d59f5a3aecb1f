import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { TwoFactorChallenge, TwoFactorClaim, TwoFactorSecret } from './two-factor.schema';
import { oid, unlessDuplicate } from '../../database/persistence';

export interface TwoFactorSecretRecord {
  userId: string;
  secret: string | null;
  pendingSecret: string | null;
  recoveryCodeHashes: string[];
}

export interface ChallengeRecord {
  id: string;
  userId: string;
  expiresAt: Date;
}

type LeanSecret = TwoFactorSecret & { _id: Types.ObjectId };
type LeanChallenge = TwoFactorChallenge & { _id: Types.ObjectId };

/** The only code that touches the two-factor collections. */
@Injectable()
export class TwoFactorRepository {
  constructor(
    @InjectModel(TwoFactorSecret.name) private readonly secrets: Model<TwoFactorSecret>,
    @InjectModel(TwoFactorChallenge.name) private readonly challenges: Model<TwoFactorChallenge>,
    @InjectModel(TwoFactorClaim.name) private readonly claims: Model<TwoFactorClaim>,
  ) {}

  async findSecret(userId: string): Promise<TwoFactorSecretRecord | null> {
    const doc = await this.secrets.findOne({ userId: oid(userId) }).lean<LeanSecret>();
    if (!doc) return null;
    return {
      userId,
      secret: doc.secret ?? null,
      pendingSecret: doc.pendingSecret ?? null,
      recoveryCodeHashes: doc.recoveryCodeHashes ?? [],
    };
  }

  async savePendingSecret(userId: string, pendingSecret: string): Promise<void> {
    await this.secrets.updateOne(
      { userId: oid(userId) },
      { $set: { pendingSecret }, $setOnInsert: { secret: null, recoveryCodeHashes: [] } },
      { upsert: true },
    );
  }

  async activate(userId: string, secret: string, recoveryCodeHashes: string[]): Promise<void> {
    await this.secrets.updateOne(
      { userId: oid(userId) },
      { $set: { secret, pendingSecret: null, recoveryCodeHashes, enabledAt: new Date() } },
    );
  }

  /** Forgets the secret, the recovery codes and every claim of the user. */
  async removeAll(userId: string): Promise<void> {
    await this.secrets.deleteOne({ userId: oid(userId) });
    await this.challenges.deleteMany({ userId: oid(userId) });
    await this.claims.deleteMany({ userId: oid(userId) });
  }

  async createChallenge(userId: string, tokenHash: string, expiresAt: Date): Promise<void> {
    await this.challenges.create({ userId: oid(userId), tokenHash, expiresAt });
  }

  async findChallenge(tokenHash: string): Promise<ChallengeRecord | null> {
    const doc = await this.challenges.findOne({ tokenHash }).lean<LeanChallenge>();
    return doc
      ? { id: doc._id.toHexString(), userId: doc.userId.toHexString(), expiresAt: doc.expiresAt }
      : null;
  }

  async deleteChallenge(id: string): Promise<void> {
    await this.challenges.deleteOne({ _id: oid(id) });
  }

  /** Takes a one-time right; false when someone already holds it. */
  async claim(key: string, userId: string, expiresAt: Date | null): Promise<boolean> {
    return (
      (await unlessDuplicate(this.claims.create({ key, userId: oid(userId), expiresAt }))) !== null
    );
  }

  async countClaims(keyPrefix: string): Promise<number> {
    const escaped = keyPrefix.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    return this.claims.countDocuments({ key: { $regex: `^${escaped}` } });
  }

  /** Claims that no longer matter; run now and then (FerretDB has no TTL indexes). */
  async purgeExpired(now: Date): Promise<void> {
    await this.claims.deleteMany({ expiresAt: { $ne: null, $lt: now } });
    await this.challenges.deleteMany({ expiresAt: { $lt: now } });
  }
}
