import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { Change } from './change.schema';

export interface ChangeRecord {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  origin: string;
  at: Date;
}

type LeanChange = Change & { _id: Types.ObjectId };

/** The only code that touches the changes collection. */
@Injectable()
export class ChangeFeedRepository {
  constructor(@InjectModel(Change.name) private readonly changes: Model<Change>) {}

  async insert(change: Omit<ChangeRecord, 'id'>): Promise<string> {
    const doc = await this.changes.create(change);
    return doc._id.toHexString();
  }

  /** Changes published by other processes at or after `since`. */
  async publishedSince(since: Date, exceptOrigin: string): Promise<ChangeRecord[]> {
    const docs = await this.changes
      .find({ at: { $gte: since }, origin: { $ne: exceptOrigin } })
      .lean<LeanChange[]>();
    return docs.map((doc) => ({
      id: doc._id.toHexString(),
      kind: doc.kind,
      payload: doc.payload,
      origin: doc.origin,
      at: doc.at,
    }));
  }

  async deleteOlderThan(cutoff: Date): Promise<void> {
    await this.changes.deleteMany({ at: { $lt: cutoff } });
  }
}
