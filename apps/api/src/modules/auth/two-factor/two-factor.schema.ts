import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/** One per user who has started or finished setting up two-factor sign-in. */
@Schema({ collection: 'twofactorsecrets', versionKey: false })
export class TwoFactorSecret {
  @Prop({ type: Types.ObjectId, required: true }) userId!: Types.ObjectId;
  /** The active TOTP secret, encrypted (SecretCipher); null until enabled. */
  @Prop({ type: String, default: null }) secret!: string | null;
  /** A secret from setup that no code has confirmed yet, encrypted; a new setup replaces it. */
  @Prop({ type: String, default: null }) pendingSecret!: string | null;
  /** Keyed hashes of the recovery codes; a code is spent by a claim, not by removing it here. */
  @Prop({ type: [String], default: [] }) recoveryCodeHashes!: string[];
  @Prop({ type: Date, default: null }) enabledAt!: Date | null;
}

export const TwoFactorSecretSchema = SchemaFactory.createForClass(TwoFactorSecret);
TwoFactorSecretSchema.index({ userId: 1 }, { unique: true });

/** The pending second step of a sign-in whose password was right. */
@Schema({ collection: 'twofactorchallenges', versionKey: false })
export class TwoFactorChallenge {
  /** SHA-256 of the challenge token the client holds; the token itself is never stored. */
  @Prop({ type: String, required: true }) tokenHash!: string;
  @Prop({ type: Types.ObjectId, required: true }) userId!: Types.ObjectId;
  @Prop({ type: Date, required: true }) expiresAt!: Date;
}

export const TwoFactorChallengeSchema = SchemaFactory.createForClass(TwoFactorChallenge);
TwoFactorChallengeSchema.index({ tokenHash: 1 }, { unique: true });
TwoFactorChallengeSchema.index({ userId: 1 });

/**
 * A one-time right, taken by inserting its unique key: an accepted TOTP time step of a user,
 * a spent recovery code, an attempt slot of a challenge, or a challenge's use. Of several
 * concurrent claims exactly one insert succeeds, also on servers where two conditional
 * updates of one document could both succeed (FerretDB).
 */
@Schema({ collection: 'twofactorclaims', versionKey: false })
export class TwoFactorClaim {
  @Prop({ type: String, required: true }) key!: string;
  @Prop({ type: Types.ObjectId, required: true }) userId!: Types.ObjectId;
  /** When the claim no longer matters (then it may be purged); null: kept while 2FA is on. */
  @Prop({ type: Date, default: null }) expiresAt!: Date | null;
}

export const TwoFactorClaimSchema = SchemaFactory.createForClass(TwoFactorClaim);
TwoFactorClaimSchema.index({ key: 1 }, { unique: true });
TwoFactorClaimSchema.index({ userId: 1 });
