import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { oid, unlessDuplicate } from '../database/persistence';
import { User } from './user.schema';

export interface UserRecord {
  id: string;
  username: string;
  usernameLower: string;
  passwordHash: string;
  createdAt: Date;
  lastSeenAt: Date | null;
  twoFactorEnabled: boolean;
}

type LeanUser = User & { _id: Types.ObjectId };

const toRecord = (doc: LeanUser): UserRecord => ({
  id: doc._id.toHexString(),
  username: doc.username,
  usernameLower: doc.usernameLower,
  passwordHash: doc.passwordHash,
  createdAt: doc.createdAt,
  lastSeenAt: doc.lastSeenAt ?? null,
  twoFactorEnabled: doc.twoFactorEnabled === true,
});

/** The only code that touches the users collection. */
@Injectable()
export class UsersRepository {
  constructor(@InjectModel(User.name) private readonly users: Model<User>) {}

  /** The new user, or null when the name is taken in any letter case (the unique index decides). */
  async create(username: string, passwordHash: string): Promise<UserRecord | null> {
    const doc = await unlessDuplicate(
      this.users.create({ username, usernameLower: username.toLowerCase(), passwordHash }),
    );
    return doc ? toRecord(doc.toObject() as LeanUser) : null;
  }

  async findById(id: string): Promise<UserRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await this.users.findById(id).lean<LeanUser>();
    return doc ? toRecord(doc) : null;
  }

  async findByIds(ids: string[]): Promise<UserRecord[]> {
    const docs = await this.users
      .find({ _id: { $in: ids.map((id) => oid(id)) } })
      .lean<LeanUser[]>();
    return docs.map(toRecord);
  }

  async findByUsername(username: string): Promise<UserRecord | null> {
    const doc = await this.users
      .findOne({ usernameLower: username.toLowerCase() })
      .lean<LeanUser>();
    return doc ? toRecord(doc) : null;
  }

  /**
   * Case-insensitive prefix search. The prefix is matched against the lower-cased key with
   * every regex metacharacter escaped, so input is always literal and the pattern is anchored.
   */
  async searchByPrefix(prefix: string, excludeIds: string[], limit: number): Promise<UserRecord[]> {
    const escaped = prefix.toLowerCase().replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    const docs = await this.users
      .find({
        usernameLower: { $regex: `^${escaped}` },
        _id: { $nin: excludeIds.map((id) => oid(id)) },
      })
      .sort({ usernameLower: 1 })
      .limit(limit)
      .lean<LeanUser[]>();
    return docs.map(toRecord);
  }

  async updatePasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.users.updateOne({ _id: oid(id) }, { $set: { passwordHash } });
  }

  async setTwoFactorEnabled(id: string, twoFactorEnabled: boolean): Promise<void> {
    await this.users.updateOne({ _id: oid(id) }, { $set: { twoFactorEnabled } });
  }

  async setLastSeen(id: string, at: Date): Promise<void> {
    await this.users.updateOne({ _id: oid(id) }, { $set: { lastSeenAt: at } });
  }

  async deleteById(id: string): Promise<void> {
    await this.users.deleteOne({ _id: oid(id) });
  }

  async list(limit: number, skip = 0): Promise<UserRecord[]> {
    const docs = await this.users
      .find({})
      .sort({ createdAt: 1 })
      .skip(skip)
      .limit(limit)
      .lean<LeanUser[]>();
    return docs.map(toRecord);
  }

  async count(): Promise<number> {
    return this.users.countDocuments({});
  }
}
