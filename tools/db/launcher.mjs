// @ts-check
// The one database launcher for `npm start`, the test suites and benchmarks
// (ARCHITECTURE.md, "Local database"). Engine choice, in order:
//   1. MONGODB_URI is set          -> use it as is ('external').
//   2. Go or a cached binary exists -> FerretDB v1.24 on SQLite ('ferretdb').
//   3. otherwise                   -> mongodb-memory-server, a real mongod downloaded where
//                                     the internet is reachable ('mongodb-memory-server').
//
// Library:  const db = await startDatabase({ persistent: true }); ... await db.stop();
// CLI:      node tools/db/launcher.mjs [--persistent] [--data-dir DIR] -- <command> [args...]
//           runs the command with MONGODB_URI (and NATTER_DB_ENGINE) set and exits with its
//           code. Without a command it prints MONGODB_URI=... and serves until Ctrl-C.
//
// Environment: MONGODB_URI (use this server), NATTER_DB_ENGINE (force ferretdb or
// mongodb-memory-server, e.g. to run the suites on a real mongod where it can be
// downloaded), FERRETDB_BIN (use this FerretDB binary instead of building one),
// FERRETDB_LOG_LEVEL (default warn; when set, FerretDB's log is echoed to stderr).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDataDir, repoRoot } from '../lib/paths.mjs';
import { isExecutable, say, signalExitCode, superviseChild } from '../lib/proc.mjs';
import { FERRETDB_VERSION, ensureFerretDb, ferretDbPath, findGo } from './ferretdb.mjs';

const DB_NAME = 'natter';
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/** @typedef {'external' | 'ferretdb' | 'mongodb-memory-server'} Engine */
/**
 * @typedef {object} Database
 * @property {string} uri     connection string, database `natter`
 * @property {Engine} engine  which engine serves it
 * @property {() => Promise<void>} stop  stops the server (idempotent; no-op for 'external')
 */
/**
 * @typedef {object} StartOptions
 * @property {string} [dataDir]     root of the data files, kept on stop (default: `.data/db`
 *   when persistent, else a fresh temporary directory removed on stop). Each engine uses its
 *   own subdirectory (`ferretdb/`, `mongod/`): their file formats differ.
 * @property {boolean} [persistent] keep data between runs (used by `npm start`)
 * @property {(message: string) => void} [log] progress lines (default: stderr, `[db]` prefix)
 */

/**
 * Which engine startDatabase() will use on this machine.
 * @returns {Engine}
 */
export function chooseEngine() {
  if (process.env.MONGODB_URI) return 'external';
  const forced = process.env.NATTER_DB_ENGINE;
  if (forced) {
    if (forced === 'ferretdb' || forced === 'mongodb-memory-server') return forced;
    throw new Error(
      `NATTER_DB_ENGINE=${forced} is not usable: choose ferretdb or mongodb-memory-server ` +
        '(or set MONGODB_URI for an external server)',
    );
  }
  if (process.env.FERRETDB_BIN || isExecutable(ferretDbPath()) || findGo()) return 'ferretdb';
  return 'mongodb-memory-server';
}

/**
 * Start (or locate) the database and wait until it answers `ping`.
 * @param {StartOptions} [options]
 * @returns {Promise<Database>}
 */
export async function startDatabase(options = {}) {
  const log = options.log ?? ((message) => say('db', message));
  const engine = chooseEngine();

  if (engine === 'external') {
    log(`engine: external (MONGODB_URI is set; ${redact(process.env.MONGODB_URI ?? '')})`);
    return { uri: /** @type {string} */ (process.env.MONGODB_URI), engine, stop: async () => {} };
  }

  const data = prepareDataDir(options);
  try {
    const db =
      engine === 'ferretdb'
        ? await startFerretDb(data, log)
        : await startMemoryServer(data, options, log);
    const stop = once(async () => {
      try {
        await db.stop();
      } finally {
        data.cleanup();
      }
    });
    return { uri: db.uri, engine, stop };
  } catch (error) {
    data.cleanup();
    throw error;
  }
}

/**
 * @param {StartOptions} options
 * @returns {{ root: string, temporary: boolean, cleanup: () => void }}
 */
function prepareDataDir(options) {
  if (options.dataDir || options.persistent) {
    const root = path.resolve(options.dataDir ?? path.join(defaultDataDir, 'db'));
    fs.mkdirSync(root, { recursive: true });
    return { root, temporary: false, cleanup: () => {} };
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'natter-db-'));
  return {
    root,
    temporary: true,
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

// ---------------------------------------------------------------------------------------
// FerretDB

/**
 * @param {{ root: string, temporary: boolean }} data
 * @param {(message: string) => void} log
 * @returns {Promise<{ uri: string, stop: () => Promise<void> }>}
 */
async function startFerretDb(data, log) {
  const binary = await ensureFerretDb();
  const sqliteDir = path.join(data.root, 'ferretdb');
  fs.mkdirSync(sqliteDir, { recursive: true });
  const logFile = path.join(data.root, 'ferretdb.log');

  // The free port we pick can in theory be taken before FerretDB binds it: try again then.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const server = spawnFerretDb(
      binary,
      { sqliteDir, logFile, port, temporary: data.temporary },
      log,
    );
    const uri = `mongodb://127.0.0.1:${port}/${DB_NAME}?directConnection=true`;
    try {
      await waitForPing(uri, server);
    } catch (error) {
      await server.stop();
      if (attempt < 3 && /address already in use/i.test(server.output())) continue;
      throw error;
    }
    log(
      `engine: ferretdb (FerretDB ${FERRETDB_VERSION}, SQLite in ${sqliteDir}, log ${logFile}) at ${uri}`,
    );
    return { uri, stop: server.stop };
  }
}

/**
 * @typedef {object} ServerProcess
 * @property {() => boolean} exited
 * @property {() => string} output   the last lines FerretDB printed
 * @property {() => Promise<void>} stop
 */

/**
 * @param {string} binary
 * @param {{ sqliteDir: string, logFile: string, port: number, temporary: boolean }} where
 * @param {(message: string) => void} log
 * @returns {ServerProcess}
 */
function spawnFerretDb(binary, { sqliteDir, logFile, port, temporary }, log) {
  const logLevel = process.env.FERRETDB_LOG_LEVEL;
  const args = [
    '--handler=sqlite',
    `--sqlite-url=file:${sqliteDir}/`,
    `--listen-addr=127.0.0.1:${port}`,
    '--telemetry=disable',
    '--state-dir=-',
    '--debug-addr=-',
    `--log-level=${logLevel || 'warn'}`,
  ];
  // detached: its own process group, so a Ctrl-C in the terminal reaches only us and the
  // database stays up while the API drains and flushes; we stop it afterwards.
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });

  // Even at "warn" FerretDB logs every command it does not implement (the driver's
  // endSessions on each close, for one), several lines each: that goes to a log file, not
  // to the console, unless FERRETDB_LOG_LEVEL was chosen explicitly for debugging.
  // The last few KB are kept for error messages.
  const logStream = fs.createWriteStream(logFile, { flags: 'w' });
  logStream.on('error', () => {});
  const supervised = superviseChild(child, 'FerretDB', (chunk) => {
    logStream.write(chunk);
    if (logLevel) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.trim()) log(`ferretdb: ${line}`);
    }
  });

  const tracked = {
    kill: (/** @type {NodeJS.Signals} */ signal) => !supervised.exited() && child.kill(signal),
    sqliteDir,
    temporary,
  };
  liveServers.add(tracked);
  installExitHooks();

  const stop = once(async () => {
    await supervised.stop(STOP_TIMEOUT_MS);
    liveServers.delete(tracked);
    if (liveServers.size === 0) removeExitHooks();
    await new Promise((resolve) => logStream.end(resolve));
  });

  return { exited: supervised.exited, output: supervised.output, stop };
}

/**
 * Poll `ping` until it answers, FerretDB exits, or the timeout passes.
 * @param {string} uri
 * @param {ServerProcess} server
 */
async function waitForPing(uri, server) {
  const { MongoClient } = loadMongoDriver();
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const address = new URL(uri).host;
  let lastError = '';
  while (Date.now() < deadline) {
    if (server.exited()) {
      throw new Error(
        `FerretDB exited before answering on ${address}. Its log:\n${server.output()}`,
      );
    }
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 1000, connectTimeoutMS: 1000 });
    try {
      await client.db('admin').command({ ping: 1 });
      return;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    } finally {
      await client.close().catch(() => {});
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(
    `FerretDB did not answer ping on ${address} within ${READY_TIMEOUT_MS / 1000} s ` +
      `(last error: ${lastError}). Its log:\n${server.output()}`,
  );
}

/** @returns {typeof import('mongodb')} */
function loadMongoDriver() {
  try {
    // The driver mongoose depends on, resolved from the repository's node_modules.
    return createRequire(path.join(repoRoot, 'package.json'))('mongodb');
  } catch (error) {
    throw new Error(
      `the mongodb driver is not installed (${/** @type {Error} */ (error).message}); run npm ci first`,
    );
  }
}

/** @returns {Promise<number>} a port that was free a moment ago */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------
// mongodb-memory-server fallback

/**
 * @param {{ root: string, temporary: boolean }} data
 * @param {StartOptions} options
 * @param {(message: string) => void} log
 * @returns {Promise<{ uri: string, stop: () => Promise<void> }>}
 */
async function startMemoryServer(data, options, log) {
  const why =
    process.env.NATTER_DB_ENGINE === 'mongodb-memory-server'
      ? 'NATTER_DB_ENGINE=mongodb-memory-server'
      : 'No MONGODB_URI, no Go toolchain to build FerretDB and no cached FerretDB binary';
  log(`${why}: trying mongodb-memory-server (downloads a mongod on first use)...`);
  /** @type {any} */
  let mms;
  try {
    mms = await import('mongodb-memory-server-core');
  } catch (error) {
    throw new Error(
      `${why}, and mongodb-memory-server-core is not installed (${/** @type {Error} */ (error).message}). ` +
        'Fix one of: set MONGODB_URI to a running MongoDB; install Go >= 1.24 so FerretDB can be built; run npm ci.',
    );
  }
  const MongoMemoryServer = mms.MongoMemoryServer ?? mms.default?.MongoMemoryServer;
  const dbPath = path.join(data.root, 'mongod');
  fs.mkdirSync(dbPath, { recursive: true });
  /** @type {any} */
  let server;
  try {
    server = await MongoMemoryServer.create({
      instance: { ip: '127.0.0.1', dbName: DB_NAME, dbPath, storageEngine: 'wiredTiger' },
    });
  } catch (error) {
    throw new Error(
      `${why}, and mongodb-memory-server could not start: ${/** @type {Error} */ (error).message}. ` +
        'Fix one of: set MONGODB_URI to a running MongoDB; install Go >= 1.24 so FerretDB can be built; ' +
        'allow the mongod download (or set MONGOMS_SYSTEM_BINARY to a local mongod).',
    );
  }
  const uri = `mongodb://${new URL(server.getUri()).host}/${DB_NAME}?directConnection=true`;
  log(`engine: mongodb-memory-server (mongod, data in ${dbPath}) at ${uri}`);
  // mongodb-memory-server watches its mongod itself and kills it if we die.
  return {
    uri,
    stop: async () => {
      await server.stop({ doCleanup: !options.persistent && !options.dataDir });
    },
  };
}

// ---------------------------------------------------------------------------------------
// Never let FerretDB outlive this process.

/** @type {Set<{ kill: (signal: NodeJS.Signals) => unknown, sqliteDir: string, temporary: boolean }>} */
const liveServers = new Set();
const SIGNALS = /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP']);

/** Synchronous last resort on process exit or crash: no awaiting possible here. */
function killAllNow() {
  for (const server of liveServers) {
    // Persistent data: SIGTERM lets FerretDB close SQLite cleanly after we are gone.
    // Temporary data: kill outright, then the directory can be removed right away.
    server.kill(server.temporary ? 'SIGKILL' : 'SIGTERM');
    if (server.temporary)
      fs.rmSync(path.dirname(server.sqliteDir), { recursive: true, force: true });
  }
  liveServers.clear();
}

/**
 * A signal listener keeps Node from dying on that signal. When the host program has its
 * own listener it is in charge (it will call stop()); when we are the only one, we clean up
 * and then die of the same signal, as Node would have.
 * @param {NodeJS.Signals} signal
 */
function onSignal(signal) {
  if (process.listenerCount(signal) > 1) return;
  killAllNow();
  removeExitHooks();
  process.kill(process.pid, signal);
}

let hooksInstalled = false;
function installExitHooks() {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAllNow);
  // The monitor runs before Node's default crash handling without changing it.
  process.on('uncaughtExceptionMonitor', killAllNow);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function removeExitHooks() {
  if (!hooksInstalled) return;
  hooksInstalled = false;
  process.off('exit', killAllNow);
  process.off('uncaughtExceptionMonitor', killAllNow);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

// ---------------------------------------------------------------------------------------
// Helpers

/**
 * @template T
 * @param {() => Promise<T>} fn
 * @returns {() => Promise<T>}
 */
function once(fn) {
  /** @type {Promise<T> | undefined} */
  let promise;
  return () => (promise ??= fn());
}

/**
 * Hide a password in a connection string before logging it.
 * @param {string} uri
 */
function redact(uri) {
  return uri.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

// ---------------------------------------------------------------------------------------
// CLI

const USAGE =
  'usage: node tools/db/launcher.mjs [--persistent] [--data-dir DIR] [-- <command> [args...]]';

/**
 * @param {string[]} argv
 * @returns {{ options: StartOptions, command: string[] }}
 */
function parseArgs(argv) {
  /** @type {StartOptions} */
  const options = {};
  const separator = argv.indexOf('--');
  const flags = separator === -1 ? argv : argv.slice(0, separator);
  const command = separator === -1 ? [] : argv.slice(separator + 1);
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i];
    if (flag === '--persistent') options.persistent = true;
    else if (flag === '--data-dir' && flags[i + 1]) options.dataDir = flags[++i];
    else if (flag.startsWith('--data-dir=')) options.dataDir = flag.slice('--data-dir='.length);
    else throw new Error(`unknown argument ${flag}\n${USAGE}`);
  }
  return { options, command };
}

async function main() {
  const { options, command } = parseArgs(process.argv.slice(2));
  // Our own handlers from here on: the library's default "die of the signal" must not run,
  // because we want to stop the child command first and then the database.
  /** @type {import('node:child_process').ChildProcess | undefined} */
  let child;
  let stopping = false;
  /** @param {NodeJS.Signals} signal */
  const onCliSignal = (signal) => {
    if (child && child.exitCode === null && child.signalCode === null) {
      // A second signal means "now": do not wait for the command any longer.
      child.kill(stopping ? 'SIGKILL' : signal);
      stopping = true;
    } else {
      stopping = true;
      void shutdown(signalExitCode(signal));
    }
  };
  for (const signal of SIGNALS) process.on(signal, onCliSignal);

  /** @type {Database | undefined} */
  let db;
  /** @param {number} code */
  const shutdown = async (code) => {
    try {
      await db?.stop();
    } catch (error) {
      say('db', `stopping the database failed: ${/** @type {Error} */ (error).message}`);
    }
    process.exit(code);
  };

  db = await startDatabase(options);
  if (stopping) return shutdown(130);

  if (command.length === 0) {
    process.stdout.write(`MONGODB_URI=${db.uri}\n`);
    say('db', 'serving until Ctrl-C');
    return; // the signal handler stops it
  }

  child = spawn(command[0], command.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, MONGODB_URI: db.uri, NATTER_DB_ENGINE: db.engine },
  });
  child.once('error', (error) => {
    say('db', `cannot run ${command[0]}: ${error.message}`);
    void shutdown(127);
  });
  child.once('exit', (code, signal) => void shutdown(code ?? signalExitCode(signal)));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    say('db', error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
