// @ts-check
// What the database engine charges per operation: the database's CPU time (FerretDB, plus
// the PostgreSQL backends serving it) and the wall time of single driver calls, one after
// another, with no API in between. Conversations-shaped documents at a few collection sizes
// and a messages collection with the product's unique indexes; each operation kind its own
// bounded loop, and the `explain` of its filter (FerretDB's pushdown flags say whether the
// filter reached the backend or was evaluated in FerretDB for every document).
import { ObjectId } from 'mongodb';
import { summarize } from '../harness.mjs';
import { summarizeExplain } from '../explain.mjs';
import { cpuOf, databasePids } from '../processes.mjs';
import { messageDoc } from '../seed.mjs';
import { log, round, startDatabaseSession } from '../session.mjs';
import { repeat } from '../users.mjs';

export const ENGINE_DEFAULTS = {
  /** Conversations stored, one level after the other. */
  sizes: [50, 500],
  /** Messages stored (the collection the insert and the non-_id find use). */
  messages: 3_000,
  /** Per operation kind: at most this many calls, within the budget (at least minSamples). */
  count: 500,
  budgetMs: 4_000,
  minSamples: 5,
};
export const ENGINE_QUICK = {
  ...ENGINE_DEFAULTS,
  sizes: [20, 100],
  messages: 300,
  count: 50,
  budgetMs: 1_000,
};

/**
 * The operation kinds measured, in order: what each does and on which collection.
 * @type {{ key: string, label: string, collection: 'conversations' | 'messages' | null }[]}
 */
export const ENGINE_OPERATIONS = [
  { key: 'ping', label: 'ping', collection: null },
  { key: 'insertOne', label: 'insertOne message', collection: 'messages' },
  { key: 'insertMany', label: 'insertMany 10 messages', collection: 'messages' },
  { key: 'updateById', label: 'updateOne {_id}', collection: 'conversations' },
  { key: 'updateByIdLt', label: 'updateOne {_id, lastSeq: {$lt}}', collection: 'conversations' },
  { key: 'findOneById', label: 'findOne {_id}', collection: 'conversations' },
  { key: 'findIn', label: 'find {_id: {$in: [1 id]}}', collection: 'conversations' },
  { key: 'findByPairKey', label: 'findOne {pairKey}', collection: 'conversations' },
  { key: 'findByClientId', label: 'findOne {senderId, clientId}', collection: 'messages' },
];

/**
 * A conversation as the API stores it (apps/api/src/modules/messages/conversation.schema.ts).
 * @param {number} i
 */
function conversationDoc(i) {
  const [a, b] = [new ObjectId(), new ObjectId()];
  const at = new Date();
  return {
    _id: new ObjectId(),
    pairKey: [a.toHexString(), b.toHexString()].sort().join(':'),
    participantIds: [a, b],
    lastSeq: i,
    lastMessage: { seq: i, senderId: a, type: 'text', text: `message ${i}`, createdAt: at },
    lastActivityAt: at,
    received: { [a.toHexString()]: i, [b.toHexString()]: 0 },
    createdAt: at,
  };
}

/**
 * @param {{ settings: typeof ENGINE_DEFAULTS, engines: import('../../db/launcher.mjs').Engine[] }} options
 */
export async function runEngine({ settings, engines }) {
  const runs = [];
  for (const engine of engines) runs.push(await runOnEngine(engine, settings));
  return { settings, runs };
}

/**
 * @param {import('../../db/launcher.mjs').Engine} engine
 * @param {typeof ENGINE_DEFAULTS} settings
 */
async function runOnEngine(engine, settings) {
  const { count, budgetMs, minSamples } = settings;
  const session = await startDatabaseSession({ engine });
  try {
    const db = session.mongo.db();
    const conversations = db.collection('conversations');
    const messages = db.collection('messages');
    await conversations.createIndex({ pairKey: 1 }, { unique: true });
    await conversations.createIndex({ participantIds: 1 });
    await messages.createIndex({ conversationId: 1, seq: -1 }, { unique: true });
    await messages.createIndex({ senderId: 1, clientId: 1 }, { unique: true });
    await messages.createIndex({ recipientId: 1 });

    let seq = 0;
    const conversationId = new ObjectId();
    const [me, peer] = [new ObjectId(), new ObjectId()];
    const message = () =>
      messageDoc({
        conversationId,
        seq: ++seq,
        senderId: seq % 2 ? me : peer,
        recipientId: seq % 2 ? peer : me,
        clientId: `c-${seq}`,
        createdAt: new Date(),
      });
    log(`engine (${engine}): seeding ${settings.messages} messages...`);
    for (let left = settings.messages; left > 0; left -= 1000)
      await messages.insertMany(Array.from({ length: Math.min(1000, left) }, message));
    const known = message(); // the match of the non-_id find; inserts after it are removed
    await messages.insertOne(known);

    let next = 1_000_000; // above every stored lastSeq: the conditional update always applies
    const summary = () => ({
      $set: { lastSeq: ++next, lastActivityAt: new Date(), 'lastMessage.seq': next },
    });
    /** @type {any[]} */
    const stored = [];
    const levels = [];
    for (const size of settings.sizes) {
      const docs = Array.from({ length: size - stored.length }, (_, i) =>
        conversationDoc(stored.length + i),
      );
      if (docs.length > 0) await conversations.insertMany(docs);
      stored.push(...docs);
      const pick = (/** @type {number} */ i) => stored[(i * 7919) % stored.length];

      // FerretDB v1 explains only a top-level `filter` (an update's is in `updates`), but its
      // update fetches the documents with the filter as a find does: explained as that find.
      /** @type {Record<string, { filter?: (i: number) => object, run: (filter: any) => Promise<unknown> }>} */
      const calls = {
        ping: { run: () => db.command({ ping: 1 }) },
        insertOne: { run: () => messages.insertOne(message()) },
        insertMany: { run: () => messages.insertMany(Array.from({ length: 10 }, message)) },
        updateById: {
          filter: (i) => ({ _id: pick(i)._id }),
          run: (filter) => conversations.updateOne(filter, summary()),
        },
        updateByIdLt: {
          filter: (i) => ({ _id: pick(i)._id, lastSeq: { $lt: next + 1 } }),
          run: (filter) => conversations.updateOne(filter, summary()),
        },
        findOneById: {
          filter: (i) => ({ _id: pick(i)._id }),
          run: (filter) => conversations.findOne(filter),
        },
        findIn: {
          filter: (i) => ({ _id: { $in: [pick(i)._id] } }),
          run: (filter) => conversations.find(filter).toArray(),
        },
        findByPairKey: {
          filter: (i) => ({ pairKey: pick(i).pairKey }),
          run: (filter) => conversations.findOne(filter),
        },
        findByClientId: {
          filter: () => ({ senderId: known.senderId, clientId: known.clientId }),
          run: (filter) => messages.findOne(filter),
        },
      };

      for (const operation of ENGINE_OPERATIONS) {
        const call = calls[operation.key];
        const once = (/** @type {number} */ i) => call.run(call.filter?.(i));
        for (let i = 0; i < 3; i++) await once(i); // warm-up: connections, caches
        // Measured around the loop: the database's own processes only (not this client).
        const dbPids = await databasePids(session);
        const pids = [dbPids.server, ...dbPids.postgres].filter((pid) => typeof pid === 'number');
        const cpuBefore = cpuOf(pids);
        let i = 0;
        const wall = await repeat(count, budgetMs, minSamples, async () => {
          const start = performance.now();
          await once(i++);
          return performance.now() - start;
        });
        const cpuMs = pids.length ? cpuOf(pids) - cpuBefore : null;
        const explain = call.filter
          ? await db
              .command({
                explain: { find: operation.collection, filter: call.filter(0) },
                verbosity: 'queryPlanner',
              })
              .then(summarizeExplain, (error) => ({ error: String(error.message).slice(0, 200) }))
          : null;
        // Inserted messages go again, so every level finds the same messages collection.
        if (operation.key.startsWith('insert'))
          await messages.deleteMany({ seq: { $gt: known.seq } });
        const last = {
          conversations: size,
          messages: settings.messages + 1,
          ...operation,
          n: wall.length,
          databaseCpuMs: cpuMs,
          databaseCpuMsPerOperation: cpuMs === null ? null : round(cpuMs / wall.length),
          wallMs: summarize(wall),
          explain,
        };
        levels.push(last);
        log(
          `engine (${engine}) at ${size}: ${operation.label}: ${last.databaseCpuMsPerOperation} ms CPU, ` +
            `${last.wallMs.p50} ms wall p50 (n ${last.n})`,
        );
      }
    }
    return { engine, database: session.server, levels };
  } finally {
    await session.stop();
  }
}
