// @ts-check
// The PostgreSQL side of FerretDB's `postgresql` handler (ARCHITECTURE.md, "Local
// database"): FerretDB keeps each MongoDB database as a schema inside ONE PostgreSQL
// database, which must exist before it starts. So the launcher creates that database:
// the one named in FERRETDB_POSTGRESQL_URL for `npm start` (kept), or a fresh uniquely named
// one per test or benchmark run (dropped on exit), so that parallel runs never share data.
//
// Talks to PostgreSQL with the `pg` package (pinned in package.json).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { repoRoot } from '../lib/paths.mjs';

/** Prefix of the databases made for one run; anything with it can be dropped when stale. */
export const TEMPORARY_PREFIX = 'natter_tmp_';

/**
 * Validate and normalise a FERRETDB_POSTGRESQL_URL value.
 * @param {string} value e.g. postgres://postgres@127.0.0.1:5432/natter
 * @returns {URL}
 */
export function parsePostgresUrl(value) {
  /** @type {URL} */
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new Error(
      `FERRETDB_POSTGRESQL_URL is not a URL (${redactPostgresUrl(value)}); ` +
        'expected e.g. postgres://postgres@127.0.0.1:5432/natter',
    );
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error(`FERRETDB_POSTGRESQL_URL must start with postgres:// (got ${url.protocol}//)`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database) url.pathname = '/natter';
  else if (!isSafeDatabaseName(database)) {
    throw new Error(
      `FERRETDB_POSTGRESQL_URL names the database "${database}": use letters, digits and _ only`,
    );
  }
  return url;
}

/**
 * The database named in a PostgreSQL URL.
 * @param {URL} url
 */
export function databaseOf(url) {
  return decodeURIComponent(url.pathname.replace(/^\//, ''));
}

/**
 * The same server and credentials, another database.
 * @param {URL} url
 * @param {string} database
 * @returns {URL}
 */
export function withPostgresDatabase(url, database) {
  const copy = new URL(url.href);
  copy.pathname = `/${database}`;
  return copy;
}

/**
 * A database name no other run uses: the prefix, our pid (so a stale one can be recognised)
 * and random bytes.
 */
export function temporaryDatabaseName() {
  return `${TEMPORARY_PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** @param {string} name */
export function isSafeDatabaseName(name) {
  return /^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name);
}

/**
 * Hide a password in a connection string before logging it.
 * @param {string} uri
 */
export function redactPostgresUrl(uri) {
  return uri.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/** @returns {typeof import('pg')} */
function loadPg() {
  try {
    return createRequire(path.join(repoRoot, 'package.json'))('pg');
  } catch (error) {
    throw new Error(
      `FERRETDB_POSTGRESQL_URL is set but the pg package is not installed (${/** @type {Error} */ (error).message}); run npm ci first`,
    );
  }
}

/**
 * Run statements on the server's maintenance database (`postgres`), where CREATE and DROP
 * DATABASE can run: they cannot run inside the database they act on.
 * @template T
 * @param {URL} url any database on the server; its credentials are used
 * @param {(client: import('pg').Client) => Promise<T>} work
 * @returns {Promise<T>}
 */
async function onMaintenanceDatabase(url, work) {
  const { Client } = loadPg();
  const client = new Client({
    connectionString: withPostgresDatabase(url, 'postgres').href,
    connectionTimeoutMillis: 5000,
  });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `cannot reach PostgreSQL at ${url.host} (FERRETDB_POSTGRESQL_URL): ${/** @type {Error} */ (error).message}`,
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Throw a readable error unless the server answers.
 * @param {URL} url
 */
export async function checkPostgres(url) {
  await onMaintenanceDatabase(url, (client) => client.query('SELECT 1'));
}

/**
 * Create the database unless it exists.
 * @param {URL} url
 * @param {string} database
 * @returns {Promise<boolean>} true when it was created now
 */
export async function ensurePostgresDatabase(url, database) {
  if (!isSafeDatabaseName(database)) throw new Error(`unsafe database name ${database}`);
  return onMaintenanceDatabase(url, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount) return false;
    try {
      // Identifiers cannot be bound parameters; the name was checked above.
      await client.query(`CREATE DATABASE "${database}"`);
      return true;
    } catch (error) {
      // Another process created it between our check and our CREATE.
      if (/** @type {{ code?: string }} */ (error).code === '42P04') return false;
      throw error;
    }
  });
}

/**
 * Drop the database, ending the sessions still connected to it.
 * @param {URL} url
 * @param {string} database
 */
export async function dropPostgresDatabase(url, database) {
  if (!isSafeDatabaseName(database)) throw new Error(`unsafe database name ${database}`);
  await onMaintenanceDatabase(url, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  });
}

/**
 * The same, synchronously, for the last-resort exit hook where nothing can be awaited: a
 * short-lived Node child does the asynchronous work.
 * @param {URL} url
 * @param {string} database
 */
export function dropPostgresDatabaseSync(url, database) {
  const script = `import(${JSON.stringify(import.meta.url)}).then((m) => m.dropPostgresDatabase(new URL(process.argv[1]), process.argv[2])).catch(() => process.exit(1))`;
  spawnSync(process.execPath, ['--input-type=module', '-e', script, url.href, database], {
    stdio: 'ignore',
    timeout: 10_000,
  });
}

/**
 * Temporary databases of runs that died without dropping theirs (SIGKILL, power loss),
 * recognised by the pid in their name: dropped when that process no longer exists. Only for
 * a server on this machine, where the pid means something.
 * @param {URL} url
 * @param {(pid: number) => boolean} isAlive
 * @returns {Promise<string[]>} the databases dropped
 */
export async function dropStaleTemporaryDatabases(url, isAlive) {
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) return [];
  return onMaintenanceDatabase(url, async (client) => {
    const { rows } = await client.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `${TEMPORARY_PREFIX}%`,
    ]);
    /** @type {string[]} */
    const dropped = [];
    for (const { datname } of rows) {
      const pid = Number(/^natter_tmp_(\d+)_/.exec(datname)?.[1]);
      if (!pid || isAlive(pid) || !isSafeDatabaseName(datname)) continue;
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).then(
        () => dropped.push(datname),
        () => {},
      );
    }
    return dropped;
  });
}
