// @ts-check
// `npm run bench`: load figures for Natter, measured against the built API over loopback.
// Speed and memory goals live here, never in timed tests (ARCHITECTURE.md, "Tests").
//
// It builds the product (Nx cache: seconds when nothing changed), starts a database with the
// shared launcher (MONGODB_URI = use that server; otherwise FerretDB on SQLite, or
// mongodb-memory-server), spawns dist/apps/api/main.js on a free loopback port with its own
// fresh database, and measures:
//   1. auth      signup and login latency (bcrypt cost 12 on the thread pool), and whether
//                GET /api/health stays responsive during a burst of concurrent logins;
//   2. send      Socket.IO send_private_message: ack latency of sequential sends, sender-emit
//                to recipient-new_message latency, throughput of concurrent sends into one
//                conversation and across several conversations; seq gap-free check;
//   3. history   GET /api/conversations/:id/messages at several depths of a long conversation,
//                GET /api/contacts with it, sends once the collection is large, and the
//                server's `explain` of the history query;
//   4. memory    RSS (and CPU time) of the API process at checkpoints, with N idle sockets.
// Prints a markdown summary on stdout (progress goes to stderr) and writes the figures as
// JSON to tools/bench/results/latest.json (--quick: quick.json, not committed).
//
// Usage: node tools/bench/run.mjs [--quick] [--no-build] [--seed=direct|socket] [--out FILE]
//                                  [--api-env KEY=VALUE]...   (extra environment for the API)
// Every loop is bounded; the API and the database are stopped at the end, on error and on
// Ctrl-C. Loopback only.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { MongoClient, ObjectId } from 'mongodb';
import { startDatabase } from '../db/launcher.mjs';
import { nxBin, nxEnv } from '../lib/deps.mjs';
import { repoRoot } from '../lib/paths.mjs';
import { run, say } from '../lib/proc.mjs';
import {
  connectSocket,
  cpuMeter,
  cpuMs,
  freePort,
  pool,
  randomTag,
  request,
  rssMiB,
  sleep,
  spawnApi,
  summarize,
  timed,
  waitForReady,
} from './harness.mjs';

/** @typedef {import('./harness.mjs').ClientSocket} ClientSocket */
/** @typedef {import('./harness.mjs').Summary} Summary */
/** @typedef {{ id: string, username: string, token: string }} BenchUser */

const here = path.dirname(fileURLToPath(import.meta.url));
const apiMain = path.join(repoRoot, 'dist', 'apps', 'api', 'main.js');
const PASSWORD = 'correct horse battery staple';
const ACK_TIMEOUT_MS = 30_000;

/**
 * Sizes of each run. Counts are upper bounds: each loop also has a time budget (checked
 * between iterations, at least `minSamples` taken), so the run ends in bounded time on a slow
 * engine (FerretDB scans whole collections) while MongoDB reaches the full counts. The
 * number of samples actually taken is reported with every figure.
 * `full` stays within about five minutes on 2 cores with FerretDB; `quick` is a smoke run
 * (under a minute) that goes through every code path.
 */
const PROFILES = {
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

const USAGE =
  'usage: node tools/bench/run.mjs [--quick] [--no-build] [--seed=direct|socket] [--out FILE] [--api-env KEY=VALUE]...';

/**
 * @param {string[]} argv
 * @returns {{ mode: 'quick' | 'full', build: boolean, seed: 'direct' | 'socket', out: string, apiEnv: Record<string, string> }}
 */
function parseArgs(argv) {
  /** @type {Record<string, string>} */
  const apiEnv = {};
  let mode = /** @type {'quick' | 'full'} */ ('full');
  let build = true;
  let seed = /** @type {'direct' | 'socket'} */ ('direct');
  /** @type {string | undefined} */
  let out;
  const args = [...argv];
  while (args.length > 0) {
    const arg = /** @type {string} */ (args.shift());
    if (arg === '--quick') mode = 'quick';
    else if (arg === '--full') mode = 'full';
    else if (arg === '--no-build') build = false;
    else if (arg === '--seed=direct' || arg === '--seed=socket')
      seed = /** @type {'direct' | 'socket'} */ (arg.slice(7));
    else if (arg === '--out' && args.length > 0) out = args.shift();
    else if (arg.startsWith('--out=')) out = arg.slice(6);
    else if (arg === '--api-env' || arg.startsWith('--api-env=')) {
      const pair = arg === '--api-env' ? args.shift() : arg.slice('--api-env='.length);
      const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(pair ?? '');
      if (!match) throw new Error(`--api-env wants KEY=VALUE, got ${pair}\n${USAGE}`);
      apiEnv[match[1]] = match[2];
    } else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  const file = out
    ? path.resolve(out)
    : path.join(here, 'results', mode === 'full' ? 'latest.json' : 'quick.json');
  return { mode, build, seed, out: file, apiEnv };
}

const log = (/** @type {string} */ message) => say('bench', message);

// ---------------------------------------------------------------------------------------
// Clean-up, whatever happens

/** @type {(() => Promise<void>)[]} run in reverse order of registration */
const cleanups = [];
/** @type {Promise<void> | undefined} */
let cleaningUp;
function cleanup() {
  return (cleaningUp ??= (async () => {
    for (const step of cleanups.reverse()) {
      try {
        await step();
      } catch (error) {
        log(`clean-up step failed: ${/** @type {Error} */ (error).message}`);
      }
    }
  })());
}

let interrupted = false;
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
  process.on(signal, () => {
    if (interrupted) {
      log(`${signal} again: exiting now`);
      process.exit(130);
    }
    interrupted = true;
    log(`${signal}: stopping the API and the database...`);
    void cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------
// Main

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const profile = PROFILES[options.mode];
  const started = Date.now();
  const loadAtStart = os.loadavg().map(round);
  if (loadAtStart[0] > os.cpus().length / 2) {
    log(
      `the machine is busy (load average ${loadAtStart.join(', ')} on ${os.cpus().length} CPUs): the figures will be noisy`,
    );
  }

  if (options.build) {
    log('building contracts, api and web (Nx cache makes this quick when nothing changed)...');
    const code = await run(nxBin, ['run-many', '-t', 'build', '-p', 'contracts', 'api', 'web'], {
      cwd: repoRoot,
      env: nxEnv(),
      // stdout carries the report: the build talks on stderr.
      stdio: ['ignore', 2, 2],
    });
    if (code !== 0) throw new Error(`the build failed (exit code ${code})`);
  }
  if (!fs.existsSync(apiMain))
    throw new Error(`${apiMain} is missing: build first (drop --no-build)`);

  // --- database and API -----------------------------------------------------------------
  const db = await startDatabase({ persistent: false, log: (message) => say('db', message) });
  cleanups.push(() => db.stop());
  const runTag = randomTag();
  const dbName = `natter_bench_${runTag}`;
  const benchUri = withDatabase(db.uri, dbName);
  const mongo = await connectMongo(benchUri);
  cleanups.push(async () => {
    // Matters for an external server; a temporary FerretDB is deleted with its directory.
    await mongo
      .db()
      .dropDatabase()
      .catch(() => {});
    await mongo.close();
  });
  const serverInfo = await describeServer(mongo, db.engine);
  log(`database: ${serverInfo.description}, database name ${dbName}`);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'natter-bench-'));
  cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const api = spawnApi({
    main: apiMain,
    cwd: repoRoot,
    port,
    env: {
      NODE_ENV: 'test',
      MONGODB_URI: benchUri,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ACCESS_TOKEN_TTL_SECONDS: '3600',
      // The benchmark measures the work, not the limiter refusing it.
      RATE_LOGIN_IP_LIMIT: '100000',
      RATE_LOGIN_USERNAME_LIMIT: '100000',
      RATE_SIGNUP_IP_LIMIT: '100000',
      RATE_API_USER_LIMIT: '1000000',
      RATE_SOCKET_EVENTS_LIMIT: '1000000',
      // Experiments, e.g. --api-env UV_THREADPOOL_SIZE=16.
      ...options.apiEnv,
    },
  });
  cleanups.push(() => api.stop());
  await waitForReady(api, 60_000);
  log(
    `API pid ${api.pid} ready at ${api.url} (${((Date.now() - started) / 1000).toFixed(1)} s after start)`,
  );
  await sleep(1000);

  /** @type {Record<string, number | null>} */
  const memory = { boot: rssMiB(api.pid) };
  /** @type {Record<string, number | null>} */
  const cpu = {};
  /** @type {ClientSocket[]} */
  const sockets = [];
  cleanups.push(async () => {
    for (const socket of sockets) socket.close();
  });

  const ctx = { url: api.url, runTag, profile, sockets, userCount: 0 };
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
  sockets.push(...idle.value);
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
  log(`history: seeding ${profile.historyMessages} messages (${options.seed}) and paging...`);
  cpuBefore = cpuMs(api.pid);
  endPhase = meter.start();
  const history = await benchHistory(
    ctx,
    mongo,
    options.seed,
    userC,
    userD,
    send.senderSocket,
    userB,
  );
  phases.history = endPhase();
  cpu.historyMs = delta(cpuBefore, cpuMs(api.pid));
  memory.afterHistory = rssMiB(api.pid);

  for (const socket of idle.value) socket.close();
  await sleep(2000);
  memory.afterIdleSocketsClosed = rssMiB(api.pid);

  const results = {
    meta: {
      date: new Date().toISOString(),
      mode: options.mode,
      profile,
      node: process.version,
      platform: `${os.type()} ${os.release()} ${os.arch()}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGiB: round(os.totalmem() / 1024 ** 3),
      // Other work on the machine skews every figure: recorded so a reader can tell.
      loadAverage: { atStart: loadAtStart, atEnd: os.loadavg().map(round) },
      database: serverInfo,
      git: gitInfo(),
      apiEnvOverrides: options.apiEnv,
      durationSeconds: 0,
    },
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
  results.meta.durationSeconds = round((Date.now() - started) / 1000);

  fs.mkdirSync(path.dirname(options.out), { recursive: true });
  fs.writeFileSync(options.out, await formatJson(results));
  process.stdout.write(report(results));
  log(`raw figures written to ${path.relative(process.cwd(), options.out) || options.out}`);
  log(`done in ${results.meta.durationSeconds} s`);
}

// ---------------------------------------------------------------------------------------
// 1. auth

/**
 * @typedef {object} Ctx
 * @property {string} url
 * @property {string} runTag
 * @property {Profile} profile
 * @property {ClientSocket[]} sockets   closed at the end
 * @property {number} userCount
 */

/**
 * @param {Ctx} ctx
 * @returns {Promise<BenchUser>}
 */
async function signup(ctx) {
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
function login(ctx, username) {
  return request(ctx.url, 'POST', '/api/login', {
    body: { username, password: PASSWORD },
    expect: 200,
  });
}

/** @param {Ctx} ctx */
async function benchAuth(ctx) {
  const { profile } = ctx;
  /** @type {BenchUser[]} */
  const users = [];
  /** @type {number[]} */
  const signupMs = [];
  for (let i = 0; i < profile.signups; i++) {
    const { ms, value } = await timed(() => signup(ctx));
    signupMs.push(ms);
    users.push(value);
  }
  const loginUser = users[users.length - 1];

  await login(ctx, loginUser.username); // warm-up
  /** @type {number[]} */
  const loginMs = [];
  for (let i = 0; i < profile.logins; i++) loginMs.push((await login(ctx, loginUser.username)).ms);

  // A wrong password costs the same bcrypt compare; measured to show the timing is alike.
  /** @type {number[]} */
  const wrongPasswordMs = [];
  for (let i = 0; i < Math.min(10, profile.logins); i++) {
    const result = await request(ctx.url, 'POST', '/api/login', {
      body: { username: loginUser.username, password: `${PASSWORD}!` },
      expect: 401,
    });
    wrongPasswordMs.push(result.ms);
  }

  // Unknown users are compared against a dummy hash: the same cost again (SPEC §4).
  /** @type {number[]} */
  const unknownUserMs = [];
  for (let i = 0; i < Math.min(10, profile.logins); i++) {
    const result = await request(ctx.url, 'POST', '/api/login', {
      body: { username: `bn${ctx.runTag}nobody${i}`, password: PASSWORD },
      expect: 401,
    });
    unknownUserMs.push(result.ms);
  }

  /** @type {number[]} */
  const healthIdle = [];
  for (let i = 0; i < profile.healthBaseline; i++)
    healthIdle.push((await request(ctx.url, 'GET', '/api/health', { expect: 200 })).ms);

  /** @type {number[]} */
  const burstHealth = [];
  /** @type {number[]} */
  const burstLogin = [];
  /** @type {number[]} */
  const burstWall = [];
  /** @type {{ ms: number, startedAfterMs: number }[]} */
  const longestStalls = [];
  for (let burstRound = 0; burstRound < profile.bursts; burstRound++) {
    let done = false;
    /** @type {{ ms: number, startedAfterMs: number }} */
    let longest = { ms: 0, startedAfterMs: 0 };
    let burstStart = performance.now();
    // Sequential health checks back to back for as long as the burst lasts.
    const poller = (async () => {
      while (!done) {
        const startedAfterMs = performance.now() - burstStart;
        const { ms } = await request(ctx.url, 'GET', '/api/health', { expect: 200 });
        burstHealth.push(ms);
        if (ms > longest.ms) longest = { ms: round(ms), startedAfterMs: round(startedAfterMs) };
      }
    })();
    await sleep(20);
    burstStart = performance.now();
    const burst = await timed(() =>
      Promise.all(Array.from({ length: profile.burstSize }, () => login(ctx, loginUser.username))),
    );
    done = true;
    await poller;
    burstWall.push(burst.ms);
    burstLogin.push(...burst.value.map((result) => result.ms));
    longestStalls.push(longest);
    await sleep(300);
  }

  return {
    users,
    figures: {
      signup: summarize(signupMs),
      login: summarize(loginMs),
      loginWrongPassword: summarize(wrongPasswordMs),
      loginUnknownUser: summarize(unknownUserMs),
      healthIdle: summarize(healthIdle),
      burst: {
        concurrentLogins: profile.burstSize,
        rounds: profile.bursts,
        wallMs: summarize(burstWall),
        login: summarize(burstLogin),
        health: summarize(burstHealth),
        // The slowest health check of each round, and when it started relative to the burst
        // (negative: just before the logins were sent).
        longestHealthStallPerRound: longestStalls,
      },
    },
  };
}

// ---------------------------------------------------------------------------------------
// 2. send

/**
 * Make two users contacts through the real API.
 * @param {Ctx} ctx
 * @param {BenchUser} from
 * @param {BenchUser} to
 */
async function befriend(ctx, from, to) {
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
function emitSend(ctx, socket, recipientId, clientId = nextClientId(ctx)) {
  const text = `bench ${clientId}: the quick brown fox jumps over the lazy dog`;
  return socket
    .timeout(ACK_TIMEOUT_MS)
    .emitWithAck('send_private_message', { recipientId, text, clientId });
}

/** @param {Ctx} ctx */
const nextClientId = (ctx) =>
  `bench-${ctx.runTag}-${(clientCounter++).toString(36).padStart(5, '0')}`;

/**
 * Routes `new_message` events on a recipient's socket to whoever waits for that clientId.
 * @param {ClientSocket} socket
 */
function deliveryTracker(socket) {
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
async function resetConversation(ctx, a, b) {
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
function seqCheck(seqs) {
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
function ackLedger() {
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
 * @param {Ctx} ctx
 * @param {import('mongodb').MongoClient} mongo
 * @param {BenchUser} sender
 * @param {BenchUser} recipient
 */
async function benchSend(ctx, mongo, sender, recipient) {
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

// ---------------------------------------------------------------------------------------
// 3. history

/**
 * @param {Ctx} ctx
 * @param {import('mongodb').MongoClient} mongo
 * @param {'direct' | 'socket'} seedMethod
 * @param {BenchUser} userC   the long conversation is between C and D
 * @param {BenchUser} userD
 * @param {ClientSocket} socketA  A already talks to B: sends there after seeding
 * @param {BenchUser} userB
 */
async function benchHistory(ctx, mongo, seedMethod, userC, userD, socketA, userB) {
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

/**
 * @param {Ctx} ctx
 * @param {ClientSocket} socket
 * @param {string} recipientId
 * @param {Profile} profile
 */
async function sequentialAcks(ctx, socket, recipientId, profile) {
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
 * Up to `count` sequential samples, stopping early once `budgetMs` is spent (after at least
 * `min` samples).
 * @param {number} count
 * @param {number} budgetMs
 * @param {number} min
 * @param {() => Promise<number>} sample
 */
async function repeat(count, budgetMs, min, sample) {
  /** @type {number[]} */
  const samples = [];
  const deadline = Date.now() + budgetMs;
  while (samples.length < count && (samples.length < min || Date.now() < deadline))
    samples.push(await sample());
  return samples;
}

/**
 * Through the API: batches of concurrent sends, alternating sides as a real conversation does.
 * @param {Ctx} ctx
 * @param {ClientSocket} socketC
 * @param {ClientSocket} socketD
 * @param {BenchUser} userC
 * @param {BenchUser} userD
 * @param {number} total  including the one already sent
 */
async function seedBySocket(ctx, socketC, socketD, userC, userD, total) {
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
 * Straight into the collection, in the shape MessagesRepository.insert stores (see
 * apps/api/src/modules/messages/message.schema.ts), then the conversation summary moved on as
 * the API would. Seqs continue from the first message, gap-free.
 * @param {Ctx} ctx
 * @param {import('mongodb').MongoClient} mongo
 * @param {string} conversationId
 * @param {BenchUser} userC
 * @param {BenchUser} userD
 * @param {number} total
 */
async function seedDirect(ctx, mongo, conversationId, userC, userD, total) {
  const messages = mongo.db().collection('messages');
  const conversation = oid(conversationId);
  const c = oid(userC.id);
  const d = oid(userD.id);
  const base = Date.now() - total * 1000;
  /** @param {number} seq */
  const doc = (seq) => {
    const fromC = seq % 2 === 1;
    return {
      conversationId: conversation,
      seq,
      senderId: fromC ? c : d,
      recipientId: fromC ? d : c,
      type: 'text',
      text: `seeded message ${seq}: the quick brown fox jumps over the lazy dog`,
      image: null,
      clientId: `seed-${ctx.runTag}-${seq}`,
      createdAt: new Date(base + seq * 1000),
      editedAt: null,
      deletedAt: null,
    };
  };
  const batch = 1000;
  for (let from = 2; from <= total; from += batch) {
    const docs = [];
    for (let seq = from; seq < Math.min(from + batch, total + 1); seq++) docs.push(doc(seq));
    await messages.insertMany(docs, { ordered: true });
    if ((from - 2 + batch) % 5000 < batch)
      log(`  seeded ${Math.min(from + batch - 1, total)}/${total}`);
  }
  const last = doc(total);
  await mongo
    .db()
    .collection('conversations')
    .updateOne(
      { _id: conversation },
      {
        $set: {
          lastSeq: total,
          lastMessage: {
            seq: total,
            senderId: last.senderId,
            type: 'text',
            text: last.text,
            createdAt: last.createdAt,
          },
          lastActivityAt: last.createdAt,
        },
      },
    );
}

/**
 * What the server says about the history queries (the repository's pageBackward/pageForward
 * shapes), and which indexes the messages collection has.
 * @param {import('mongodb').MongoClient} mongo
 * @param {string} conversationId
 * @param {number} total
 */
async function explainHistory(mongo, conversationId, total) {
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
function summarizeExplain(raw) {
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
  // FerretDB's SQLite backend reports SQLite's EXPLAIN QUERY PLAN under queryPlanner.Plan.
  const sqlitePlan = raw?.queryPlanner?.Plan ?? raw?.queryPlanner?.plan;
  if (sqlitePlan !== undefined) summary.sqlitePlan = sqlitePlan;
  if (stages.length === 0 && sqlitePlan === undefined)
    summary.raw = JSON.stringify(raw).slice(0, 2000);
  return summary;
}

// ---------------------------------------------------------------------------------------
// Database helpers

/**
 * The same server, another database name (query options kept).
 * @param {string} uri
 * @param {string} name
 */
function withDatabase(uri, name) {
  const scheme = /^mongodb(\+srv)?:\/\//.exec(uri);
  if (!scheme)
    throw new Error('MONGODB_URI is not a mongodb:// or mongodb+srv:// connection string');
  const rest = uri.slice(scheme[0].length);
  const hostsEnd = rest.search(/[/?]/);
  const hosts = hostsEnd === -1 ? rest : rest.slice(0, hostsEnd);
  const queryStart = rest.indexOf('?');
  const query = queryStart === -1 ? '' : rest.slice(queryStart);
  return `${scheme[0]}${hosts}/${name}${query}`;
}

/** @param {string} uri */
async function connectMongo(uri) {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  return client;
}

/** @param {string} id */
const oid = (id) => new ObjectId(id);

/**
 * @param {import('mongodb').MongoClient} mongo
 * @param {string} engine
 */
async function describeServer(mongo, engine) {
  /** @type {any} */
  let info = {};
  try {
    info = await mongo.db('admin').command({ buildInfo: 1 });
  } catch {
    // some servers refuse buildInfo to unprivileged users
  }
  const ferretdb = info.ferretdb?.version ?? info.ferretdbVersion ?? null;
  const backend = info.ferretdb?.package ?? null;
  const description = ferretdb
    ? `FerretDB ${ferretdb} (reports MongoDB ${info.version})`
    : info.version
      ? `MongoDB ${info.version}`
      : 'unknown server';
  return {
    engine,
    description,
    version: info.version ?? null,
    ferretdbVersion: ferretdb,
    ferretdbBuild: backend,
  };
}

// ---------------------------------------------------------------------------------------
// Report

/**
 * @param {number | null} before
 * @param {number | null} after
 */
function delta(before, after) {
  return before === null || after === null ? null : after - before;
}

const round = (/** @type {number} */ value) => Math.round(value * 100) / 100;

/**
 * JSON as the repository's Prettier would write it, so `npm run format` leaves the committed
 * results alone; plain JSON.stringify where Prettier is not installed.
 * @param {unknown} value
 */
async function formatJson(value) {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  try {
    const prettier = await import('prettier');
    const config = (await prettier.resolveConfig(path.join(repoRoot, 'package.json'))) ?? {};
    return await prettier.format(text, { ...config, parser: 'json' });
  } catch {
    return text;
  }
}

function gitInfo() {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: repoRoot,
      encoding: 'utf8',
    }).trim();
    const dirty =
      execFileSync('git', ['status', '--porcelain', '--', 'apps', 'libs'], {
        cwd: repoRoot,
        encoding: 'utf8',
      }).trim() !== '';
    return { commit, uncommittedChangesInAppsOrLibs: dirty };
  } catch {
    return null;
  }
}

/** @param {number | null | undefined} value */
const ms = (value) =>
  value === null || value === undefined || Number.isNaN(value)
    ? '–'
    : value.toFixed(value < 10 ? 2 : 1);

/**
 * @param {any} r  the results object
 * @returns {string} markdown
 */
function report(r) {
  const lines = [];
  const m = r.meta;
  lines.push(`## Natter benchmark (${m.mode}, ${m.date})`, '');
  lines.push(
    `${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, database: ${m.database.description} (${m.database.engine}), ` +
      `commit ${m.git?.commit ?? '?'}${m.git?.uncommittedChangesInAppsOrLibs ? ' + uncommitted changes' : ''}, ${m.durationSeconds} s, ` +
      `load average ${m.loadAverage.atStart[0]} at start, ${m.loadAverage.atEnd[0]} at end.`,
    '',
  );

  /** @param {string} label @param {Summary} s @param {string} [note] */
  const row = (label, s, note = '') =>
    `| ${label} | ${s.n} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${ms(s.max)} | ${note} |`;
  const head = [
    '| what | n | p50 ms | p95 ms | p99 ms | max ms | note |',
    '|---|---:|---:|---:|---:|---:|---|',
  ];

  lines.push('### Auth', '', ...head);
  lines.push(row('POST /api/signup (sequential)', r.auth.signup));
  lines.push(row('POST /api/login (sequential)', r.auth.login));
  lines.push(row('POST /api/login, wrong password', r.auth.loginWrongPassword));
  lines.push(row('POST /api/login, unknown user', r.auth.loginUnknownUser));
  lines.push(row('GET /api/health, idle', r.auth.healthIdle));
  lines.push(
    row(
      `POST /api/login, ${r.auth.burst.concurrentLogins} at once`,
      r.auth.burst.login,
      `${r.auth.burst.rounds} rounds, burst wall p50 ${ms(r.auth.burst.wallMs.p50)} ms`,
    ),
  );
  const stalls = r.auth.burst.longestHealthStallPerRound
    .map(
      (/** @type {any} */ stall) => `${ms(stall.ms)} ms (sent at +${ms(stall.startedAfterMs)} ms)`,
    )
    .join(', ');
  lines.push(
    row(
      'GET /api/health during the burst',
      r.auth.burst.health,
      `back-to-back; slowest per round: ${stalls}`,
    ),
  );
  lines.push('');

  const s = r.send;
  lines.push('### Send (Socket.IO)', '', ...head);
  const storedSeq = `${s.sequential.storedMessages.before}→${s.sequential.storedMessages.after} messages stored`;
  lines.push(row('ack, sequential sends', s.sequential.ack, storedSeq));
  lines.push(
    row(
      'emit → recipient new_message',
      s.sequential.delivery,
      s.sequential.lost ? `${s.sequential.lost} lost` : '',
    ),
  );
  lines.push(
    row(
      `ack from window start, ${s.concurrentOneConversation.perWindowSends} at once, 1 conversation`,
      s.concurrentOneConversation.ackFromWindowStart,
    ),
  );
  lines.push(
    row(
      `ack from window start, ${s.concurrentSeveralConversations.perWindowSends} at once, ${s.concurrentSeveralConversations.conversations} conversations`,
      s.concurrentSeveralConversations.ackFromWindowStart,
    ),
  );
  lines.push('');
  lines.push(
    '| throughput | windows | msg/s p50 | msg/s min | msg/s max | all acked, ms (p50) | all delivered, ms (p50) | undelivered | seq gap-free |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
  );
  for (const [label, t] of [
    ['1 conversation', s.concurrentOneConversation],
    [
      `${s.concurrentSeveralConversations.conversations} conversations`,
      s.concurrentSeveralConversations,
    ],
  ]) {
    const acked = summarize(t.windows.map((/** @type {any} */ w) => w.ackAllMs)).p50;
    const delivered = summarize(t.windows.map((/** @type {any} */ w) => w.deliveredAllMs)).p50;
    const gapFree = t.windows.every((/** @type {any} */ w) => w.gapFree);
    lines.push(
      `| ${t.perWindowSends} sends at once, ${label} | ${t.windows.length} | ${t.messagesPerSecond.p50.toFixed(0)} | ${t.messagesPerSecond.min.toFixed(0)} | ` +
        `${t.messagesPerSecond.max.toFixed(0)} | ${ms(acked)} | ${ms(delivered)} | ${t.undelivered} | ${gapFree} |`,
    );
  }
  lines.push('');
  const sc = s.sequential.seqCheck;
  lines.push(
    `seq check, sequential conversation: ${sc.acknowledged} acknowledged, ${sc.distinct} distinct, ${sc.first}..${sc.last}, gap-free: ${sc.gapFree}. ` +
      `Each window starts from an emptied conversation. Refused or failed sends: ${s.errors}${s.errors ? ` (${s.errorSamples.join('; ')})` : ''}.`,
    '',
  );

  const h = r.history;
  lines.push(
    `### History (${h.messages} messages in one conversation; seeded ${h.seeding.method}, ${h.seeding.messagesPerSecond.toFixed(0)} msg/s)`,
    '',
  );
  lines.push(
    '| GET …/messages? | matching docs | returned | seqs | p50 ms | p95 ms | max ms |',
    '|---|---:|---:|---|---:|---:|---:|',
  );
  for (const page of h.pages) {
    lines.push(
      `| ${page.query} | ${page.matching} | ${page.returned} | ${page.firstSeq}..${page.lastSeq}${page.hasMore ? ' (more)' : ''} | ${ms(page.latency.p50)} | ${ms(page.latency.p95)} | ${ms(page.latency.max)} |`,
    );
  }
  lines.push('', ...head);
  lines.push(
    row(
      'GET /api/contacts, recipient of the long conversation',
      h.contactsList.recipientOfLongConversation,
    ),
  );
  lines.push(
    row(
      'GET /api/contacts, sender of the long conversation',
      h.contactsList.senderOfLongConversation,
    ),
  );
  const storedNote = `${h.sendAfterSeeding.storedMessages} messages stored`;
  lines.push(
    row(
      'send ack, another (empty) conversation',
      h.sendAfterSeeding.otherConversation.ack,
      storedNote,
    ),
  );
  lines.push(
    row('send ack, the long conversation', h.sendAfterSeeding.longConversation.ack, storedNote),
  );
  lines.push('');
  lines.push(
    `indexes on messages: ${h.explain.indexes.map((/** @type {any} */ i) => `${i.name} ${JSON.stringify(i.key)}${i.unique ? ' unique' : ''}`).join('; ')}`,
    '',
  );
  for (const plan of h.explain.plans) {
    const parts = [];
    if (plan.stages)
      parts.push(
        plan.stages
          .map((/** @type {any} */ st) => st.stage + (st.indexName ? `(${st.indexName})` : ''))
          .join(' ← '),
      );
    if (plan.executionStats)
      parts.push(
        `keys ${plan.executionStats.totalKeysExamined}, docs ${plan.executionStats.totalDocsExamined}, returned ${plan.executionStats.nReturned}`,
      );
    if (plan.pushdown)
      parts.push(
        Object.entries(plan.pushdown)
          .map(([key, value]) => `${key}=${value}`)
          .join(', '),
      );
    if (plan.sqlitePlan) parts.push(`SQLite: ${JSON.stringify(plan.sqlitePlan)}`);
    if (plan.error) parts.push(`error: ${plan.error}`);
    lines.push(`- explain ${plan.label}: ${parts.join('; ')}`);
  }
  lines.push('');

  lines.push('### Memory and CPU of the API process', '');
  lines.push('| checkpoint | RSS MiB |', '|---|---:|');
  for (const [key, value] of Object.entries(r.memoryMiB))
    lines.push(`| ${key} | ${value ?? '–'} |`);
  lines.push('');
  lines.push(
    `idle sockets: ${r.idleSockets.count} connected in ${ms(r.idleSockets.connectAllMs)} ms (${r.idleSockets.connectsPerSecond.toFixed(0)}/s). ` +
      `API CPU: auth ${r.apiCpuMs.authMs} ms, send ${r.apiCpuMs.sendMs} ms (${r.apiCpuMs.sendMsPerMessage} ms per message), history ${r.apiCpuMs.historyMs} ms.`,
    '',
  );
  lines.push(
    '| phase | wall s | API cores | DB cores | bench cores | other work on the machine, cores |',
    '|---|---:|---:|---:|---:|---:|',
  );
  for (const [name, phase] of Object.entries(r.phases)) {
    const c = /** @type {any} */ (phase).cores;
    lines.push(
      `| ${name} | ${/** @type {any} */ (phase).wallSeconds} | ${c.api ?? '–'} | ${c.database ?? '–'} | ${c.bench ?? '–'} | ${c.other ?? '–'} |`,
    );
  }
  lines.push('');
  if (r.apiWarnings.length > 0) {
    lines.push(`API warnings/errors logged: ${r.apiWarnings.length}`, '');
    for (const warning of r.apiWarnings.slice(0, 10))
      lines.push(`- level ${warning.level}: ${warning.msg}`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

main()
  .then(() => cleanup())
  .then(() => process.exit(0))
  .catch(async (error) => {
    if (interrupted) return; // the signal handler is cleaning up and will exit
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    await cleanup();
    process.exit(1);
  });
