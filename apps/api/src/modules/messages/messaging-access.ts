import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection, Types } from 'mongoose';

/**
 * The relationship checks messaging depends on (who may write to whom). Kept behind this small
 * class so the messages module depends on two questions, not on the social modules' internals.
 */
@Injectable()
export class MessagingAccess {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  // TEMPORARY until ContactsService / BlocksService exist: reads their collections directly.
  async areContacts(userId: string, otherId: string): Promise<boolean> {
    if (userId === otherId) return false;
    const doc = await this.connection
      .collection('contacts')
      .findOne({ userId: { $in: [userId, new Types.ObjectId(userId)] }, contactId: { $in: [otherId, new Types.ObjectId(otherId)] } });
    return doc !== null;
  }

  async isBlockedEitherWay(a: string, b: string): Promise<boolean> {
    const ids = (x: string) => ({ $in: [x, new Types.ObjectId(x)] });
    const doc = await this.connection.collection('blocks').findOne({
      $or: [
        { blockerId: ids(a), blockedId: ids(b) },
        { blockerId: ids(b), blockedId: ids(a) },
      ],
    });
    return doc !== null;
  }
}
