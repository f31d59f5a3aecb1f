// @ts-check
// The classic scenario: auth, send, history and memory in one run against one API.
//   1. auth      signup and login latency (bcrypt cost 12 on the thread pool), and whether
//                GET /api/health stays responsive during a burst of concurrent logins;
//   2. send      Socket.IO send_private_message: ack latency of sequential sends, sender-emit
//                to recipient-new_message latency, throughput of concurrent sends into one
//                conversation and across several conversations; seq gap-free check;
//   3. history   GET /api/conversations/:id/messages at several depths of a long conversation,
//                GET /api/contacts with it, sends once the collection is large, and the
//                server's `explain` of the history query;
//   4. memory    RSS (and CPU time) of the API process at checkpoints, with N idle sockets.
import { connectSocket, cpuMeter, cpuMs, pool, rssMiB, sleep, timed } from '../../harness.mjs';
import { log, round, startSession } from '../../session.mjs';
import { benchAuth } from './auth.mjs';
import { benchHistory } from './history.mjs';
import { benchSend } from './send.mjs';

/** @typedef {import('../../users.mjs').Ctx & { profile: Profile }} ClassicCtx */

/**
 * Sizes of each run. Counts are upper bounds: each loop also has a time budget (checked
 * between iterations, at least `minSamples` taken), so the run ends in bounded time on a slow
 * engine (FerretDB scans whole collections) while MongoDB reaches the full counts. The
 * number of samples actually taken is reported with every figure.
 * `full` stays within about five minutes on 2 cores with FerretDB; `quick` is a smoke run
 * (under a minute) that goes through every code path.
 */
export const PROFILES = {
  quick: {
    signups: 6,
    logins: 10,
    healthBaseline: 100,
    bursts: 1,
    burstSize: 8,
    idleSockets: 50,
    warmupSends: 10,
    sequentialSends: 100,
    concurrentWindow: 100,
    concurrentWindows: 2,
    parallelPairs: 2,
    parallelPerPair: 50,
    parallelWindows: 1,
    historyMessages: 2_000,
    historyDepths: [50, 1_000],
    historyRepeats: 5,
    contactsRepeats: 5,
    afterSeedSends: 10,
    minSamples: 3,
    sequentialBudgetMs: 10_000,
    windowsBudgetMs: 10_000,
    parallelBudgetMs: 10_000,
    pageBudgetMs: 2_000,
    contactsBudgetMs: 2_000,
    afterSeedBudgetMs: 3_000,
  },
  full: {
    signups: 10,
    logins: 20,
    healthBaseline: 300,
    bursts: 3,
    burstSize: 8,
    idleSockets: 200,
    warmupSends: 20,
    sequentialSends: 1_000,
    concurrentWindow: 500,
    concurrentWindows: 5,
    parallelPairs: 4,
    parallelPerPair: 125,
    parallelWindows: 3,
    historyMessages: 20_000,
    historyDepths: [50, 1_000, 10_000],
    historyRepeats: 20,
    contactsRepeats: 20,
    afterSeedSends: 50,
    minSamples: 3,
    sequentialBudgetMs: 20_000,
    windowsBudgetMs: 40_000,
    parallelBudgetMs: 40_000,
    pageBudgetMs: 10_000,
    contactsBudgetMs: 8_000,
    afterSeedBudgetMs: 12_000,
  },
};

/** @typedef {typeof PROFILES.full} Profile */

/**
 * @param {{ quick: boolean, seed: 'direct' | 'socket', apiEnv: Record<string, string> }} options
 */
export async function runClassic({ quick, seed, apiEnv }) {
  const profile = PROFILES[quick ? 'quick' : 'full'];
  const session = await startSession({ apiEnv });
  try {
    const { api, mongo } = session;
    /** @type {Record<string, number | null>} */
    const memory = { boot: rssMiB(api.pid) };
    /** @type {Record<string, number | null>} */
    const cpu = {};
    /** @type {ClassicCtx} */
    const ctx = { ...session.ctx, profile };
    const meter = cpuMeter(api.pid);
    /** @type {Record<string, ReturnType<ReturnType<ReturnType<typeof cpuMeter>['start']>>>} */
    const phases = {};

    // --- 1. auth --------------------------------------------------------------------------
    log('auth: signups, logins, health during a login burst...');
    let cpuBefore = cpuMs(api.pid);
    let endPhase = meter.start();
    const auth = await benchAuth(ctx);
    phases.auth = endPhase();
    cpu.authMs = delta(cpuBefore, cpuMs(api.pid));
    memory.afterAuth = rssMiB(api.pid);
    const [userA, userB, userC, userD, userIdle] = auth.users;

    // --- 4a. idle sockets ---------------------------------------------------------------------
    log(`memory: connecting ${profile.idleSockets} idle sockets...`);
    endPhase = meter.start();
    const idle = await timed(() =>
      pool(profile.idleSockets, 20, () => connectSocket(api.url, userIdle.token)),
    );
    ctx.sockets.push(...idle.value);
    await sleep(1000);
    memory.afterIdleSockets = rssMiB(api.pid);
    phases.idleSockets = endPhase();
    const idleSockets = {
      count: idle.value.length,
      connectAllMs: round(idle.ms),
      connectsPerSecond: round((idle.value.length / idle.ms) * 1000),
    };

    // --- 2. send --------------------------------------------------------------------------
    log('send: sequential acks and delivery, concurrent throughput...');
    cpuBefore = cpuMs(api.pid);
    endPhase = meter.start();
    const send = await benchSend(ctx, mongo, userA, userB);
    phases.send = endPhase();
    cpu.sendMs = delta(cpuBefore, cpuMs(api.pid));
    cpu.sendMsPerMessage = cpu.sendMs === null ? null : round(cpu.sendMs / send.messagesSent);
    memory.afterSend = rssMiB(api.pid);

    // --- 3. history -----------------------------------------------------------------------
    log(`history: seeding ${profile.historyMessages} messages (${seed}) and paging...`);
    cpuBefore = cpuMs(api.pid);
    endPhase = meter.start();
    const history = await benchHistory(ctx, mongo, seed, userC, userD, send.senderSocket, userB);
    phases.history = endPhase();
    cpu.historyMs = delta(cpuBefore, cpuMs(api.pid));
    memory.afterHistory = rssMiB(api.pid);

    for (const socket of idle.value) socket.close();
    await sleep(2000);
    memory.afterIdleSocketsClosed = rssMiB(api.pid);

    return {
      profile,
      database: session.server,
      auth: auth.figures,
      idleSockets,
      send: send.figures,
      history,
      memoryMiB: memory,
      apiCpuMs: cpu,
      // CPU in cores per phase: API, local database server, this client, and the rest of the
      // machine (other work there makes every figure of that phase less reliable).
      phases,
      apiWarnings: api.problems(),
    };
  } finally {
    await session.stop();
  }
}

/**
 * @param {number | null} before
 * @param {number | null} after
 */
function delta(before, after) {
  return before === null || after === null ? null : after - before;
}
