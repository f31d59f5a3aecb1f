// @ts-check
// Latency as the database fills: send-ack and resend-ack p50/p99, a history page and the contacts list at
// 1,000, 10,000 and 50,000 stored messages, on each FerretDB backend (SQLite, and
// PostgreSQL when FERRETDB_POSTGRESQL_URL is set), or on the MONGODB_URI server.
//
// One user with a few contacts, each with a conversation; the stored messages are spread
// evenly over those conversations and written straight into the database (tools/bench/
// seed.mjs), since sending 50,000 through the API would take hours on FerretDB-SQLite.
// Every loop has a count and a time budget (at least `minSamples`), so the run is bounded
// even where one request takes seconds; each figure shows its n.
import { request, summarize, timed } from '../harness.mjs';
import { appendMessages } from '../seed.mjs';
import { log, oid, startSession } from '../session.mjs';
import { emitSend, nextClientId, repeat, userWithConversations } from '../users.mjs';

export const STORED_DEFAULTS = {
  sizes: [1_000, 10_000, 50_000],
  contacts: 5,
  sends: 30,
  pages: 10,
  lists: 10,
  /** At least one sample, even where one request outlasts the budget (FerretDB-SQLite). */
  minSamples: 1,
  /** Time budget per measured loop. */
  budgetMs: 8_000,
};
export const STORED_QUICK = {
  ...STORED_DEFAULTS,
  sizes: [200, 1_000],
  sends: 5,
  pages: 3,
  lists: 3,
  budgetMs: 2_000,
};

/**
 * The engines to compare here: an external server when MONGODB_URI is set, otherwise both
 * FerretDB backends (PostgreSQL only when configured).
 * @returns {import('../../db/launcher.mjs').Engine[]}
 */
export function storedEngines() {
  if (process.env.MONGODB_URI) return ['external'];
  return process.env.FERRETDB_POSTGRESQL_URL ? ['ferretdb', 'ferretdb-postgresql'] : ['ferretdb'];
}

/**
 * @param {{ settings: typeof STORED_DEFAULTS, engines: import('../../db/launcher.mjs').Engine[], apiEnv: Record<string, string> }} options
 */
export async function runStored({ settings, engines, apiEnv }) {
  const runs = [];
  for (const engine of engines) runs.push(await runOnEngine(engine, settings, apiEnv));
  return { settings, runs };
}

/**
 * @param {import('../../db/launcher.mjs').Engine} engine
 * @param {typeof STORED_DEFAULTS} settings
 * @param {Record<string, string>} apiEnv
 */
async function runOnEngine(engine, settings, apiEnv) {
  const session = await startSession({ engine, apiEnv });
  try {
    const { ctx, mongo } = session;
    const user = await userWithConversations(ctx, settings.contacts);
    const { me, conversations } = user;
    const mySocket = user.socket;
    const peer = user.contacts[0];
    const messages = mongo.db().collection('messages');
    const latest = `/api/conversations/${peer.id}/messages?limit=50`;

    const levels = [];
    /** @type {number[]} */
    const skipped = [];
    let timedOut = false;
    for (const size of settings.sizes) {
      // Bounded run time: once a request outlasted the client's timeout, larger sizes would
      // only be slower, and the aborted requests still load the server.
      if (timedOut) {
        skipped.push(size);
        continue;
      }
      // Top up to `size` stored messages, spread evenly over the conversations; seeding
      // continues each conversation after its newest message, the API's own sends included
      // (read from the messages: the conversation's summary is written behind the acks).
      for (const conversation of conversations) {
        const newest = await messages.findOne(
          { conversationId: oid(conversation.conversationId) },
          { sort: { seq: -1 }, projection: { seq: 1 } },
        );
        if (typeof newest?.seq === 'number') conversation.nextSeq = newest.seq + 1;
      }
      const stored = await messages.countDocuments({});
      const missing = Math.max(0, size - stored);
      log(`stored (${engine}): seeding ${missing} messages to reach ${size}...`);
      const seeding = await timed(async () => {
        for (const [i, conversation] of conversations.entries()) {
          const share =
            Math.floor(missing / conversations.length) +
            (i < missing % conversations.length ? 1 : 0);
          await appendMessages(mongo, {
            conversationId: conversation.conversationId,
            userA: me.id,
            userB: conversation.peerId,
            fromSeq: conversation.nextSeq,
            count: share,
            tag: ctx.runTag,
          });
          conversation.nextSeq += share;
        }
      });
      log(`stored (${engine}): measuring at ${await messages.countDocuments({})} messages...`);
      /** @type {string[]} */
      const timeouts = [];
      /** A request that outlasts the client's timeout ends its loop and is reported. */
      const get = (/** @type {string} */ path) => async () => {
        try {
          return (await request(ctx.url, 'GET', path, { token: me.token, expect: 200 })).ms;
        } catch (error) {
          timeouts.push(`${path}: ${/** @type {Error} */ (error).message.slice(0, 100)}`);
          return null;
        }
      };
      await get(latest)(); // warm-up
      const page = await repeatUntilFailure(settings.pages, settings, get(latest));
      const contactsList = await repeatUntilFailure(settings.lists, settings, get('/api/contacts'));
      let errors = 0;
      // The first send after seeding may pay for a stale seq the API remembered: not measured.
      const firstClientId = nextClientId(ctx);
      const first = await emitSend(ctx, mySocket, peer.id, firstClientId).catch(() => null);
      if (!first?.ok) errors++;
      const sendAck = await repeatUntilFailure(settings.sends, settings, async () => {
        try {
          const { ms, value } = await timed(() => emitSend(ctx, mySocket, peer.id));
          if (!value.ok) errors++;
          return ms;
        } catch (error) {
          timeouts.push(`send: ${/** @type {Error} */ (error).message.slice(0, 100)}`);
          return null;
        }
      });
      // A resend after a reconnect: the same clientId again, answered with the stored message.
      const resendAck = await repeatUntilFailure(settings.sends, settings, async () => {
        try {
          const { ms, value } = await timed(() => emitSend(ctx, mySocket, peer.id, firstClientId));
          if (!value.ok || value.message.id !== first?.message?.id) errors++;
          return ms;
        } catch (error) {
          timeouts.push(`resend: ${/** @type {Error} */ (error).message.slice(0, 100)}`);
          return null;
        }
      });
      levels.push({
        storedMessages: await messages.countDocuments({}),
        perConversation: Math.round(size / conversations.length),
        seedingSeconds: Math.round(seeding.ms / 100) / 10,
        sendAckMs: summarize(sendAck),
        resendAckMs: summarize(resendAck),
        sendErrors: errors,
        historyPageMs: summarize(page),
        contactsListMs: summarize(contactsList),
        failures: timeouts,
      });
      if (timeouts.length > 0) timedOut = true;
      const level = levels[levels.length - 1];
      // Figures as they come: a run stopped half-way still leaves them in the log.
      log(
        `stored (${engine}) at ${level.storedMessages}: send ack p50 ${level.sendAckMs.p50} ms, ` +
          `resend ack p50 ${level.resendAckMs.p50} ms, ` +
          `history page p50 ${level.historyPageMs.p50} ms, contacts list p50 ${level.contactsListMs.p50} ms`,
      );
    }
    return {
      engine,
      database: session.server,
      contacts: settings.contacts,
      levels,
      skippedSizes: skipped,
      apiWarnings: session.api.problems(),
    };
  } finally {
    await session.stop();
  }
}

/**
 * Like repeat(), but a failed sample (null) ends the loop.
 * @param {number} count
 * @param {{ budgetMs: number, minSamples: number }} limits
 * @param {() => Promise<number | null>} sample
 */
async function repeatUntilFailure(count, { budgetMs, minSamples }, sample) {
  let failed = false;
  const samples = await repeat(count, budgetMs, minSamples, async () => {
    if (failed) return NaN;
    const value = await sample();
    if (value === null) failed = true;
    return value ?? NaN;
  });
  return samples.filter((value) => !Number.isNaN(value));
}
