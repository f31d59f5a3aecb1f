// @ts-check
// Plumbing for the benchmark (tools/bench/run.mjs): the API child process, loopback HTTP
// and Socket.IO clients, and the statistics. Nothing here measures anything by itself.
// Over 300 lines because the three jobs are small and every scenario uses all of them; split
// it (process / clients / statistics) when one of them grows.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { io } from 'socket.io-client';
import { signalChild, superviseChild } from '../lib/proc.mjs';

/** @typedef {import('socket.io-client').Socket} ClientSocket */

// ---------------------------------------------------------------------------------------
// Statistics

/**
 * @typedef {object} Summary
 * @property {number} n
 * @property {number} min
 * @property {number} p50
 * @property {number} p95
 * @property {number} p99
 * @property {number} max
 * @property {number} mean
 */

const round = (/** @type {number} */ value) => Math.round(value * 100) / 100;

/**
 * Nearest-rank percentiles (no interpolation: every figure is a latency that was observed).
 * @param {number[]} samples milliseconds
 * @returns {Summary}
 */
export function summarize(samples) {
  if (samples.length === 0)
    return { n: 0, min: NaN, p50: NaN, p95: NaN, p99: NaN, max: NaN, mean: NaN };
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (/** @type {number} */ p) =>
    sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  return {
    n: sorted.length,
    min: round(sorted[0]),
    p50: round(rank(50)),
    p95: round(rank(95)),
    p99: round(rank(99)),
    max: round(sorted[sorted.length - 1]),
    mean: round(mean),
  };
}

/**
 * Time an async call in milliseconds.
 * @template T
 * @param {() => Promise<T>} fn
 * @returns {Promise<{ ms: number, value: T }>}
 */
export async function timed(fn) {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/**
 * Run `task(i)` for i in [0, count) with at most `concurrency` in flight.
 * @template T
 * @param {number} count
 * @param {number} concurrency
 * @param {(index: number) => Promise<T>} task
 * @returns {Promise<T[]>}
 */
export async function pool(count, concurrency, task) {
  /** @type {Promise<T>[]} */
  const started = [];
  const worker = async () => {
    while (started.length < count) {
      const promise = task(started.length);
      started.push(promise);
      await promise;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return Promise.all(started);
}

export const sleep = (/** @type {number} */ ms) =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** A short random tag, so names and client ids of one run never collide with another's. */
export const randomTag = (bytes = 3) => randomBytes(bytes).toString('hex');

// ---------------------------------------------------------------------------------------
// The API process

export { freePort } from '../lib/net.mjs';

/**
 * @typedef {object} ApiProcess
 * @property {number} pid
 * @property {string} url            http://127.0.0.1:<port>
 * @property {() => boolean} exited
 * @property {() => string} output   the last lines the API printed
 * @property {() => { level: number, msg: string }[]} problems  warn/error log lines
 * @property {() => Promise<void>} stop  SIGTERM, then SIGKILL after a grace period; idempotent
 */

/**
 * Spawn the built API (dist/apps/api/main.js) with the given extra environment.
 * @param {{ main: string, cwd: string, port: number, env: Record<string, string> }} options
 * @returns {ApiProcess}
 */
export function spawnApi({ main, cwd, port, env }) {
  /** @type {NodeJS.ProcessEnv} */
  const childEnv = { ...process.env };
  // Single process, in-memory rate limits and presence: a REDIS_URL inherited from the shell
  // would make the figures depend on a Redis that the benchmark does not control (pass it in
  // `env` to measure with Redis on purpose).
  delete childEnv.REDIS_URL;
  Object.assign(childEnv, env, { HOST: '127.0.0.1', PORT: String(port) });
  // detached: its own process group, so a Ctrl-C in the terminal reaches only us; we stop the
  // API first and the database after it.
  // BENCH_API_NODE_ARGS: extra Node.js flags for the API, e.g. '--cpu-prof --cpu-prof-dir=/tmp/p'
  // to profile it under load (Node refuses --cpu-prof in NODE_OPTIONS).
  const nodeArgs = (process.env.BENCH_API_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, main], {
    cwd,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let pending = '';
  /** @type {{ level: number, msg: string }[]} */
  const problems = [];
  // Warnings and errors from the API's JSON log lines are kept for the report.
  const supervised = superviseChild(child, 'API', (chunk) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      try {
        const entry = JSON.parse(line);
        if (typeof entry.level === 'number' && entry.level >= 40 && problems.length < 50) {
          problems.push({
            level: entry.level,
            msg: String(entry.msg ?? entry.message ?? line).slice(0, 300),
          });
        }
      } catch {
        // not a log line
      }
    }
  });
  // Last resort if this script dies without running its clean-up.
  const killNow = () => {
    signalChild(child, 'SIGKILL');
  };
  process.on('exit', killNow);

  /** @type {Promise<void> | undefined} */
  let stopping;
  const stop = () =>
    (stopping ??= (async () => {
      await supervised.stop(10_000);
      process.off('exit', killNow);
    })());

  return {
    pid: /** @type {number} */ (child.pid),
    url: `http://127.0.0.1:${port}`,
    exited: supervised.exited,
    output: supervised.output,
    problems: () => problems,
    stop,
  };
}

/**
 * Poll GET /api/health/ready until it answers 200.
 * @param {ApiProcess} api
 * @param {number} timeoutMs
 */
export async function waitForReady(api, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (api.exited())
      throw new Error(`the API exited before it was ready. Its output:\n${api.output()}`);
    try {
      const response = await fetch(`${api.url}/api/health/ready`, {
        signal: AbortSignal.timeout(2000),
      });
      await response.text();
      if (response.status === 200) return;
      last = `status ${response.status}`;
    } catch (error) {
      last = /** @type {Error} */ (error).message;
    }
    await sleep(200);
  }
  throw new Error(
    `the API was not ready within ${timeoutMs / 1000} s (last: ${last}). Its output:\n${api.output()}`,
  );
}

/**
 * Resident set size of a process, from /proc (Linux only).
 * @param {number} pid
 * @returns {number | null} MiB, or null where /proc is not available
 */
export function rssMiB(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/**
 * CPU time (user + system) a process has used so far, from /proc/<pid>/stat.
 * @param {number} pid
 * @returns {number | null} milliseconds
 */
export function cpuMs(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the whole line (11 and 12 after the name), in
    // clock ticks: 100 per second on every Linux this runs on.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/**
 * Ids of the direct children of a process (Linux /proc).
 * @param {number} parent
 * @returns {number[]}
 */
export function childPids(parent) {
  /** @type {number[]} */
  const pids = [];
  let entries;
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return pids;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

/** @returns {number | null} busy CPU time of the whole machine so far, ms (all cores) */
function machineBusyMs() {
  try {
    const fields = fs
      .readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const [user, nice, system, , , irq, softirq, steal] = fields;
    return (user + nice + system + irq + softirq + (steal || 0)) * 10;
  } catch {
    return null;
  }
}

/**
 * Where the CPU went during a phase: the API, the local database server (our other child
 * processes), this benchmark client, and everything else on the machine (other work that
 * skews the figures). In cores: 1.0 = one core busy for the whole phase.
 * @param {number} apiPid
 */
export function cpuMeter(apiPid) {
  const dbPids = childPids(process.pid).filter((pid) => pid !== apiPid);
  const sum = (/** @type {(number | null)[]} */ values) =>
    values.some((value) => value === null)
      ? null
      : values.reduce((total, value) => (total ?? 0) + (value ?? 0), 0);
  const snapshot = () => {
    const self = process.cpuUsage();
    return {
      at: performance.now(),
      machine: machineBusyMs(),
      api: cpuMs(apiPid),
      db: dbPids.length > 0 ? sum(dbPids.map(cpuMs)) : null,
      bench: (self.user + self.system) / 1000,
    };
  };
  return {
    localDatabase: dbPids.length > 0,
    /** Starts a phase; the returned function ends it and reports. */
    start() {
      const before = snapshot();
      return () => {
        const after = snapshot();
        const wall = after.at - before.at;
        /** @param {number | null} a @param {number | null} b */
        const cores = (a, b) => (a === null || b === null ? null : round((b - a) / wall));
        const api = cores(before.api, after.api);
        const db = cores(before.db, after.db);
        const bench = cores(before.bench, after.bench);
        const machine = cores(before.machine, after.machine);
        const other =
          machine === null
            ? null
            : round(Math.max(0, machine - (api ?? 0) - (db ?? 0) - (bench ?? 0)));
        return {
          wallSeconds: round(wall / 1000),
          cores: { api, database: db, bench, other, machine },
        };
      };
    },
  };
}

// ---------------------------------------------------------------------------------------
// HTTP

/**
 * @typedef {object} HttpResult
 * @property {number} status
 * @property {any} body     parsed JSON, or the raw text
 * @property {number} ms    from the request to the last byte of the body
 */

/**
 * One loopback request; the time covers the whole response body.
 * @param {string} baseUrl
 * @param {string} method
 * @param {string} path
 * @param {{ token?: string, body?: unknown, expect?: number }} [options]
 * @returns {Promise<HttpResult>}
 */
export async function request(baseUrl, method, path, options = {}) {
  /** @type {Record<string, string>} */
  const headers = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const start = performance.now();
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  const ms = performance.now() - start;
  /** @type {any} */
  let body = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  if (options.expect !== undefined && response.status !== options.expect) {
    throw new Error(
      `${method} ${path}: expected ${options.expect}, got ${response.status} ${text.slice(0, 300)}`,
    );
  }
  return { status: response.status, body, ms };
}

// ---------------------------------------------------------------------------------------
// Socket.IO

/**
 * Connect with the websocket transport, as the web client does; resolves once connected.
 * @param {string} url
 * @param {string} token
 * @returns {Promise<ClientSocket>}
 */
export function connectSocket(url, token) {
  const socket = io(url, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error('socket connect timed out'));
    }, 15_000);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      socket.close();
      reject(error);
    });
  });
}
