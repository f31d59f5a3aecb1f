import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { oid, pairKeyOf } from '../database/persistence';
import { Media } from './media.schema';

export interface StoredFileInfo {
  contentType: string;
  size: number;
  width: number;
  height: number;
  sha256: string;
}

export interface MediaRecord extends StoredFileInfo {
  id: string;
  ownerId: string;
  participants: [string, string];
  conversationId: string | null;
  fileId: string;
  thumbnailFileId: string;
  thumbnail: StoredFileInfo;
  createdAt: Date;
}

export interface NewMedia extends StoredFileInfo {
  ownerId: string;
  otherId: string;
  fileId: string;
  thumbnailFileId: string;
  thumbnail: StoredFileInfo;
}

type LeanMedia = Media & { _id: Types.ObjectId };

const plainFile = (file: StoredFileInfo): StoredFileInfo => ({
  contentType: file.contentType,
  size: file.size,
  width: file.width,
  height: file.height,
  sha256: file.sha256,
});

const toRecord = (doc: LeanMedia): MediaRecord => ({
  id: doc._id.toHexString(),
  ownerId: doc.ownerId.toHexString(),
  participants: [doc.participants[0].toHexString(), doc.participants[1].toHexString()],
  conversationId: doc.conversationId ? doc.conversationId.toHexString() : null,
  ...plainFile(doc),
  fileId: doc.fileId.toHexString(),
  thumbnailFileId: doc.thumbnailFileId.toHexString(),
  thumbnail: plainFile(doc.thumbnail),
  createdAt: doc.createdAt,
});

/** The only code that touches the media collection. */
@Injectable()
export class MediaRepository {
  constructor(@InjectModel(Media.name) private readonly media: Model<Media>) {}

  async create(input: NewMedia): Promise<MediaRecord> {
    const participants = [input.ownerId, input.otherId].sort();
    const doc = await this.media.create({
      ownerId: oid(input.ownerId),
      participants: participants.map((id) => oid(id)),
      pairKey: pairKeyOf(input.ownerId, input.otherId),
      ...plainFile(input),
      fileId: oid(input.fileId),
      thumbnailFileId: oid(input.thumbnailFileId),
      thumbnail: plainFile(input.thumbnail),
    });
    return toRecord(doc.toObject() as LeanMedia);
  }

  /** A media document only if `userId` is one of its two participants. */
  async findForParticipant(id: string, userId: string): Promise<MediaRecord | null> {
    if (!Types.ObjectId.isValid(id) || !Types.ObjectId.isValid(userId)) return null;
    const doc = await this.media
      .findOne({ _id: oid(id), participants: oid(userId) })
      .lean<LeanMedia>();
    return doc ? toRecord(doc) : null;
  }

  async setConversation(id: string, conversationId: string): Promise<void> {
    await this.media.updateOne({ _id: oid(id) }, { $set: { conversationId: oid(conversationId) } });
  }

  /** Everything exchanged between two users, or recorded under their conversation id. */
  async findByConversation(
    conversationId: string | null,
    participantIds: string[],
  ): Promise<MediaRecord[]> {
    const or: Record<string, unknown>[] = [];
    if (conversationId && Types.ObjectId.isValid(conversationId))
      or.push({ conversationId: oid(conversationId) });
    if (participantIds.length === 2)
      or.push({ pairKey: pairKeyOf(participantIds[0], participantIds[1]) });
    if (or.length === 0) return [];
    const docs = await this.media.find({ $or: or }).lean<LeanMedia[]>();
    return docs.map(toRecord);
  }

  async findByParticipant(userId: string): Promise<MediaRecord[]> {
    const docs = await this.media.find({ participants: oid(userId) }).lean<LeanMedia[]>();
    return docs.map(toRecord);
  }

  async deleteByIds(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.media.deleteMany({ _id: { $in: ids.map((id) => oid(id)) } });
  }
}
