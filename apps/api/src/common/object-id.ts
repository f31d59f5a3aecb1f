import { Types } from 'mongoose';

export const toObjectId = (id: string): Types.ObjectId => new Types.ObjectId(id);
export const isObjectId = (id: unknown): id is string =>
  typeof id === 'string' && /^[a-f0-9]{24}$/i.test(id);
