// @ts-check
// Classic scenario, part 2: Socket.IO send_private_message: ack latency of sequential sends,
// sender-emit to recipient-new_message latency, throughput of concurrent sends into one
// conversation and across several conversations; seq gap-free check.
import { performance } from 'node:perf_hooks';
import { connectSocket, sleep, summarize } from '../../harness.mjs';
import {
  ACK_TIMEOUT_MS,
  ackLedger,
  befriend,
  deliveryTracker,
  emitSend,
  nextClientId,
  resetConversation,
  seqCheck,
  signup,
} from '../../users.mjs';

/** @typedef {import('../../users.mjs').BenchUser} BenchUser */
/** @typedef {import('../../harness.mjs').ClientSocket} ClientSocket */
/** @typedef {import('./index.mjs').ClassicCtx} Ctx */

const round = (/** @type {number} */ value) => Math.round(value * 100) / 100;

/**
 * @param {Ctx} ctx
 * @param {import('mongodb').MongoClient} mongo
 * @param {BenchUser} sender
 * @param {BenchUser} recipient
 */
export async function benchSend(ctx, mongo, sender, recipient) {
  const { profile } = ctx;
  const stored = () => mongo.db().collection('messages').countDocuments({});
  await befriend(ctx, sender, recipient);
  const senderSocket = await connectSocket(ctx.url, sender.token);
  const recipientSocket = await connectSocket(ctx.url, recipient.token);
  ctx.sockets.push(senderSocket, recipientSocket);
  const tracker = deliveryTracker(recipientSocket);
  const ledger = ackLedger();
  let messagesSent = 0;

  // Sequential: the next send starts when the previous one is acknowledged and delivered.
  /** @type {number[]} */
  const seqs = [];
  for (let i = 0; i < profile.warmupSends; i++)
    ledger.check(await emitSend(ctx, senderSocket, recipient.id), seqs);
  messagesSent += profile.warmupSends;
  const storedBefore = await stored();
  /** @type {number[]} */
  const ackMs = [];
  /** @type {number[]} */
  const deliveryMs = [];
  let lost = 0;
  const deadline = Date.now() + profile.sequentialBudgetMs;
  for (let i = 0; i < profile.sequentialSends && Date.now() < deadline; i++) {
    const clientId = nextClientId(ctx);
    const delivered = tracker.expect(clientId);
    const start = performance.now();
    const ack = await emitSend(ctx, senderSocket, recipient.id, clientId);
    ackMs.push(performance.now() - start);
    messagesSent++;
    if (!ledger.check(ack, seqs)) continue;
    const at = await delivered;
    if (Number.isNaN(at)) lost++;
    else deliveryMs.push(at - start);
  }
  const sequential = {
    sends: ackMs.length,
    storedMessages: { before: storedBefore, after: await stored() },
    ack: summarize(ackMs),
    delivery: summarize(deliveryMs),
    lost,
    seqCheck: seqCheck(seqs),
  };

  // Concurrent into one conversation: windows of sends emitted at once, each window in a
  // conversation started afresh.
  const oneConversation = await sendWindows(
    ctx,
    [{ sender, recipient, socket: senderSocket, tracker }],
    {
      perPair: profile.concurrentWindow,
      windows: profile.concurrentWindows,
      budgetMs: profile.windowsBudgetMs,
      ledger,
      stored,
    },
  );
  messagesSent += oneConversation.sent;
  await resetConversation(ctx, sender, recipient);

  // Concurrent across several conversations (fresh pairs): what the per-conversation queue
  // costs compared with the server's total capacity.
  /** @type {WindowPair[]} */
  const pairs = [];
  for (let i = 0; i < profile.parallelPairs; i++) {
    const [a, b] = await Promise.all([signup(ctx), signup(ctx)]);
    await befriend(ctx, a, b);
    const [sa, sb] = await Promise.all([
      connectSocket(ctx.url, a.token),
      connectSocket(ctx.url, b.token),
    ]);
    ctx.sockets.push(sa, sb);
    pairs.push({ sender: a, recipient: b, socket: sa, tracker: deliveryTracker(sb) });
  }
  const severalConversations = await sendWindows(ctx, pairs, {
    perPair: profile.parallelPerPair,
    windows: profile.parallelWindows,
    budgetMs: profile.parallelBudgetMs,
    ledger,
    stored,
  });
  messagesSent += severalConversations.sent;

  // Leave the collection small for what follows.
  for (const pair of pairs) await resetConversation(ctx, pair.sender, pair.recipient);

  return {
    messagesSent,
    senderSocket,
    figures: {
      sequential,
      concurrentOneConversation: oneConversation.figures,
      concurrentSeveralConversations: {
        conversations: profile.parallelPairs,
        ...severalConversations.figures,
      },
      errors: ledger.errors(),
      errorSamples: ledger.samples(),
    },
  };
}

/**
 * @typedef {object} WindowPair
 * @property {BenchUser} sender
 * @property {BenchUser} recipient
 * @property {ClientSocket} socket   the sender's
 * @property {ReturnType<typeof deliveryTracker>} tracker  on the recipient's socket
 */

/**
 * Windows of sends emitted all at once (per pair), waited for to the last ack and delivery.
 * Each window starts from fresh conversations; windows stop early when the budget is spent.
 * @param {Ctx} ctx
 * @param {WindowPair[]} pairs
 * @param {{ perPair: number, windows: number, budgetMs: number, ledger: ReturnType<typeof ackLedger>, stored: () => Promise<number> }} options
 */
async function sendWindows(ctx, pairs, { perPair, windows, budgetMs, ledger, stored }) {
  /** @type {{ storedBefore: number, ackAllMs: number, deliveredAllMs: number, messagesPerSecond: number, gapFree: boolean }[]} */
  const perWindow = [];
  /** @type {number[]} */
  const ackMs = [];
  let undelivered = 0;
  let sent = 0;
  const deadline = Date.now() + budgetMs;
  for (let w = 0; w < windows && (w === 0 || Date.now() < deadline); w++) {
    for (const pair of pairs) await resetConversation(ctx, pair.sender, pair.recipient);
    const storedBefore = await stored();
    const baseline = new Map(pairs.map((pair) => [pair, pair.tracker.received()]));
    /** @type {Map<WindowPair, number[]>} */
    const seqsByPair = new Map(pairs.map((pair) => [pair, []]));
    const start = performance.now();
    /** @type {Promise<void>[]} */
    const sends = [];
    for (const pair of pairs) {
      for (let i = 0; i < perPair; i++) {
        sends.push(
          emitSend(ctx, pair.socket, pair.recipient.id).then(
            (ack) => {
              ackMs.push(performance.now() - start);
              ledger.check(ack, seqsByPair.get(pair));
            },
            (error) => {
              ledger.check({ ok: false, error: String(error) });
            },
          ),
        );
      }
    }
    await Promise.all(sends);
    const ackAll = performance.now() - start;
    sent += perPair * pairs.length;
    // Every recipient gets every message (bounded wait).
    const waitUntil = Date.now() + ACK_TIMEOUT_MS;
    const missing = () =>
      pairs.reduce(
        (sum, pair) =>
          sum + Math.max(0, perPair - (pair.tracker.received() - (baseline.get(pair) ?? 0))),
        0,
      );
    while (missing() > 0 && Date.now() < waitUntil) await sleep(2);
    const deliveredAll = performance.now() - start;
    undelivered += missing();
    perWindow.push({
      storedBefore,
      ackAllMs: round(ackAll),
      deliveredAllMs: round(deliveredAll),
      messagesPerSecond: round(((perPair * pairs.length) / ackAll) * 1000),
      gapFree: [...seqsByPair.values()].every(
        (seqs) => seqCheck(seqs).gapFree && seqs.length === perPair,
      ),
    });
    await sleep(200);
  }
  return {
    sent,
    figures: {
      perWindowSends: perPair * pairs.length,
      windows: perWindow,
      messagesPerSecond: summarize(perWindow.map((window) => window.messagesPerSecond)),
      ackFromWindowStart: summarize(ackMs),
      undelivered,
    },
  };
}
