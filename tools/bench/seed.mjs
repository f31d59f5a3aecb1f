// @ts-check
// Filling the database for the benchmarks: through the API (seedBySocket) or, much faster,
// straight into the collections in the shape the API stores (seedDirect).
import { log, oid } from './session.mjs';
import { emitSend } from './users.mjs';

/** @typedef {import('./harness.mjs').ClientSocket} ClientSocket */
/** @typedef {import('./users.mjs').BenchUser} BenchUser */
/** @typedef {import('./users.mjs').Ctx} Ctx */

/**
 * Through the API: batches of concurrent sends, alternating sides as a real conversation does.
 * @param {Ctx} ctx
 * @param {ClientSocket} socketC
 * @param {ClientSocket} socketD
 * @param {BenchUser} userC
 * @param {BenchUser} userD
 * @param {number} total  including the one already sent
 */
export async function seedBySocket(ctx, socketC, socketD, userC, userD, total) {
  const batch = 500;
  let sent = 1;
  while (sent < total) {
    const size = Math.min(batch, total - sent);
    const acks = await Promise.all(
      Array.from({ length: size }, (_, i) =>
        i % 2 === 0 ? emitSend(ctx, socketD, userC.id) : emitSend(ctx, socketC, userD.id),
      ),
    );
    const refused = acks.filter((ack) => !ack.ok);
    if (refused.length > 0)
      throw new Error(
        `seeding: ${refused.length} sends refused, e.g. ${JSON.stringify(refused[0].error)}`,
      );
    sent += size;
    if (sent % 5000 < batch) log(`  seeded ${sent}/${total}`);
  }
}

/**
 * Straight into the collection: the conversation between C and D (created by its first
 * message, sent through the API) grows to `total` messages, seqs gap-free.
 * @param {Ctx} ctx
 * @param {import('mongodb').MongoClient} mongo
 * @param {string} conversationId
 * @param {BenchUser} userC
 * @param {BenchUser} userD
 * @param {number} total
 */
export async function seedDirect(ctx, mongo, conversationId, userC, userD, total) {
  await appendMessages(mongo, {
    conversationId,
    userA: userC.id,
    userB: userD.id,
    fromSeq: 2,
    count: total - 1,
    tag: ctx.runTag,
  });
}

/**
 * One text message in the shape MessagesRepository.insert stores
 * (apps/api/src/modules/messages/message.schema.ts; keep the two in step).
 * @param {{ conversationId: import('mongodb').ObjectId, seq: number, senderId: import('mongodb').ObjectId, recipientId: import('mongodb').ObjectId, clientId: string, createdAt: Date }} fields
 */
export function messageDoc({ conversationId, seq, senderId, recipientId, clientId, createdAt }) {
  return {
    conversationId,
    seq,
    senderId,
    recipientId,
    type: 'text',
    text: `seeded message ${seq}: the quick brown fox jumps over the lazy dog`,
    image: null,
    clientId,
    createdAt,
    editedAt: null,
    deletedAt: null,
  };
}

/**
 * Append `count` messages to a conversation straight into the collection, in the shape
 * messageDoc() has, alternating sides, seqs from `fromSeq` on; then move the conversation summary
 * on as the API would. Anything else the API keeps per message (counters) is not touched.
 * @param {import('mongodb').MongoClient} mongo
 * @param {{ conversationId: string, userA: string, userB: string, fromSeq: number, count: number, tag: string }} what
 */
export async function appendMessages(mongo, { conversationId, userA, userB, fromSeq, count, tag }) {
  if (count <= 0) return;
  const messages = mongo.db().collection('messages');
  const conversation = oid(conversationId);
  const a = oid(userA);
  const b = oid(userB);
  const lastSeq = fromSeq + count - 1;
  const base = Date.now() - count * 1000;
  /** @param {number} seq */
  const doc = (seq) =>
    messageDoc({
      conversationId: conversation,
      seq,
      senderId: seq % 2 === 1 ? a : b,
      recipientId: seq % 2 === 1 ? b : a,
      clientId: `seed-${tag}-${conversationId}-${seq}`,
      createdAt: new Date(base + (seq - fromSeq) * 1000),
    });
  const batch = 1000;
  for (let from = fromSeq; from <= lastSeq; from += batch) {
    const docs = [];
    for (let seq = from; seq < Math.min(from + batch, lastSeq + 1); seq++) docs.push(doc(seq));
    await messages.insertMany(docs, { ordered: true });
    if ((from - fromSeq + batch) % 10_000 < batch)
      log(`  seeded ${Math.min(from + batch, lastSeq + 1) - fromSeq}/${count}`);
  }
  const last = doc(lastSeq);
  await mongo
    .db()
    .collection('conversations')
    .updateOne(
      { _id: conversation },
      {
        // The summary's shape (Conversation.summary in conversation.schema.ts), without the
        // received counts, which the seed does not keep: the API then numbers from the messages.
        $set: {
          summary: {
            seq: lastSeq,
            rev: 0,
            message: {
              seq: lastSeq,
              senderId: last.senderId,
              type: 'text',
              text: last.text,
              createdAt: last.createdAt,
            },
          },
        },
      },
    );
}
