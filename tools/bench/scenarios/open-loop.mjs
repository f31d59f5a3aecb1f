// @ts-check
// The open-loop scenario (issue 9): N contact pairs, a fixed total send rate spread over the
// senders (one per pair), sends scheduled on a clock, not after the previous ack, so a slow
// server meets the same offered load as a fast one. A ladder of rates, one step each, stops
// after the first failed step plus a few overload steps that show what happens past
// saturation (throughput that plateaus, or collapses; error acks).
//
// A step passes with every send acked ok, nothing lost or duplicated and the delivery p99
// (scheduled emit -> recipient's new_message) under 50 ms. Latencies run from the scheduled
// time, so a load generator that falls behind cannot hide the server's queueing.
// The API and the database are pinned to core 0, this load generator to core 1.
import { performance } from 'node:perf_hooks';
import { connectSocket, cpuMs, pool, sleep, summarize } from '../harness.mjs';
import { cpuOf, databasePids, pin } from '../processes.mjs';
import { log, round, startSession } from '../session.mjs';
import { ACK_TIMEOUT_MS, befriend, signup } from '../users.mjs';

/** @typedef {import('../harness.mjs').ClientSocket} ClientSocket */

export const DELIVERY_P99_TARGET_MS = 50;

export const OPEN_LOOP_DEFAULTS = {
  pairs: 50,
  rates: [25, 50, 100, 200, 300, 400, 500, 600, 800],
  stepSeconds: 15,
  /** Steps run after the first failed one, to see the behaviour past saturation. */
  overloadSteps: 1,
  /** After a step's last send: how long to wait for the acks and deliveries still due. */
  drainSeconds: 10,
};
export const OPEN_LOOP_QUICK = {
  pairs: 10,
  rates: [10, 20],
  stepSeconds: 5,
  overloadSteps: 1,
  drainSeconds: 5,
};

/**
 * @typedef {object} SendRecord
 * @property {string} clientId
 * @property {number} scheduledAt   performance.now() when it was due
 * @property {number} emittedAt
 * @property {number} [ackAt]
 * @property {boolean} [ok]
 * @property {string} [errorCode]    of an error ack, or 'TIMEOUT'
 * @property {number} [deliveredAt]  first new_message at the recipient
 * @property {number} deliveries
 */

/**
 * @param {{ settings: typeof OPEN_LOOP_DEFAULTS, apiEnv: Record<string, string> }} options
 */
export async function runOpenLoop({ settings, apiEnv }) {
  const session = await startSession({ apiEnv });
  try {
    const { ctx, api } = session;
    log(`open-loop: ${settings.pairs} pairs: signing up and befriending...`);
    const users = await pool(settings.pairs * 2, 4, () => signup(ctx));
    const pairs = Array.from({ length: settings.pairs }, (_, i) => ({
      sender: users[2 * i],
      recipient: users[2 * i + 1],
    }));
    await pool(pairs.length, 4, (i) => befriend(ctx, pairs[i].sender, pairs[i].recipient));

    /** @type {Map<string, SendRecord>} */
    const records = new Map();
    let strayDeliveries = 0;
    const senders = [];
    for (const pair of pairs) {
      const [senderSocket, recipientSocket] = await Promise.all([
        connectSocket(ctx.url, pair.sender.token),
        connectSocket(ctx.url, pair.recipient.token),
      ]);
      ctx.sockets.push(senderSocket, recipientSocket);
      recipientSocket.on('new_message', (/** @type {any} */ payload) => {
        const at = performance.now();
        const record = records.get(payload?.message?.clientId);
        if (!record) return void strayDeliveries++;
        record.deliveries++;
        record.deliveredAt ??= at;
      });
      senders.push({ socket: senderSocket, recipientId: pair.recipient.id });
    }

    // Warm-up (not measured): one send per pair, at leisure.
    for (const [i, sender] of senders.entries()) {
      await sender.socket
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck('send_private_message', {
          recipientId: sender.recipientId,
          text: 'warm-up',
          clientId: `warm-${ctx.runTag}-${i}`,
        })
        .catch(() => {});
    }
    await sleep(500);

    // Pin after the set-up (signups are bcrypt-heavy and would take twice as long on one core).
    const dbPids = await databasePids(session);
    const pinning = {
      api: pin(api.pid, 0),
      database: dbPids.server ? pin(dbPids.server, 0) : 'no local database process',
      postgres: dbPids.postgres.map((pid) => pin(pid, 0)).find((error) => error) ?? null,
      loadGenerator: pin(process.pid, 1),
    };
    for (const [what, error] of Object.entries(pinning))
      if (error) log(`open-loop: could not pin ${what}: ${error}`);

    const steps = [];
    let failures = 0;
    for (const rate of settings.rates) {
      log(`open-loop: step ${rate} msg/s for ${settings.stepSeconds} s...`);
      // The step's number keeps clientIds unique when a rate is repeated (--rates 500,500).
      const stepTag = `${ctx.runTag}-s${steps.length}`;
      const step = await runStep({ rate, senders, records, session, settings, runTag: stepTag });
      steps.push(step);
      log(
        `  offered ${step.offeredPerSecond}/s, delivered ${step.deliveredPerSecond}/s in the step, ` +
          `delivery p99 ${step.deliveryMs.p99} ms, lost ${step.lost}, errors ${step.errorAcks}, ` +
          `${step.passed ? 'passed' : 'FAILED'}`,
      );
      if (!step.passed) failures++;
      if (failures > settings.overloadSteps) break;
      if (api.exited()) throw new Error(`the API exited during the step: ${api.output()}`);
    }
    const firstFailure = steps.findIndex((step) => !step.passed);
    const passedBeforeFailure = firstFailure === -1 ? steps : steps.slice(0, firstFailure);
    const sustainable = passedBeforeFailure.length
      ? Math.max(...passedBeforeFailure.map((step) => step.rate))
      : null;
    const peakDelivered = Math.max(0, ...steps.map((step) => step.deliveredPerSecond));

    return {
      settings,
      database: session.server,
      pinning,
      deliveryP99TargetMs: DELIVERY_P99_TARGET_MS,
      sustainableRate: sustainable,
      peakDeliveredPerSecond: peakDelivered,
      steps,
      strayDeliveries,
      apiWarnings: api.problems(),
    };
  } finally {
    await session.stop();
  }
}

/**
 * One step of the ladder.
 * @param {{ rate: number, senders: { socket: ClientSocket, recipientId: string }[], records: Map<string, SendRecord>, session: import('../session.mjs').Session, settings: typeof OPEN_LOOP_DEFAULTS, runTag: string }} args
 */
async function runStep({ rate, senders, records, session, settings, runTag }) {
  const total = Math.round(rate * settings.stepSeconds);
  const intervalMs = 1000 / rate;
  /** @type {SendRecord[]} */
  const step = [];

  // PostgreSQL backends can come and go with FerretDB's pool: looked up (and pinned) per step.
  const dbPids = await databasePids(session);
  for (const pid of dbPids.postgres) pin(pid, 0);
  const databaseProcesses = [dbPids.server, ...dbPids.postgres].filter(
    /** @returns {pid is number} */ (pid) => typeof pid === 'number',
  );
  const messages = session.mongo.db().collection('messages');
  const storedBefore = await messages.estimatedDocumentCount();
  const apiCpuBefore = cpuMs(session.api.pid);
  const dbCpuBefore = cpuOf(databaseProcesses);

  const start = performance.now();
  let lagMaxMs = 0;
  for (let i = 0; i < total;) {
    const now = performance.now();
    // Everything that is due goes out now: the schedule, not the acks, sets the pace.
    while (i < total && start + i * intervalMs <= now) {
      const scheduledAt = start + i * intervalMs;
      lagMaxMs = Math.max(lagMaxMs, now - scheduledAt);
      const sender = senders[i % senders.length];
      const clientId = `ol-${runTag}-${rate}-${i}`;
      /** @type {SendRecord} */
      const record = { clientId, scheduledAt, emittedAt: now, deliveries: 0 };
      records.set(clientId, record);
      step.push(record);
      sender.socket
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck('send_private_message', {
          recipientId: sender.recipientId,
          text: `open loop ${clientId}: the quick brown fox jumps over the lazy dog`,
          clientId,
        })
        .then(
          (/** @type {any} */ ack) => {
            record.ackAt = performance.now();
            record.ok = ack?.ok === true;
            if (!record.ok) record.errorCode = String(ack?.error?.code ?? 'UNKNOWN');
          },
          () => {
            record.errorCode = 'TIMEOUT';
          },
        );
      i++;
    }
    if (i < total) await sleep(Math.max(0, start + i * intervalMs - performance.now()));
  }
  const sendWindowMs = performance.now() - start;
  const stepEnd = start + settings.stepSeconds * 1000;

  // Drain: bounded wait for what is still due.
  const drainUntil = performance.now() + settings.drainSeconds * 1000;
  const settled = () =>
    step.every((r) => r.errorCode !== undefined || (r.ok === true && r.deliveredAt !== undefined));
  while (!settled() && performance.now() < drainUntil) await sleep(20);
  const settledAfterMs = performance.now() - start;
  const apiCpu = (cpuMs(session.api.pid) ?? 0) - (apiCpuBefore ?? 0);
  const dbCpu = databaseProcesses.length ? cpuOf(databaseProcesses) - dbCpuBefore : null;
  // Past saturation few sends are delivered in time while many are being worked on: the cost
  // per message stored in the same period tells the work apart from the queueing.
  const storedDuringStep = (await messages.estimatedDocumentCount()) - storedBefore;

  const acked = step.filter((r) => r.ackAt !== undefined);
  const delivered = step.filter((r) => r.deliveredAt !== undefined);
  const okAcks = step.filter((r) => r.ok === true);
  /** @type {Record<string, number>} */
  const errorCodes = {};
  for (const r of step)
    if (r.errorCode) errorCodes[r.errorCode] = (errorCodes[r.errorCode] ?? 0) + 1;
  const lost = okAcks.filter((r) => r.deliveredAt === undefined).length;
  const unanswered = step.filter((r) => r.ackAt === undefined && r.errorCode === undefined).length;
  const duplicated = step.reduce((sum, r) => sum + Math.max(0, r.deliveries - 1), 0);
  const errorAcks = step.filter((r) => r.errorCode !== undefined).length;
  const deliveryMs = summarize(
    delivered.map((r) => /** @type {number} */ (r.deliveredAt) - r.scheduledAt),
  );
  const ackMs = summarize(acked.map((r) => /** @type {number} */ (r.ackAt) - r.scheduledAt));
  const deliveredInStep = delivered.filter(
    (r) => /** @type {number} */ (r.deliveredAt) <= stepEnd,
  ).length;
  const passed =
    okAcks.length === total &&
    lost === 0 &&
    duplicated === 0 &&
    delivered.length === total &&
    deliveryMs.p99 < DELIVERY_P99_TARGET_MS;
  const perThousand = (/** @type {number | null} */ cpu, /** @type {number} */ count) =>
    cpu === null || count === 0 ? null : Math.round((cpu / count) * 1000);

  // Let a backlog finish before the next step, so steps do not measure each other (bounded).
  const calmUntil = performance.now() + settings.drainSeconds * 1000;
  while (!settled() && performance.now() < calmUntil) await sleep(50);
  for (const record of step) records.delete(record.clientId);

  return {
    rate,
    sends: total,
    offeredPerSecond: round((total / sendWindowMs) * 1000),
    deliveredPerSecond: round(deliveredInStep / settings.stepSeconds),
    deliveredByEndOfDrain: delivered.length,
    settledAfterSeconds: round(settledAfterMs / 1000),
    ackMs,
    deliveryMs,
    okAcks: okAcks.length,
    errorAcks,
    errorCodes,
    unanswered,
    lost,
    duplicated,
    loadGeneratorMaxLagMs: round(lagMaxMs),
    cpuMsPerThousandDeliveries: {
      api: perThousand(apiCpu, delivered.length),
      database: perThousand(dbCpu, delivered.length),
    },
    storedDuringStep,
    cpuMsPerThousandStored: {
      api: perThousand(apiCpu, storedDuringStep),
      database: perThousand(dbCpu, storedDuringStep),
    },
    passed,
  };
}
