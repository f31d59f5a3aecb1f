import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { FriendRequest, FriendRequestDecision, FriendRequestStatus } from './friend-request.schema';
import { oid, pairKeyOf, unlessDuplicate } from '../../database/persistence';

export interface FriendRequestRecord {
  id: string;
  senderId: string;
  recipientId: string;
  status: FriendRequestStatus;
  createdAt: Date;
  respondedAt: Date | null;
}

type LeanRequest = FriendRequest & { _id: Types.ObjectId };
type ResolvedStatus = Exclude<FriendRequestStatus, 'pending'>;

const toRecord = (doc: LeanRequest): FriendRequestRecord => ({
  id: doc._id.toHexString(),
  senderId: doc.senderId.toHexString(),
  recipientId: doc.recipientId.toHexString(),
  status: doc.status,
  createdAt: doc.createdAt,
  respondedAt: doc.respondedAt ?? null,
});

/** The only code that touches the friendrequests and friendrequestdecisions collections. */
@Injectable()
export class FriendsRepository {
  constructor(
    @InjectModel(FriendRequest.name) private readonly requests: Model<FriendRequest>,
    @InjectModel(FriendRequestDecision.name)
    private readonly decisions: Model<FriendRequestDecision>,
  ) {}

  /** The new request, or null when the pair already has a pending one (the unique index decides). */
  async createPending(senderId: string, recipientId: string): Promise<FriendRequestRecord | null> {
    const doc = await unlessDuplicate(
      this.requests.create({
        senderId: oid(senderId),
        recipientId: oid(recipientId),
        status: 'pending',
        createdAt: new Date(),
        respondedAt: null,
        pendingKey: pairKeyOf(senderId, recipientId),
      }),
    );
    return doc ? toRecord(doc.toObject() as LeanRequest) : null;
  }

  /** The pending request between two users, whichever of them sent it. */
  async findPendingBetween(userA: string, userB: string): Promise<FriendRequestRecord | null> {
    const doc = await this.requests
      .findOne({ pendingKey: pairKeyOf(userA, userB), status: 'pending' })
      .lean<LeanRequest>();
    return doc ? toRecord(doc) : null;
  }

  /** A pending request in which `actor` holds the given role, or null. */
  async findPendingFor(
    requestId: string,
    actor: { field: 'senderId' | 'recipientId'; userId: string },
  ): Promise<FriendRequestRecord | null> {
    const doc = await this.requests
      .findOne({ _id: oid(requestId), status: 'pending', [actor.field]: oid(actor.userId) })
      .lean<LeanRequest>();
    return doc ? toRecord(doc) : null;
  }

  /**
   * Resolves a pending request only if `actor` holds the given role in it. Returns the request
   * as it was, or null when it is not pending or not theirs (nothing changes then).
   */
  async resolve(
    requestId: string,
    actor: { field: 'senderId' | 'recipientId'; userId: string },
    status: ResolvedStatus,
  ): Promise<FriendRequestRecord | null> {
    const filter = { _id: oid(requestId), status: 'pending', [actor.field]: oid(actor.userId) };
    const doc = await this.requests.findOne(filter).lean<LeanRequest>();
    if (!doc) return null;
    const now = new Date();
    const decided = await unlessDuplicate(
      this.decisions.create({ requestId: oid(requestId), status, at: now }),
    );
    // Someone else decided this request a moment ago (accept racing cancel, say).
    if (!decided) return null;
    await this.requests.updateOne(filter, {
      $set: { status, respondedAt: now, pendingKey: requestId },
    });
    return toRecord(doc);
  }

  async listIncoming(userId: string): Promise<FriendRequestRecord[]> {
    const docs = await this.requests
      .find({ recipientId: oid(userId), status: 'pending' })
      .sort({ createdAt: -1, _id: -1 })
      .lean<LeanRequest[]>();
    return docs.map(toRecord);
  }

  async listOutgoing(userId: string): Promise<FriendRequestRecord[]> {
    const docs = await this.requests
      .find({ senderId: oid(userId), status: 'pending' })
      .sort({ createdAt: -1, _id: -1 })
      .lean<LeanRequest[]>();
    return docs.map(toRecord);
  }

  /** Pending requests between `userId` and any of `otherIds`, both directions. */
  async pendingAmong(userId: string, otherIds: string[]): Promise<FriendRequestRecord[]> {
    if (otherIds.length === 0) return [];
    const others = otherIds.map(oid);
    const docs = await this.requests
      .find({
        status: 'pending',
        $or: [
          { senderId: oid(userId), recipientId: { $in: others } },
          { recipientId: oid(userId), senderId: { $in: others } },
        ],
      })
      .lean<LeanRequest[]>();
    return docs.map(toRecord);
  }

  /** How many pending requests the user has received (`recipientId`) or sent (`senderId`). */
  async countPending(userId: string, role: 'senderId' | 'recipientId'): Promise<number> {
    return this.requests.countDocuments({ [role]: oid(userId), status: 'pending' });
  }

  /** Deletes every request the user sent or received; returns the ones that were pending. */
  async deleteAllFor(userId: string): Promise<FriendRequestRecord[]> {
    const filter = { $or: [{ senderId: oid(userId) }, { recipientId: oid(userId) }] };
    const pending = await this.requests
      .find({ ...filter, status: 'pending' })
      .lean<LeanRequest[]>();
    const all = await this.requests.find(filter, { _id: 1 }).lean<{ _id: Types.ObjectId }[]>();
    await this.decisions.deleteMany({ requestId: { $in: all.map((request) => request._id) } });
    await this.requests.deleteMany(filter);
    return pending.map(toRecord);
  }
}
