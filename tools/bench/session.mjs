// @ts-check
// One benchmark session: a database from the shared launcher (or a given engine), a fresh
// database name on it, and the built API (dist/apps/api/main.js) on a free loopback port
// pointed at it, optionally through the command-counting proxy. Everything a session starts
// is stopped by session.stop(), and by the signal handlers on Ctrl-C.
// Just over 300 lines: the database-only session (engine scenario) shares this file's
// clean-up and signal handling, which is the reason to keep the two together.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient, ObjectId } from 'mongodb';
import { startDatabase } from '../db/launcher.mjs';
import { nxBin, nxEnv } from '../lib/deps.mjs';
import { freePort } from '../lib/net.mjs';
import { repoRoot } from '../lib/paths.mjs';
import { run, say } from '../lib/proc.mjs';
import { startCommandProxy } from './command-proxy.mjs';
import { randomTag, sleep, spawnApi, waitForReady } from './harness.mjs';

export const apiMain = path.join(repoRoot, 'dist', 'apps', 'api', 'main.js');
export const log = (/** @type {string} */ message) => say('bench', message);
export const round = (/** @type {number} */ value) => Math.round(value * 100) / 100;
/** @param {string} id */
export const oid = (id) => new ObjectId(id);

// ---------------------------------------------------------------------------------------
// Clean-up, whatever happens

/** @type {Set<() => Promise<void>>} stop functions of the sessions still running */
const running = new Set();
let interrupted = false;

/** Stop every session still running (error paths and Ctrl-C). */
export async function stopAll() {
  for (const stop of [...running].reverse()) await stop();
}

export function installSignalHandlers() {
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
    process.on(signal, () => {
      if (interrupted) {
        log(`${signal} again: exiting now`);
        process.exit(130);
      }
      interrupted = true;
      log(`${signal}: stopping the API and the database...`);
      void stopAll().finally(() => process.exit(130));
    });
  }
}

export const wasInterrupted = () => interrupted;

// ---------------------------------------------------------------------------------------
// Build

export async function buildProduct() {
  log('building contracts and api (Nx cache makes this quick when nothing changed)...');
  const code = await run(nxBin, ['run-many', '-t', 'build', '-p', 'contracts', 'api'], {
    cwd: repoRoot,
    env: nxEnv(),
    // stdout carries the report: the build talks on stderr.
    stdio: ['ignore', 2, 2],
  });
  if (code !== 0) throw new Error(`the build failed (exit code ${code})`);
}

// ---------------------------------------------------------------------------------------
// Session

/** Environment of every benchmark API: measure the work, not the limiter refusing it. */
const API_ENV = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  ACCESS_TOKEN_TTL_SECONDS: '3600',
  RATE_LOGIN_IP_LIMIT: '100000',
  RATE_LOGIN_USERNAME_LIMIT: '100000',
  RATE_SIGNUP_IP_LIMIT: '100000',
  RATE_API_USER_LIMIT: '1000000',
  RATE_SOCKET_EVENTS_LIMIT: '1000000',
};

/**
 * @typedef {object} SessionOptions
 * @property {import('../db/launcher.mjs').Engine} [engine]  force an engine (default: the
 *   launcher's choice)
 * @property {Record<string, string>} [apiEnv]  extra environment for the API
 * @property {boolean} [countCommands]  put the command-counting proxy between API and database
 */

/**
 * Stop steps run in reverse order, once; registered so that stopAll() runs them too.
 */
function stopper() {
  /** @type {(() => Promise<void>)[]} */
  const steps = [];
  /** @type {Promise<void> | undefined} */
  let stopping;
  const stop = () =>
    (stopping ??= (async () => {
      for (const step of steps.reverse()) {
        try {
          await step();
        } catch (error) {
          log(`clean-up step failed: ${/** @type {Error} */ (error).message}`);
        }
      }
      running.delete(stop);
    })());
  running.add(stop);
  return { steps, stop };
}

/**
 * The database of a session: the server, a fresh database name on it, a driver connected
 * to that name (the name is dropped on stop).
 * @param {import('../db/launcher.mjs').Engine | undefined} engine
 * @param {(() => Promise<void>)[]} steps
 */
async function openDatabase(engine, steps) {
  const db = await startDatabase({
    persistent: false,
    engine,
    log: (message) => say('db', message),
  });
  steps.push(() => db.stop());
  const runTag = randomTag();
  const dbName = `natter_bench_${runTag}`;
  const benchUri = withDatabase(db.uri, dbName);
  const mongo = await connectMongo(benchUri);
  steps.push(async () => {
    // Matters for an external server; a temporary FerretDB is deleted with its data.
    await mongo
      .db()
      .dropDatabase()
      .catch(() => {});
    await mongo.close();
  });
  const server = await describeServer(mongo, db.engine);
  log(`database: ${server.description} (${db.engine}), database name ${dbName}`);
  return { db, dbName, runTag, benchUri, mongo, server };
}

/**
 * A session without the API: the database only, for scenarios that drive it with the driver.
 * @param {{ engine?: import('../db/launcher.mjs').Engine }} [options]
 */
export async function startDatabaseSession(options = {}) {
  const { steps, stop } = stopper();
  try {
    return { ...(await openDatabase(options.engine, steps)), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * @param {SessionOptions} [options]
 */
export async function startSession(options = {}) {
  if (!fs.existsSync(apiMain))
    throw new Error(`${apiMain} is missing: build first (drop --no-build)`);
  const { steps, stop } = stopper();
  try {
    const { db, dbName, runTag, benchUri, mongo, server } = await openDatabase(
      options.engine,
      steps,
    );

    const proxy = options.countCommands ? await startCommandProxy(new URL(db.uri).host) : null;
    if (proxy) steps.push(() => proxy.close());
    const apiUri = proxy ? withHost(benchUri, `127.0.0.1:${proxy.port}`) : benchUri;

    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'natter-bench-'));
    steps.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    const api = spawnApi({
      main: apiMain,
      cwd: repoRoot,
      port: await freePort(),
      env: { ...API_ENV, MONGODB_URI: apiUri, DATA_DIR: dataDir, ...options.apiEnv },
    });
    steps.push(() => api.stop());
    await waitForReady(api, 60_000);
    log(`API pid ${api.pid} ready at ${api.url}`);
    await sleep(500);

    /** @type {import('./harness.mjs').ClientSocket[]} */
    const sockets = [];
    steps.push(async () => {
      for (const socket of sockets) socket.close();
    });
    /** @type {import('./users.mjs').Ctx} */
    const ctx = { url: api.url, runTag, sockets, userCount: 0 };
    return { db, dbName, mongo, server, api, proxy, ctx, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** @typedef {Awaited<ReturnType<typeof startSession>>} Session */

// ---------------------------------------------------------------------------------------
// Database helpers

/**
 * The same server, another database name (query options kept).
 * @param {string} uri
 * @param {string} name
 */
export function withDatabase(uri, name) {
  const { scheme, hosts, query } = splitUri(uri);
  return `${scheme}${hosts}/${name}${query}`;
}

/**
 * The same database and options on another host:port (for the proxy).
 * @param {string} uri
 * @param {string} host
 */
function withHost(uri, host) {
  const { scheme, path: rest } = splitUri(uri);
  return `${scheme}${host}${rest}`;
}

/** @param {string} uri */
function splitUri(uri) {
  const scheme = /^mongodb(\+srv)?:\/\//.exec(uri);
  if (!scheme)
    throw new Error('MONGODB_URI is not a mongodb:// or mongodb+srv:// connection string');
  const rest = uri.slice(scheme[0].length);
  const hostsEnd = rest.search(/[/?]/);
  const hosts = hostsEnd === -1 ? rest : rest.slice(0, hostsEnd);
  const queryStart = rest.indexOf('?');
  const query = queryStart === -1 ? '' : rest.slice(queryStart);
  return { scheme: scheme[0], hosts, path: hostsEnd === -1 ? '' : rest.slice(hostsEnd), query };
}

/** @param {string} uri */
export async function connectMongo(uri) {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  return client;
}

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
// Where and when: recorded with every result

export function gitInfo() {
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

/** The machine, and how busy it is (other work skews every figure). */
export function machineInfo() {
  return {
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: round(os.totalmem() / 1024 ** 3),
    loadAverage: os.loadavg().map(round),
  };
}
