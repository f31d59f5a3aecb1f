import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { oid, unlessDuplicate } from '../database/persistence';
import { Contact } from './contact.schema';

export interface ContactLink {
  contactId: string;
  since: Date;
  muted: boolean;
}

type LeanContact = Contact & { _id: Types.ObjectId };

const toLink = (doc: LeanContact): ContactLink => ({
  contactId: doc.contactId.toHexString(),
  since: doc.since,
  muted: doc.muted === true,
});

/** The only code that touches the contacts collection. Every query is scoped to a user. */
@Injectable()
export class ContactsRepository {
  constructor(@InjectModel(Contact.name) private readonly contacts: Model<Contact>) {}

  /** Creates both directions; an existing direction (a concurrent accept) is kept as is. */
  async addPair(userA: string, userB: string, since: Date): Promise<void> {
    for (const [userId, contactId] of [
      [userA, userB],
      [userB, userA],
    ]) {
      await unlessDuplicate(
        this.contacts.create({ userId: oid(userId), contactId: oid(contactId), since }),
      );
    }
  }

  async find(userId: string, contactId: string): Promise<ContactLink | null> {
    const doc = await this.contacts
      .findOne({ userId: oid(userId), contactId: oid(contactId) })
      .lean<LeanContact>();
    return doc ? toLink(doc) : null;
  }

  /** Sets the owner's mute flag on their own direction only; null when they are not contacts. */
  async setMuted(userId: string, contactId: string, muted: boolean): Promise<ContactLink | null> {
    const result = await this.contacts.updateOne(
      { userId: oid(userId), contactId: oid(contactId) },
      { $set: { muted } },
    );
    if (result.matchedCount === 0) return null;
    return this.find(userId, contactId);
  }

  async listFor(userId: string): Promise<ContactLink[]> {
    const docs = await this.contacts.find({ userId: oid(userId) }).lean<LeanContact[]>();
    return docs.map(toLink);
  }

  async countFor(userId: string): Promise<number> {
    return this.contacts.countDocuments({ userId: oid(userId) });
  }

  /** Which of `candidateIds` are contacts of `userId`. */
  async contactIdsAmong(userId: string, candidateIds: string[]): Promise<string[]> {
    if (candidateIds.length === 0) return [];
    const docs = await this.contacts
      .find({ userId: oid(userId), contactId: { $in: candidateIds.map(oid) } })
      .lean<LeanContact[]>();
    return docs.map((doc) => doc.contactId.toHexString());
  }

  /** Deletes both directions; returns how many documents went (0 when they were not contacts). */
  async removePair(userA: string, userB: string): Promise<number> {
    const result = await this.contacts.deleteMany({
      $or: [
        { userId: oid(userA), contactId: oid(userB) },
        { userId: oid(userB), contactId: oid(userA) },
      ],
    });
    return result.deletedCount ?? 0;
  }

  /** Deletes every link of a user in both directions; returns the other sides' ids. */
  async removeAllFor(userId: string): Promise<string[]> {
    const docs = await this.contacts
      .find({ $or: [{ userId: oid(userId) }, { contactId: oid(userId) }] })
      .lean<LeanContact[]>();
    await this.contacts.deleteMany({ $or: [{ userId: oid(userId) }, { contactId: oid(userId) }] });
    const others = docs.map((doc) =>
      (doc.userId.toHexString() === userId ? doc.contactId : doc.userId).toHexString(),
    );
    return [...new Set(others)];
  }
}
