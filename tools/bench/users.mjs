// @ts-check
// What the benchmark does as people do it, through the real API: sign up, log in, become
// contacts, send over Socket.IO and follow deliveries. Shared by every scenario.
import { performance } from 'node:perf_hooks';
import { connectSocket, request, summarize, timed } from './harness.mjs';

/** @typedef {import('./harness.mjs').ClientSocket} ClientSocket */
/** @typedef {{ id: string, username: string, token: string }} BenchUser */
/**
 * @typedef {object} Ctx
 * @property {string} url
 * @property {string} runTag
 * @property {ClientSocket[]} sockets   closed at the end
 * @property {number} userCount
 */

export const PASSWORD = 'correct horse battery staple';

export const ACK_TIMEOUT_MS = 30_000;

/**
 * @param {Ctx} ctx
 * @returns {Promise<BenchUser>}
 */
export async function signup(ctx) {
  const username = `bn${ctx.runTag}u${ctx.userCount++}`;
  const { body } = await request(ctx.url, 'POST', '/api/signup', {
    body: { username, password: PASSWORD },
    expect: 201,
  });
  return { id: body.user.id, username, token: body.accessToken };
}

/**
 * @param {Ctx} ctx
 * @param {string} username
 */
export function login(ctx, username) {
  return request(ctx.url, 'POST', '/api/login', {
    body: { username, password: PASSWORD },
    expect: 200,
  });
}

/**
 * Make two users contacts through the real API.
 * @param {Ctx} ctx
 * @param {BenchUser} from
 * @param {BenchUser} to
 */
export async function befriend(ctx, from, to) {
  await request(ctx.url, 'POST', '/api/friend-requests/send', {
    token: from.token,
    body: { username: to.username },
    expect: 201,
  });
  const pending = await request(ctx.url, 'GET', '/api/friend-requests/pending', {
    token: to.token,
    expect: 200,
  });
  const incoming = pending.body.requests.find((/** @type {any} */ r) => r.sender.id === from.id);
  if (!incoming) throw new Error(`${to.username} has no pending request from ${from.username}`);
  await request(ctx.url, 'POST', '/api/friend-requests/accept', {
    token: to.token,
    body: { requestId: incoming.id },
    expect: 200,
  });
}

let clientCounter = 0;

/**
 * One send_private_message; resolves with the ack (ok or not).
 * @param {Ctx} ctx
 * @param {ClientSocket} socket
 * @param {string} recipientId
 * @param {string} [clientId]
 * @returns {Promise<{ ok: boolean, message?: any, error?: any }>}
 */
export function emitSend(ctx, socket, recipientId, clientId = nextClientId(ctx)) {
  const text = `bench ${clientId}: the quick brown fox jumps over the lazy dog`;
  return socket
    .timeout(ACK_TIMEOUT_MS)
    .emitWithAck('send_private_message', { recipientId, text, clientId });
}

/** @param {Ctx} ctx */
export const nextClientId = (ctx) =>
  `bench-${ctx.runTag}-${(clientCounter++).toString(36).padStart(5, '0')}`;

/**
 * Routes `new_message` events on a recipient's socket to whoever waits for that clientId.
 * @param {ClientSocket} socket
 */
export function deliveryTracker(socket) {
  /** @type {Map<string, (at: number) => void>} */
  const waiting = new Map();
  let received = 0;
  socket.on('new_message', (/** @type {any} */ payload) => {
    const at = performance.now();
    received++;
    const clientId = payload?.message?.clientId;
    const resolve = waiting.get(clientId);
    if (resolve) {
      waiting.delete(clientId);
      resolve(at);
    }
  });
  return {
    received: () => received,
    /**
     * @param {string} clientId
     * @returns {Promise<number>} when it arrived (performance.now()), or NaN after the timeout
     */
    expect(clientId) {
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiting.delete(clientId);
          resolve(NaN);
        }, ACK_TIMEOUT_MS);
        waiting.set(clientId, (at) => {
          clearTimeout(timer);
          resolve(at);
        });
      });
    },
  };
}

/**
 * Start a pair's conversation afresh through the API: removing the contact deletes the
 * conversation and its messages for both, then they become contacts again. Each send phase
 * starts with as few stored messages as possible, because on FerretDB the cost of a send
 * grows with the size of the messages collection (see benchHistory's sendAfterSeeding).
 * @param {Ctx} ctx
 * @param {BenchUser} a
 * @param {BenchUser} b
 */
export async function resetConversation(ctx, a, b) {
  await request(ctx.url, 'POST', '/api/contacts/remove', {
    token: a.token,
    body: { contactId: b.id },
    expect: 200,
  });
  await befriend(ctx, a, b);
}

/**
 * Gap-free check of the seqs acknowledged in one conversation (started from empty).
 * @param {number[]} seqs
 */
export function seqCheck(seqs) {
  const sorted = [...seqs].sort((x, y) => x - y);
  return {
    acknowledged: seqs.length,
    distinct: new Set(seqs).size,
    first: sorted[0] ?? null,
    last: sorted[sorted.length - 1] ?? null,
    gapFree: sorted.every((seq, index) => seq === index + 1),
  };
}

/**
 * Counts acks; keeps a few refusals for the report.
 */
export function ackLedger() {
  let errors = 0;
  /** @type {string[]} */
  const samples = [];
  return {
    errors: () => errors,
    samples: () => samples,
    /**
     * @param {{ ok: boolean, message?: any, error?: any }} ack
     * @param {number[]} [seqs]  where to record the seq of an accepted message
     */
    check(ack, seqs) {
      if (ack?.ok) {
        seqs?.push(ack.message.seq);
        return true;
      }
      errors++;
      if (samples.length < 5) samples.push(JSON.stringify(ack?.error ?? ack));
      return false;
    },
  };
}

/**
 * Up to `count` sequential samples, stopping early once `budgetMs` is spent (after at least
 * `min` samples).
 * @param {number} count
 * @param {number} budgetMs
 * @param {number} min
 * @param {() => Promise<number>} sample
 */
export async function repeat(count, budgetMs, min, sample) {
  /** @type {number[]} */
  const samples = [];
  const deadline = Date.now() + budgetMs;
  while (samples.length < count && (samples.length < min || Date.now() < deadline))
    samples.push(await sample());
  return samples;
}

/**
 * @param {Ctx} ctx
 * @param {ClientSocket} socket
 * @param {string} recipientId
 * @param {{ afterSeedSends: number, afterSeedBudgetMs: number, minSamples: number }} profile
 */
export async function sequentialAcks(ctx, socket, recipientId, profile) {
  let errors = 0;
  // The first one may pay for a stale seq hint (direct seeding bypasses the API).
  if (!(await emitSend(ctx, socket, recipientId)).ok) errors++;
  const samples = await repeat(
    profile.afterSeedSends,
    profile.afterSeedBudgetMs,
    profile.minSamples,
    async () => {
      const { ms, value } = await timed(() => emitSend(ctx, socket, recipientId));
      if (!value.ok) errors++;
      return ms;
    },
  );
  return { ack: summarize(samples), errors };
}

/**
 * One user with `count` contacts, each with a conversation started by one message from the
 * user (through the API), and the user's socket.
 * @param {Ctx} ctx
 * @param {number} count
 */
export async function userWithConversations(ctx, count) {
  const me = await signup(ctx);
  /** @type {BenchUser[]} */
  const contacts = [];
  for (let i = 0; i < count; i++) {
    const other = await signup(ctx);
    await befriend(ctx, me, other);
    contacts.push(other);
  }
  const socket = await connectSocket(ctx.url, me.token);
  ctx.sockets.push(socket);
  /** @type {{ conversationId: string, peerId: string, nextSeq: number }[]} */
  const conversations = [];
  for (const contact of contacts) {
    const ack = await emitSend(ctx, socket, contact.id);
    if (!ack.ok) throw new Error(`send refused: ${JSON.stringify(ack.error)}`);
    conversations.push({
      conversationId: ack.message.conversationId,
      peerId: contact.id,
      nextSeq: ack.message.seq + 1,
    });
  }
  return { me, contacts, socket, conversations };
}
