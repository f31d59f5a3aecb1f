// @ts-check
// Database round trips per operation: the API talks to its database through the counting
// proxy (tools/bench/command-proxy.mjs), and we count the commands of one send, one history
// page and one contacts list, each on its own with the API otherwise idle. Each distinct
// query is then explained on the same server: on MongoDB that shows whether an index
// answers it (IXSCAN) or the collection is scanned (COLLSCAN).
import { connectSocket, request, sleep } from '../harness.mjs';
import { countByKind } from '../command-proxy.mjs';
import { describeCommand, explainCommand } from '../explain.mjs';
import { appendMessages } from '../seed.mjs';
import { log, startSession } from '../session.mjs';
import { deliveryTracker, emitSend, nextClientId, userWithConversations } from '../users.mjs';

/** @typedef {import('../command-proxy.mjs').Command} Command */

export const ROUND_TRIPS_DEFAULTS = {
  /** The contacts of the user whose list is read, each with a conversation. */
  contacts: 5,
  /** Messages stored in the measured conversation before measuring. */
  storedMessages: 200,
  samples: 10,
  /** Quiet time after each operation for work the API defers (e.g. coalesced summaries). */
  settleMs: 300,
  /** Idle time watched first: what the API sends on its own is not any operation's. */
  idleMs: 3000,
};
export const ROUND_TRIPS_QUICK = {
  contacts: 3,
  storedMessages: 50,
  samples: 3,
  settleMs: 300,
  idleMs: 1500,
};

/**
 * @param {{ settings: typeof ROUND_TRIPS_DEFAULTS, apiEnv: Record<string, string> }} options
 */
export async function runRoundTrips({ settings, apiEnv }) {
  const session = await startSession({ apiEnv, countCommands: true });
  try {
    const { ctx, mongo } = session;
    const proxy = /** @type {import('../command-proxy.mjs').CommandProxy} */ (session.proxy);
    const {
      me,
      contacts,
      socket: mySocket,
      conversations,
    } = await userWithConversations(ctx, settings.contacts);
    const [peer] = contacts;
    const peerSocket = await connectSocket(ctx.url, peer.token);
    ctx.sockets.push(peerSocket);
    const tracker = deliveryTracker(peerSocket);
    // The measured conversation gets some history.
    const conversationIds = conversations.map((c) => c.conversationId);
    await appendMessages(mongo, {
      conversationId: conversationIds[0],
      userA: me.id,
      userB: peer.id,
      fromSeq: 2,
      count: settings.storedMessages - 1,
      tag: ctx.runTag,
    });
    // Warm-up of each operation, so caches the API keeps are in the state they would be.
    for (let i = 0; i < 3; i++) await emitSend(ctx, mySocket, peer.id);
    const historyPath = `/api/conversations/${peer.id}/messages?limit=50`;
    await request(ctx.url, 'GET', historyPath, { token: me.token, expect: 200 });
    await request(ctx.url, 'GET', '/api/contacts', { token: me.token, expect: 200 });
    await sleep(settings.settleMs);

    // What the API does on its own while idle (e.g. polling a change feed): recorded, then
    // left out of each operation's count by query shape.
    proxy.reset();
    await sleep(settings.idleMs);
    const idleCommands = proxy.commands();
    const background = new Set(idleCommands.map(describeCommand));
    const isOwn = (/** @type {Command} */ command) => !background.has(describeCommand(command));

    /**
     * @param {string} label
     * @param {() => Promise<void>} operation
     */
    const measure = async (label, operation) => {
      log(`round-trips: ${label} × ${settings.samples}...`);
      /** @type {Command[][]} */
      const perSample = [];
      for (let i = 0; i < settings.samples; i++) {
        proxy.reset();
        await operation();
        await sleep(settings.settleMs);
        perSample.push(proxy.commands().filter(isOwn));
      }
      const counts = perSample.map((commands) => commands.length);
      const sorted = [...counts].sort((a, b) => a - b);
      const median = perSample[counts.indexOf(sorted[Math.floor(sorted.length / 2)])];
      return {
        label,
        samples: counts.length,
        roundTrips: {
          min: sorted[0],
          median: sorted[Math.floor(sorted.length / 2)],
          max: sorted[sorted.length - 1],
          mean: counts.reduce((a, b) => a + b, 0) / counts.length,
        },
        // One typical sample, in order: what each round trip was.
        typical: median.map(describeCommand),
        byKind: countByKind(median),
        commands: median,
      };
    };

    const send = await measure('one text send (ack and delivery)', async () => {
      const clientId = nextClientId(ctx);
      const delivered = tracker.expect(clientId);
      const ack = await emitSend(ctx, mySocket, peer.id, clientId);
      if (!ack.ok) throw new Error(`send refused: ${JSON.stringify(ack.error)}`);
      await delivered;
    });
    const history = await measure('one history page (latest 50)', async () => {
      await request(ctx.url, 'GET', historyPath, { token: me.token, expect: 200 });
    });
    const contactsList = await measure(
      `one contacts list (${settings.contacts} contacts)`,
      async () => {
        await request(ctx.url, 'GET', '/api/contacts', { token: me.token, expect: 200 });
      },
    );

    // Each distinct query once, explained on the same server.
    /** @type {Map<string, { query: string, operations: Set<string>, explain: any }>} */
    const queries = new Map();
    for (const operation of [send, history, contactsList]) {
      for (const command of operation.commands) {
        const query = describeCommand(command);
        const known = queries.get(query);
        if (known) known.operations.add(operation.label);
        else
          queries.set(query, {
            query,
            operations: new Set([operation.label]),
            explain: await explainCommand(mongo, command),
          });
      }
    }
    const strip = (/** @type {Awaited<ReturnType<typeof measure>>} */ operation) => {
      const { commands, ...rest } = operation;
      void commands;
      return rest;
    };
    return {
      settings,
      database: session.server,
      background: {
        idleSeconds: settings.idleMs / 1000,
        perSecond: Math.round((idleCommands.length / settings.idleMs) * 10_000) / 10,
        byKind: countByKind(idleCommands),
      },
      operations: [strip(send), strip(history), strip(contactsList)],
      queries: [...queries.values()].map((q) => ({ ...q, operations: [...q.operations] })),
      apiWarnings: session.api.problems(),
    };
  } finally {
    await session.stop();
  }
}
