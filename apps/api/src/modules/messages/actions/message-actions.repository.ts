import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { isDuplicateKey, oid, unlessDuplicate } from '../../database/persistence';
import { Message } from '../message.schema';
import { LeanMessage, MessageRecord, toMessageRecord } from '../messages.repository';
import { MessageDeletion, MessageHide, MessageReaction } from './message-actions.schema';

export interface ReactionRecord {
  messageId: string;
  userId: string;
  emoji: string;
}

type LeanReaction = MessageReaction & { _id: Types.ObjectId };
type LeanHide = MessageHide & { _id: Types.ObjectId };

/**
 * Storage of message actions: the edits and tombstones on messages, and the hides, reactions
 * and deletion marks beside them (the only code that touches the messagehides,
 * messagereactions and messagedeletions collections). Kept apart from MessagesRepository (the
 * send and history path) so the two evolve independently; both use the same Message model.
 */
@Injectable()
export class MessageActionsRepository {
  constructor(
    @InjectModel(Message.name) private readonly messages: Model<Message>,
    @InjectModel(MessageHide.name) private readonly hides: Model<MessageHide>,
    @InjectModel(MessageReaction.name) private readonly reactions: Model<MessageReaction>,
    @InjectModel(MessageDeletion.name) private readonly deletions: Model<MessageDeletion>,
  ) {}

  async findMessage(id: string): Promise<MessageRecord | null> {
    const doc = await this.messages.findOne({ _id: oid(id) }).lean<LeanMessage>();
    return doc ? toMessageRecord(doc) : null;
  }

  /** Messages of one conversation by id (any order). */
  async findMessages(conversationId: string, ids: string[]): Promise<MessageRecord[]> {
    if (ids.length === 0) return [];
    const docs = await this.messages
      .find({ conversationId: oid(conversationId), _id: { $in: ids.map(oid) } })
      .lean<LeanMessage[]>();
    return docs.map(toMessageRecord);
  }

  /** Messages with seq > after, oldest first (what was created since a cursor). */
  async createdAfter(
    conversationId: string,
    after: number,
    limit: number,
  ): Promise<MessageRecord[]> {
    const docs = await this.messages
      .find({ conversationId: oid(conversationId), seq: { $gt: after } })
      .sort({ seq: 1 })
      .limit(limit)
      .lean<LeanMessage[]>();
    return docs.map(toMessageRecord);
  }

  /** Newest first, seq < before: for finding the newest message someone has not hidden. */
  async newestBefore(
    conversationId: string,
    before: number,
    limit: number,
  ): Promise<MessageRecord[]> {
    const docs = await this.messages
      .find({ conversationId: oid(conversationId), seq: { $lt: before } })
      .sort({ seq: -1 })
      .limit(limit)
      .lean<LeanMessage[]>();
    return docs.map(toMessageRecord);
  }

  async setText(id: string, text: string, editedAt: Date): Promise<void> {
    await this.messages.updateOne({ _id: oid(id), deletedAt: null }, { $set: { text, editedAt } });
  }

  /** Makes the message a tombstone: text and image gone, seq and type kept. */
  async setDeleted(id: string, deletedAt: Date): Promise<void> {
    await this.messages.updateOne(
      { _id: oid(id) },
      { $set: { text: null, image: null, deletedAt } },
    );
  }

  /** Records the deletion mark; false when the message was already marked. */
  async markDeletion(message: MessageRecord, at: Date): Promise<boolean> {
    const marked = await unlessDuplicate(
      this.deletions.create({
        conversationId: oid(message.conversationId),
        messageId: oid(message.id),
        recipientId: oid(message.recipientId),
        seq: message.seq,
        at,
      }),
    );
    return marked !== null;
  }

  /**
   * Per conversation, the seqs of messages to `recipientId` deleted for everyone (few: only
   * deleted ones are stored), for taking deleted unread messages out of unread counts.
   */
  async deletedSeqsFor(
    recipientId: string,
    conversationIds: string[],
  ): Promise<Map<string, number[]>> {
    const result = new Map<string, number[]>();
    if (conversationIds.length === 0) return result;
    const docs = await this.deletions
      .find({ recipientId: oid(recipientId), conversationId: { $in: conversationIds.map(oid) } })
      .lean<MessageDeletion[]>();
    for (const doc of docs) {
      const key = String(doc.conversationId);
      result.set(key, [...(result.get(key) ?? []), doc.seq]);
    }
    return result;
  }

  async deletionAt(messageId: string): Promise<Date | null> {
    const doc = await this.deletions
      .findOne({ messageId: oid(messageId) })
      .lean<MessageDeletion & { _id: Types.ObjectId }>();
    return doc ? doc.at : null;
  }

  /** Hides a message for one user; false when it was hidden already. */
  async hide(message: MessageRecord, userId: string): Promise<boolean> {
    const hidden = await unlessDuplicate(
      this.hides.create({
        conversationId: oid(message.conversationId),
        messageId: oid(message.id),
        userId: oid(userId),
        seq: message.seq,
        at: new Date(),
      }),
    );
    return hidden !== null;
  }

  /** Which of these messages `userId` has hidden. */
  async hiddenAmong(userId: string, messageIds: string[]): Promise<Set<string>> {
    if (messageIds.length === 0) return new Set();
    const docs = await this.hides
      .find({ userId: oid(userId), messageId: { $in: messageIds.map(oid) } })
      .lean<LeanHide[]>();
    return new Set(docs.map((doc) => String(doc.messageId)));
  }

  /** Per conversation, the seqs of the messages `userId` hid there (few: only hidden ones are stored). */
  async hiddenSeqsIn(userId: string, conversationIds: string[]): Promise<Map<string, Set<number>>> {
    const result = new Map<string, Set<number>>();
    if (conversationIds.length === 0) return result;
    const docs = await this.hides
      .find({ userId: oid(userId), conversationId: { $in: conversationIds.map(oid) } })
      .lean<LeanHide[]>();
    for (const doc of docs) {
      const key = String(doc.conversationId);
      result.set(key, (result.get(key) ?? new Set()).add(doc.seq));
    }
    return result;
  }

  /** Who has hidden this message (at most its two participants). */
  async hiddenBy(messageId: string): Promise<string[]> {
    const docs = await this.hides.find({ messageId: oid(messageId) }).lean<LeanHide[]>();
    return docs.map((doc) => String(doc.userId));
  }

  /**
   * Sets `userId`'s reaction. The (message, user) document is that user's alone, so the other
   * participant reacting at the same time writes another document and nothing is lost.
   */
  async setReaction(conversationId: string, messageId: string, userId: string, emoji: string) {
    const key = { messageId: oid(messageId), userId: oid(userId) };
    for (let attempt = 0; attempt < 3; attempt++) {
      const updated = await this.reactions.updateOne(key, { $set: { emoji, at: new Date() } });
      if (updated.matchedCount > 0) return;
      try {
        await this.reactions.create({
          ...key,
          conversationId: oid(conversationId),
          emoji,
          at: new Date(),
        });
        return;
      } catch (error) {
        // The same user's other tab inserted first: update that document instead.
        if (!isDuplicateKey(error)) throw error;
      }
    }
  }

  async removeReaction(messageId: string, userId: string): Promise<void> {
    await this.reactions.deleteOne({ messageId: oid(messageId), userId: oid(userId) });
  }

  async removeReactionsOf(messageId: string): Promise<void> {
    await this.reactions.deleteMany({ messageId: oid(messageId) });
  }

  async reactionsOf(messageIds: string[]): Promise<ReactionRecord[]> {
    if (messageIds.length === 0) return [];
    const docs = await this.reactions
      .find({ messageId: { $in: messageIds.map(oid) } })
      .sort({ at: 1 })
      .lean<LeanReaction[]>();
    return docs.map((doc) => ({
      messageId: String(doc.messageId),
      userId: String(doc.userId),
      emoji: doc.emoji,
    }));
  }

  async deleteByConversation(conversationId: string): Promise<void> {
    const filter = { conversationId: oid(conversationId) };
    await Promise.all([
      this.hides.deleteMany(filter),
      this.reactions.deleteMany(filter),
      this.deletions.deleteMany(filter),
    ]);
  }
}
