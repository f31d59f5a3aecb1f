// @ts-check
// Classic scenario, part 3: GET /api/conversations/:id/messages at several depths of a long
// conversation, GET /api/contacts with it, sends once the collection is large, and the
// server's `explain` of the history query.
import { explainHistory } from '../../explain.mjs';
import { connectSocket, request, summarize, timed } from '../../harness.mjs';
import { seedBySocket, seedDirect } from '../../seed.mjs';
import { oid } from '../../session.mjs';
import { befriend, emitSend, repeat, sequentialAcks } from '../../users.mjs';

/** @typedef {import('../../users.mjs').BenchUser} BenchUser */
/** @typedef {import('../../harness.mjs').ClientSocket} ClientSocket */
/** @typedef {import('./index.mjs').ClassicCtx} Ctx */

const round = (/** @type {number} */ value) => Math.round(value * 100) / 100;

/**
 * @param {Ctx} ctx
 * @param {import('mongodb').MongoClient} mongo
 * @param {'direct' | 'socket'} seedMethod
 * @param {BenchUser} userC   the long conversation is between C and D
 * @param {BenchUser} userD
 * @param {ClientSocket} socketA  A already talks to B: sends there after seeding
 * @param {BenchUser} userB
 */
export async function benchHistory(ctx, mongo, seedMethod, userC, userD, socketA, userB) {
  const { profile } = ctx;
  const total = profile.historyMessages;
  await befriend(ctx, userC, userD);
  const socketC = await connectSocket(ctx.url, userC.token);
  const socketD = await connectSocket(ctx.url, userD.token);
  ctx.sockets.push(socketC, socketD);

  // The first message creates the conversation through the API; its id keys direct inserts.
  const first = await emitSend(ctx, socketC, userD.id);
  if (!first.ok) throw new Error(`first history message refused: ${JSON.stringify(first.error)}`);
  const conversationId = first.message.conversationId;

  const seeding = await timed(async () => {
    if (seedMethod === 'socket') await seedBySocket(ctx, socketC, socketD, userC, userD, total);
    else await seedDirect(ctx, mongo, conversationId, userC, userD, total);
  });
  const stored = await mongo
    .db()
    .collection('messages')
    .countDocuments({ conversationId: oid(conversationId) });
  if (stored !== total) throw new Error(`seeding stored ${stored} messages, expected ${total}`);

  // Depths as seq values: before=s reads the page just below s (s-1 older messages match);
  // after=s reads the page just above s (total-s newer messages match).
  const depths = [...profile.historyDepths.filter((depth) => depth < total - 50), total - 50];
  const cases = [
    { label: 'latest page', query: 'limit=50', matching: total },
    ...depths.map((s) => ({
      label: `before=${s}`,
      query: `before=${s}&limit=50`,
      matching: s - 1,
    })),
    ...depths.map((s) => ({
      label: `after=${s}`,
      query: `after=${s}&limit=50`,
      matching: total - s,
    })),
  ];
  const pages = [];
  for (const page of cases) {
    const path = `/api/conversations/${userD.id}/messages?${page.query}`;
    const { body } = await request(ctx.url, 'GET', path, { token: userC.token, expect: 200 }); // warm-up
    const samples = await repeat(
      profile.historyRepeats,
      profile.pageBudgetMs,
      profile.minSamples,
      async () => {
        const result = await request(ctx.url, 'GET', path, { token: userC.token, expect: 200 });
        return result.ms;
      },
    );
    const seqsReturned = body.messages.map((/** @type {any} */ m) => m.seq);
    pages.push({
      ...page,
      returned: seqsReturned.length,
      firstSeq: seqsReturned[0] ?? null,
      lastSeq: seqsReturned[seqsReturned.length - 1] ?? null,
      hasMore: body.hasMore,
      latency: summarize(samples),
    });
  }

  // The contacts list counts unread messages with an aggregation over the messages collection.
  /** @param {BenchUser} user */
  const contactsList = async (user) => {
    const get = async () =>
      (await request(ctx.url, 'GET', '/api/contacts', { token: user.token, expect: 200 })).ms;
    await get(); // warm-up
    return summarize(
      await repeat(profile.contactsRepeats, profile.contactsBudgetMs, profile.minSamples, get),
    );
  };
  const contacts = {
    recipientOfLongConversation: await contactsList(userD),
    senderOfLongConversation: await contactsList(userC),
  };

  // Sends once the messages collection is large: into another conversation, and into this one.
  const storedNow = await mongo.db().collection('messages').countDocuments({});
  const sendOther = await sequentialAcks(ctx, socketA, userB.id, profile);
  const sendLong = await sequentialAcks(ctx, socketC, userD.id, profile);

  const explain = await explainHistory(mongo, conversationId, total);

  return {
    messages: total,
    seeding: {
      method: seedMethod,
      ms: round(seeding.ms),
      messagesPerSecond: round((total / seeding.ms) * 1000),
    },
    pages,
    contactsList: contacts,
    sendAfterSeeding: {
      storedMessages: storedNow,
      otherConversation: sendOther,
      longConversation: sendLong,
    },
    explain,
  };
}
