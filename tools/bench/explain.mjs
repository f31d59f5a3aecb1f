// @ts-check
// What the database says about how it answers a query (`explain`): for MongoDB the plan
// stages (IXSCAN and its index, or COLLSCAN) and the counts examined; for FerretDB its
// pushdown flags and the backend's query plan.
import { oid } from './session.mjs';

/**
 * What the server says about the history queries (the repository's pageBackward/pageForward
 * shapes), and which indexes the messages collection has.
 * @param {import('mongodb').MongoClient} mongo
 * @param {string} conversationId
 * @param {number} total
 */
export async function explainHistory(mongo, conversationId, total) {
  const db = mongo.db();
  const indexes = (await db.collection('messages').indexes()).map((index) => ({
    name: index.name,
    key: index.key,
    unique: index.unique ?? false,
  }));
  const conversation = oid(conversationId);
  const shapes = [
    { label: 'latest page', filter: { conversationId: conversation }, sort: { seq: -1 } },
    {
      label: 'before=50',
      filter: { conversationId: conversation, seq: { $lt: 50 } },
      sort: { seq: -1 },
    },
    {
      label: `before=${total - 50}`,
      filter: { conversationId: conversation, seq: { $lt: total - 50 } },
      sort: { seq: -1 },
    },
    {
      label: 'after=50',
      filter: { conversationId: conversation, seq: { $gt: 50 } },
      sort: { seq: 1 },
    },
  ];
  const plans = [];
  for (const shape of shapes) {
    try {
      const raw = await db.command({
        explain: { find: 'messages', filter: shape.filter, sort: shape.sort, limit: 51 },
        verbosity: 'executionStats',
      });
      plans.push({ label: shape.label, ...summarizeExplain(raw) });
    } catch (error) {
      plans.push({ label: shape.label, error: /** @type {Error} */ (error).message });
    }
  }
  return { indexes, plans };
}

/**
 * The parts of an explain answer worth keeping: for MongoDB the plan stages (IXSCAN and its
 * index) and the counts examined; for FerretDB its pushdown flags and the SQLite query plan.
 * @param {any} raw
 */
export function summarizeExplain(raw) {
  /** @type {Record<string, unknown>} */
  const summary = {};
  /** @type {{ stage: string, indexName?: string, direction?: string }[]} */
  const stages = [];
  /** @param {any} node */
  const walk = (node) => {
    if (!node || typeof node !== 'object') return;
    if (typeof node.stage === 'string') {
      stages.push({
        stage: node.stage,
        ...(node.indexName ? { indexName: node.indexName } : {}),
        ...(node.direction ? { direction: node.direction } : {}),
      });
    }
    walk(node.inputStage);
    walk(node.queryPlan);
    if (Array.isArray(node.inputStages)) node.inputStages.forEach(walk);
  };
  walk(raw?.queryPlanner?.winningPlan);
  if (stages.length > 0) summary.stages = stages;
  const stats = raw?.executionStats;
  if (stats) {
    summary.executionStats = {
      nReturned: stats.nReturned,
      totalKeysExamined: stats.totalKeysExamined,
      totalDocsExamined: stats.totalDocsExamined,
      executionTimeMillis: stats.executionTimeMillis,
    };
  }
  // FerretDB tells whether the filter, sort and limit reached SQLite or ran in its own memory.
  const pushdown = Object.entries(raw ?? {}).filter(([key]) => /pushdown/i.test(key));
  if (pushdown.length > 0) summary.pushdown = Object.fromEntries(pushdown);
  // FerretDB reports its backend's plan under queryPlanner.Plan: SQLite's EXPLAIN QUERY PLAN
  // lines, or PostgreSQL's EXPLAIN (FORMAT JSON) tree. (Kept as `sqlitePlan` for both, the
  // name older result files use.)
  const sqlitePlan = raw?.queryPlanner?.Plan ?? raw?.queryPlanner?.plan;
  if (sqlitePlan !== undefined) summary.sqlitePlan = sqlitePlan;
  if (stages.length === 0 && sqlitePlan === undefined)
    summary.raw = JSON.stringify(raw).slice(0, 2000);
  return summary;
}

/** Fields of a command as sent that are the session's, not the query's. */
const SESSION_FIELDS = new Set([
  'lsid',
  '$db',
  '$clusterTime',
  '$readPreference',
  'txnNumber',
  'autocommit',
  'startTransaction',
  'readConcern',
  'writeConcern',
  'apiVersion',
  'maxTimeMS',
]);

/** Commands that `explain` can describe. */
const EXPLAINABLE = new Set([
  'find',
  'aggregate',
  'count',
  'distinct',
  'update',
  'delete',
  'findAndModify',
]);

/**
 * The shape of a filter or sort: its keys and operators, values replaced by their type, so
 * that the same query with other values counts as one query.
 * @param {unknown} value
 * @returns {unknown}
 */
export function shapeOf(value) {
  if (Array.isArray(value)) return value.length ? [shapeOf(value[0])] : [];
  if (value && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null)
      return /** @type {{ _bsontype?: string }} */ (value)._bsontype ?? proto.constructor?.name;
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, shapeOf(inner)]));
  }
  return typeof value;
}

/**
 * A one-line label of a captured command: name, collection, filter shape (and sort).
 * @param {import('./command-proxy.mjs').Command} command
 */
export function describeCommand(command) {
  const b = command.body;
  const filter =
    b.filter ??
    b.query ??
    b.q ??
    (Array.isArray(b.pipeline) ? b.pipeline.find((stage) => stage.$match)?.$match : undefined) ??
    command.sequences?.updates?.[0]?.q ??
    command.sequences?.deletes?.[0]?.q;
  const parts = [command.name, command.collection ?? ''];
  if (filter !== undefined) parts.push(JSON.stringify(shapeOf(filter)));
  if (b.sort) parts.push(`sort ${JSON.stringify(shapeOf(b.sort))}`);
  if (Array.isArray(b.pipeline))
    parts.push(
      `pipeline ${b.pipeline.map((/** @type {object} */ s) => Object.keys(s)[0]).join(',')}`,
    );
  if (command.documents) parts.push(`${command.documents} document(s)`);
  return parts.join(' ').trim();
}

/**
 * Ask the server how it would run a captured command (queryPlanner verbosity: plans only,
 * nothing executed, so writes are safe to explain).
 * @param {import('mongodb').MongoClient} mongo
 * @param {import('./command-proxy.mjs').Command} command
 */
export async function explainCommand(mongo, command) {
  if (!EXPLAINABLE.has(command.name)) return { explainable: false };
  /** @type {Record<string, unknown>} */
  const inner = {};
  for (const [key, value] of Object.entries(command.body))
    if (!SESSION_FIELDS.has(key)) inner[key] = value;
  // Writes carry their statements in OP_MSG document sequences: explain the first one.
  if (command.name === 'update' && command.sequences?.updates)
    inner.updates = command.sequences.updates.slice(0, 1);
  if (command.name === 'delete' && command.sequences?.deletes)
    inner.deletes = command.sequences.deletes.slice(0, 1);
  try {
    const raw = await mongo
      .db(command.database ?? undefined)
      .command({ explain: inner, verbosity: 'queryPlanner' });
    const summary = summarizeExplain(raw);
    const stages = /** @type {{ stage: string }[] | undefined} */ (summary.stages) ?? [];
    return {
      explainable: true,
      ...summary,
      // What matters on MongoDB: does any stage scan the whole collection?
      usesIndex: stages.length
        ? stages.some(
            (s) =>
              s.stage === 'IXSCAN' ||
              s.stage === 'IDHACK' ||
              s.stage === 'EXPRESS_IXSCAN' ||
              s.stage === 'EXPRESS_UPDATE',
          ) && !stages.some((s) => s.stage === 'COLLSCAN')
        : null,
    };
  } catch (error) {
    return { explainable: true, error: /** @type {Error} */ (error).message.slice(0, 300) };
  }
}
