import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { isDuplicateKey, oid } from '../database/persistence';
import { Block } from './block.schema';

export interface BlockRecord {
  blockerId: string;
  blockedId: string;
  createdAt: Date;
}

type LeanBlock = Block & { _id: Types.ObjectId };

const toRecord = (doc: LeanBlock): BlockRecord => ({
  blockerId: doc.blockerId.toHexString(),
  blockedId: doc.blockedId.toHexString(),
  createdAt: doc.createdAt,
});

/** The only code that touches the blocks collection. */
@Injectable()
export class BlocksRepository {
  constructor(@InjectModel(Block.name) private readonly blocks: Model<Block>) {}

  /** Idempotent: blocking twice keeps the first block (the unique pair index decides). */
  async create(blockerId: string, blockedId: string): Promise<BlockRecord> {
    try {
      const doc = await this.blocks.create({
        blockerId: oid(blockerId),
        blockedId: oid(blockedId),
        createdAt: new Date(),
      });
      return toRecord(doc.toObject() as LeanBlock);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const existing = await this.find(blockerId, blockedId);
      if (!existing) throw error;
      return existing;
    }
  }

  async find(blockerId: string, blockedId: string): Promise<BlockRecord | null> {
    const doc = await this.blocks
      .findOne({ blockerId: oid(blockerId), blockedId: oid(blockedId) })
      .lean<LeanBlock>();
    return doc ? toRecord(doc) : null;
  }

  async listBy(blockerId: string): Promise<BlockRecord[]> {
    const docs = await this.blocks
      .find({ blockerId: oid(blockerId) })
      .sort({ createdAt: -1 })
      .lean<LeanBlock[]>();
    return docs.map(toRecord);
  }

  async existsEitherWay(userA: string, userB: string): Promise<boolean> {
    const count = await this.blocks.countDocuments({
      $or: [
        { blockerId: oid(userA), blockedId: oid(userB) },
        { blockerId: oid(userB), blockedId: oid(userA) },
      ],
    });
    return count > 0;
  }

  /** Everyone this user blocked or was blocked by. */
  async relatedIds(userId: string): Promise<string[]> {
    const docs = await this.blocks
      .find({ $or: [{ blockerId: oid(userId) }, { blockedId: oid(userId) }] })
      .lean<LeanBlock[]>();
    return [
      ...new Set(
        docs.map((doc) =>
          (doc.blockerId.toHexString() === userId ? doc.blockedId : doc.blockerId).toHexString(),
        ),
      ),
    ];
  }

  async remove(blockerId: string, blockedId: string): Promise<boolean> {
    const result = await this.blocks.deleteOne({
      blockerId: oid(blockerId),
      blockedId: oid(blockedId),
    });
    return (result.deletedCount ?? 0) > 0;
  }

  async removeAllFor(userId: string): Promise<void> {
    await this.blocks.deleteMany({ $or: [{ blockerId: oid(userId) }, { blockedId: oid(userId) }] });
  }
}
