import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { oid, unlessDuplicate } from '../database/persistence';
import { Session, SessionRotation } from './session.schema';

export interface SessionRecord {
  id: string;
  userId: string;
  tokenHash: string;
  retiredTokenHashes: string[];
  rotatedAt: Date | null;
  userAgent: string;
  ip: string;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

/** What starting a session stores (the id is chosen first, see newId). */
export interface NewSession {
  id: string;
  userId: string;
  tokenHash: string;
  userAgent: string;
  ip: string;
  expiresAt: Date;
}

/** Neither revoked nor past its refresh expiry. */
export const isLive = (session: SessionRecord, now: Date): boolean =>
  session.revokedAt === null && session.expiresAt > now;

type LeanSession = Session & { _id: Types.ObjectId };

const toRecord = (doc: LeanSession): SessionRecord => ({
  id: doc._id.toHexString(),
  userId: doc.userId.toHexString(),
  tokenHash: doc.tokenHash,
  retiredTokenHashes: doc.retiredTokenHashes ?? [],
  rotatedAt: doc.rotatedAt ?? null,
  userAgent: doc.userAgent,
  ip: doc.ip,
  createdAt: doc.createdAt,
  lastUsedAt: doc.lastUsedAt,
  expiresAt: doc.expiresAt,
  revokedAt: doc.revokedAt ?? null,
});

/** How many rotated-out token hashes a session remembers for reuse detection. */
const RETIRED_HASHES_KEPT = 20;

/** The only code that touches the sessions and sessionrotations collections. */
@Injectable()
export class SessionsRepository {
  constructor(
    @InjectModel(Session.name) private readonly sessions: Model<Session>,
    @InjectModel(SessionRotation.name) private readonly rotations: Model<SessionRotation>,
  ) {}

  newId(): string {
    return new Types.ObjectId().toHexString();
  }

  async create(input: NewSession): Promise<SessionRecord> {
    const doc = await this.sessions.create({
      _id: oid(input.id),
      userId: oid(input.userId),
      tokenHash: input.tokenHash,
      userAgent: input.userAgent,
      ip: input.ip,
      expiresAt: input.expiresAt,
    });
    return toRecord(doc.toObject() as LeanSession);
  }

  async findById(id: string): Promise<SessionRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await this.sessions.findById(id).lean<LeanSession>();
    return doc ? toRecord(doc) : null;
  }

  /** How many sessions of one user are still usable. */
  async countActive(userId: string, now: Date): Promise<number> {
    return this.sessions.countDocuments({
      userId: oid(userId),
      revokedAt: null,
      expiresAt: { $gt: now },
    });
  }

  /** Sessions of one user that are still usable, newest first. */
  async listActive(userId: string, now: Date): Promise<SessionRecord[]> {
    const docs = await this.sessions
      .find({ userId: oid(userId), revokedAt: null, expiresAt: { $gt: now } })
      .sort({ createdAt: -1 })
      .lean<LeanSession[]>();
    return docs.map(toRecord);
  }

  /**
   * Swaps the current token hash for a new one, but only if the session still holds the hash
   * the caller presented: of two concurrent refreshes with one token, one wins.
   */
  async rotate(session: SessionRecord, newHash: string, now: Date): Promise<boolean> {
    const sessionId = oid(session.id);
    const claimed = await unlessDuplicate(
      this.rotations.create({ fromHash: session.tokenHash, sessionId, at: now }),
    );
    if (!claimed) return false;
    const retired = [...session.retiredTokenHashes, session.tokenHash].slice(-RETIRED_HASHES_KEPT);
    const result = await this.sessions.updateOne(
      { _id: sessionId, tokenHash: session.tokenHash, revokedAt: null },
      {
        $set: { tokenHash: newHash, retiredTokenHashes: retired, rotatedAt: now, lastUsedAt: now },
      },
    );
    // Older claims are no longer needed: their hashes are in retiredTokenHashes.
    await this.rotations.deleteMany({ sessionId, fromHash: { $ne: session.tokenHash } });
    return result.modifiedCount === 1;
  }

  /** Revokes one session of a user; returns false when it is not theirs or already revoked. */
  async revoke(userId: string, id: string, reason: string, now: Date): Promise<boolean> {
    if (!Types.ObjectId.isValid(id)) return false;
    const result = await this.sessions.updateOne(
      { _id: oid(id), userId: oid(userId), revokedAt: null },
      { $set: { revokedAt: now, revokedReason: reason } },
    );
    return result.modifiedCount === 1;
  }

  /** Revokes every live session of a user except `keepId`; returns the revoked ids. */
  async revokeAllExcept(
    userId: string,
    keepId: string | null,
    reason: string,
    now: Date,
  ): Promise<string[]> {
    const filter = {
      userId: oid(userId),
      revokedAt: null,
      ...(keepId ? { _id: { $ne: oid(keepId) } } : {}),
    };
    const ids = (
      await this.sessions.find(filter, { _id: 1 }).lean<{ _id: Types.ObjectId }[]>()
    ).map((d) => d._id.toHexString());
    if (ids.length > 0) {
      await this.sessions.updateMany(
        { _id: { $in: ids.map((id) => oid(id)) } },
        { $set: { revokedAt: now, revokedReason: reason } },
      );
    }
    return ids;
  }

  async deleteAllForUser(userId: string): Promise<void> {
    const sessions = await this.sessions
      .find({ userId: oid(userId) }, { _id: 1 })
      .lean<{ _id: Types.ObjectId }[]>();
    await this.rotations.deleteMany({ sessionId: { $in: sessions.map((doc) => doc._id) } });
    await this.sessions.deleteMany({ userId: oid(userId) });
  }
}
