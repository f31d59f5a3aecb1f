// @ts-check
// One running FerretDB server for the launcher (tools/db/launcher.mjs): spawn it on a free
// port with the chosen backend, wait until it answers `ping`, stop it, and never let it (or
// its temporary data) outlive this process.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { freePort } from '../lib/net.mjs';
import { repoRoot } from '../lib/paths.mjs';
import { signalChild, superviseChild } from '../lib/proc.mjs';

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/**
 * @typedef {object} FerretDbServer
 * @property {number} port
 * @property {number} pid
 * @property {() => boolean} exited
 * @property {() => string} output   the last lines FerretDB printed
 * @property {() => Promise<void>} stop  SIGTERM, then SIGKILL after a grace period; idempotent
 */

/**
 * @typedef {object} SpawnSpec
 * @property {string} binary
 * @property {string[]} backendArgs  e.g. ['--handler=sqlite', '--sqlite-url=file:/dir/']
 * @property {string} logFile
 * @property {() => void} [onCrashCleanup]  synchronous clean-up of temporary data, run by the
 *   exit hook when this process dies without stopping the server (kill first, then this)
 * @property {boolean} temporary  temporary data: the exit hook kills outright (SIGKILL)
 */

/**
 * Start FerretDB on a free port and wait until it answers. The free port we pick can in
 * theory be taken before FerretDB binds it: tried again then.
 * @param {SpawnSpec} spec
 * @param {string} dbName   database of the returned URI
 * @param {(message: string) => void} log
 * @returns {Promise<{ uri: string, server: FerretDbServer }>}
 */
export async function startFerretDbServer(spec, dbName, log) {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const server = spawnFerretDb(spec, port, log);
    const uri = `mongodb://127.0.0.1:${port}/${dbName}?directConnection=true`;
    try {
      await waitForPing(uri, server);
    } catch (error) {
      await server.stop();
      if (attempt < 3 && /address already in use/i.test(server.output())) continue;
      throw error;
    }
    return { uri, server };
  }
}

/**
 * @param {SpawnSpec} spec
 * @param {number} port
 * @param {(message: string) => void} log
 * @returns {FerretDbServer}
 */
function spawnFerretDb(spec, port, log) {
  const logLevel = process.env.FERRETDB_LOG_LEVEL;
  const args = [
    ...spec.backendArgs,
    `--listen-addr=127.0.0.1:${port}`,
    '--telemetry=disable',
    '--state-dir=-',
    // FERRETDB_DEBUG_ADDR (e.g. 127.0.0.1:8089) serves Go's pprof, for profiling the database.
    `--debug-addr=${process.env.FERRETDB_DEBUG_ADDR || '-'}`,
    `--log-level=${logLevel || 'warn'}`,
  ];
  // detached: its own process group, so a Ctrl-C in the terminal reaches only us and the
  // database stays up while the API drains and flushes; we stop it afterwards.
  const child = spawn(spec.binary, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });

  // Even at "warn" FerretDB logs every command it does not implement (the driver's
  // endSessions on each close, for one), several lines each: that goes to a log file, not
  // to the console, unless FERRETDB_LOG_LEVEL was chosen explicitly for debugging.
  // The last few KB are kept for error messages.
  const logStream = fs.createWriteStream(spec.logFile, { flags: 'w' });
  logStream.on('error', () => {});
  const supervised = superviseChild(child, 'FerretDB', (chunk) => {
    logStream.write(chunk);
    if (logLevel) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.trim()) log(`ferretdb: ${line}`);
    }
  });

  const tracked = {
    killNow() {
      // Persistent data: SIGTERM lets FerretDB close its backend cleanly after we are gone.
      // Temporary data: kill outright, then the data can be removed right away.
      signalChild(child, spec.temporary ? 'SIGKILL' : 'SIGTERM');
      if (spec.temporary) spec.onCrashCleanup?.();
    },
  };
  liveServers.add(tracked);
  installExitHooks();

  /** @type {Promise<void> | undefined} */
  let stopping;
  const stop = () =>
    (stopping ??= (async () => {
      await supervised.stop(STOP_TIMEOUT_MS);
      liveServers.delete(tracked);
      if (liveServers.size === 0) removeExitHooks();
      await new Promise((resolve) => logStream.end(resolve));
    })());

  return {
    port,
    pid: /** @type {number} */ (child.pid),
    exited: supervised.exited,
    output: supervised.output,
    stop,
  };
}

/**
 * Poll `ping` until it answers, FerretDB exits, or the timeout passes.
 * @param {string} uri
 * @param {FerretDbServer} server
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

// ---------------------------------------------------------------------------------------
// Never let FerretDB outlive this process.

/** @type {Set<{ killNow: () => void }>} */
const liveServers = new Set();
export const SIGNALS = /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP']);

/** Synchronous last resort on process exit or crash: no awaiting possible here. */
function killAllNow() {
  for (const server of liveServers) server.killNow();
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
