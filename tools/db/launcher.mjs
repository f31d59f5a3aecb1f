// @ts-check
// Over 300 lines: engine choice, FerretDB on SQLite and on PostgreSQL, and process supervision
// are one lifecycle (start, wait until ready, stop and clean up on every exit path).
// The one database launcher for `npm start`, the test suites and benchmarks
// (ARCHITECTURE.md, "Local database"). Engine choice, in order:
//   1. MONGODB_URI is set             -> use it as is ('external').
//   2. NATTER_DB_ENGINE is set        -> that engine (forced).
//   3. FERRETDB_POSTGRESQL_URL is set -> FerretDB v1.24 on that PostgreSQL
//                                        ('ferretdb-postgresql').
//   4. Go or a cached binary exists   -> FerretDB v1.24 on SQLite ('ferretdb'), the
//                                        zero-setup default.
//   5. otherwise                      -> mongodb-memory-server, a real mongod downloaded
//                                        where the internet is reachable.
//
// Library:  const db = await startDatabase({ persistent: true }); ... await db.stop();
// CLI:      node tools/db/launcher.mjs [--persistent] [--data-dir DIR] -- <command> [args...]
//           runs the command with MONGODB_URI (and NATTER_DB_ENGINE) set and exits with its
//           code. Without a command it prints MONGODB_URI=... and serves until Ctrl-C.
//
// Environment: MONGODB_URI (use this server), NATTER_DB_ENGINE (force ferretdb,
// ferretdb-postgresql or mongodb-memory-server), FERRETDB_POSTGRESQL_URL (FerretDB on this
// PostgreSQL: persistent runs use the database it names, created when missing; temporary
// runs create a database of their own and drop it on exit), FERRETDB_BIN (use this FerretDB
// binary instead of building one), FERRETDB_LOG_LEVEL (default warn; when set, FerretDB's
// log is echoed to stderr).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCli } from '../lib/cli.mjs';
import { defaultDataDir } from '../lib/paths.mjs';
import { isAlive, isExecutable, say, signalChild, signalExitCode } from '../lib/proc.mjs';
import { FERRETDB_VERSION, ensureFerretDb, ferretDbPath, findGo } from './ferretdb.mjs';
import { SIGNALS, startFerretDbServer } from './ferretdb-server.mjs';
import {
  databaseOf,
  dropPostgresDatabase,
  dropPostgresDatabaseSync,
  dropStaleTemporaryDatabases,
  ensurePostgresDatabase,
  parsePostgresUrl,
  temporaryDatabaseName,
  withPostgresDatabase,
} from './postgresql.mjs';

const DB_NAME = 'natter';
export const ENGINES = /** @type {const} */ ([
  'external',
  'ferretdb',
  'ferretdb-postgresql',
  'mongodb-memory-server',
]);

/** @typedef {typeof ENGINES[number]} Engine */
/**
 * @typedef {object} Database
 * @property {string} uri     connection string, database `natter`
 * @property {Engine} engine  which engine serves it
 * @property {number | null} pid  the local server process (FerretDB or mongod), if we run one
 * @property {string | null} postgresUrl  for 'ferretdb-postgresql': the PostgreSQL database
 *   FerretDB stores into (e.g. for benchmarks that measure PostgreSQL's own work)
 * @property {() => Promise<void>} stop  stops the server (idempotent; no-op for 'external')
 */
/**
 * @typedef {object} StartOptions
 * @property {string} [dataDir]     root of the data files, kept on stop (default: `.data/db`
 *   when persistent, else a fresh temporary directory removed on stop). Each engine uses its
 *   own subdirectory (`ferretdb/`, `mongod/`): their file formats differ. FerretDB on
 *   PostgreSQL keeps only its log there.
 * @property {boolean} [persistent] keep data between runs (used by `npm start`)
 * @property {Engine} [engine]      use this engine instead of chooseEngine()'s (benchmarks
 *   that compare engines); 'ferretdb-postgresql' still needs FERRETDB_POSTGRESQL_URL
 * @property {(message: string) => void} [log] progress lines (default: stderr, `[db]` prefix)
 */

/**
 * Which engine startDatabase() will use on this machine.
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {Engine}
 */
export function chooseEngine(env = process.env) {
  if (env.MONGODB_URI) return 'external';
  const forced = env.NATTER_DB_ENGINE;
  if (forced) {
    if (forced === 'ferretdb' || forced === 'mongodb-memory-server') return forced;
    if (forced === 'ferretdb-postgresql') {
      if (!env.FERRETDB_POSTGRESQL_URL)
        throw new Error('NATTER_DB_ENGINE=ferretdb-postgresql needs FERRETDB_POSTGRESQL_URL');
      return forced;
    }
    throw new Error(
      `NATTER_DB_ENGINE=${forced} is not usable: choose ferretdb, ferretdb-postgresql or ` +
        'mongodb-memory-server (or set MONGODB_URI for an external server)',
    );
  }
  // A PostgreSQL chosen on purpose needs FerretDB: ensureFerretDb() says so if it is missing,
  // rather than silently running on another engine.
  if (env.FERRETDB_POSTGRESQL_URL) return 'ferretdb-postgresql';
  if (env.FERRETDB_BIN || isExecutable(ferretDbPath()) || findGo()) return 'ferretdb';
  return 'mongodb-memory-server';
}

/**
 * Start (or locate) the database and wait until it answers `ping`.
 * @param {StartOptions} [options]
 * @returns {Promise<Database>}
 */
export async function startDatabase(options = {}) {
  const log = options.log ?? ((message) => say('db', message));
  const engine = options.engine ?? chooseEngine();
  if (engine === 'ferretdb-postgresql' && !process.env.FERRETDB_POSTGRESQL_URL)
    throw new Error('FerretDB on PostgreSQL needs FERRETDB_POSTGRESQL_URL');

  if (engine === 'external') {
    log(`engine: external (MONGODB_URI is set; ${redact(process.env.MONGODB_URI ?? '')})`);
    return {
      uri: /** @type {string} */ (process.env.MONGODB_URI),
      engine,
      pid: null,
      postgresUrl: null,
      stop: async () => {},
    };
  }

  const data = prepareDataDir(options);
  try {
    const db =
      engine === 'ferretdb'
        ? await startFerretDbOnSqlite(data, log)
        : engine === 'ferretdb-postgresql'
          ? await startFerretDbOnPostgres(data, log)
          : await startMemoryServer(data, options, log);
    const stop = once(async () => {
      try {
        await db.stop();
      } finally {
        data.cleanup();
      }
    });
    return { uri: db.uri, engine, pid: db.pid, postgresUrl: db.postgresUrl ?? null, stop };
  } catch (error) {
    data.cleanup();
    throw error;
  }
}

/**
 * @typedef {object} DataDir
 * @property {string} root
 * @property {boolean} temporary
 * @property {() => void} cleanup
 */

/**
 * @param {StartOptions} options
 * @returns {DataDir}
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
 * @typedef {{ uri: string, pid: number | null, postgresUrl?: string, stop: () => Promise<void> }} Started
 */

/**
 * @param {DataDir} data
 * @param {(message: string) => void} log
 * @returns {Promise<Started>}
 */
async function startFerretDbOnSqlite(data, log) {
  const binary = await ensureFerretDb();
  const sqliteDir = path.join(data.root, 'ferretdb');
  fs.mkdirSync(sqliteDir, { recursive: true });
  const logFile = path.join(data.root, 'ferretdb.log');
  const { uri, server } = await startFerretDbServer(
    {
      binary,
      backendArgs: ['--handler=sqlite', `--sqlite-url=file:${sqliteDir}/`],
      logFile,
      temporary: data.temporary,
      onCrashCleanup: () => fs.rmSync(data.root, { recursive: true, force: true }),
    },
    DB_NAME,
    log,
  );
  log(
    `engine: ferretdb (FerretDB ${FERRETDB_VERSION}, SQLite in ${sqliteDir}, log ${logFile}) at ${uri}`,
  );
  return { uri, pid: server.pid, stop: server.stop };
}

/**
 * FerretDB's postgresql handler on FERRETDB_POSTGRESQL_URL. A persistent run uses (and
 * creates when missing) the database the URL names; a temporary run creates its own,
 * uniquely named database next to it and drops it when it stops.
 * @param {DataDir} data
 * @param {(message: string) => void} log
 * @returns {Promise<Started>}
 */
async function startFerretDbOnPostgres(data, log) {
  const binary = await ensureFerretDb();
  const configured = parsePostgresUrl(process.env.FERRETDB_POSTGRESQL_URL ?? '');
  let database = databaseOf(configured);
  if (data.temporary) {
    const stale = await dropStaleTemporaryDatabases(configured, isAlive);
    if (stale.length > 0) log(`dropped stale temporary databases: ${stale.join(', ')}`);
    database = temporaryDatabaseName();
  }
  const postgresUrl = withPostgresDatabase(configured, database);
  const created = await ensurePostgresDatabase(configured, database);
  const dropIfTemporary = async () => {
    if (data.temporary) await dropPostgresDatabase(configured, database);
  };

  const logFile = path.join(data.root, 'ferretdb.log');
  /** @type {Awaited<ReturnType<typeof startFerretDbServer>>} */
  let started;
  try {
    started = await startFerretDbServer(
      {
        binary,
        backendArgs: ['--handler=postgresql', `--postgresql-url=${postgresUrl.href}`],
        logFile,
        temporary: data.temporary,
        onCrashCleanup: () => {
          dropPostgresDatabaseSync(configured, database);
          fs.rmSync(data.root, { recursive: true, force: true });
        },
      },
      DB_NAME,
      log,
    );
  } catch (error) {
    await dropIfTemporary().catch(() => {});
    throw error;
  }
  const { uri, server } = started;
  const what = data.temporary
    ? 'temporary database, dropped on exit'
    : created
      ? 'created now, kept'
      : 'kept';
  log(
    `engine: ferretdb-postgresql (FerretDB ${FERRETDB_VERSION}, PostgreSQL database ${database} ` +
      `on ${postgresUrl.host}, ${what}; log ${logFile}) at ${uri}`,
  );
  return {
    uri,
    pid: server.pid,
    postgresUrl: postgresUrl.href,
    stop: async () => {
      try {
        await server.stop();
      } finally {
        await dropIfTemporary();
      }
    },
  };
}

// ---------------------------------------------------------------------------------------
// mongodb-memory-server fallback

/**
 * @param {DataDir} data
 * @param {StartOptions} options
 * @param {(message: string) => void} log
 * @returns {Promise<Started>}
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
    pid: server.instanceInfo?.instance?.mongodProcess?.pid ?? null,
    stop: async () => {
      await server.stop({ doCleanup: !options.persistent && !options.dataDir });
    },
  };
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
export function parseLauncherArgs(argv) {
  // Everything after `--` is the command, with its own flags.
  const separator = argv.indexOf('--');
  const { values } = parseCli(separator === -1 ? argv : argv.slice(0, separator), USAGE, {
    persistent: { type: 'boolean' },
    'data-dir': { type: 'string' },
  });
  /** @type {StartOptions} */
  const options = {};
  if (values.persistent) options.persistent = true;
  if (typeof values['data-dir'] === 'string') options.dataDir = values['data-dir'];
  return { options, command: separator === -1 ? [] : argv.slice(separator + 1) };
}

async function main() {
  const { options, command } = parseLauncherArgs(process.argv.slice(2));
  // Our own handlers from here on: the library's default "die of the signal" must not run,
  // because we want to stop the child command first and then the database.
  /** @type {import('node:child_process').ChildProcess | undefined} */
  let child;
  let stopping = false;
  /** @param {NodeJS.Signals} signal */
  const onCliSignal = (signal) => {
    // A second signal means "now": do not wait for the command any longer.
    if (child && signalChild(child, stopping ? 'SIGKILL' : signal)) {
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
