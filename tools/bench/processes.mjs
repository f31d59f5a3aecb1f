// @ts-check
// The processes a benchmark measures: which ones are "the database" (FerretDB, plus the
// PostgreSQL backends serving its connections when it stores into PostgreSQL), their CPU
// time, and pinning them to cores with taskset so that the API and the database share one
// core and the load generator has the other.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { findExecutable } from '../lib/proc.mjs';
import { cpuMs } from './harness.mjs';

/**
 * The PostgreSQL server processes connected to FerretDB's database (Linux, same machine).
 * @param {string | null} postgresUrl
 * @returns {Promise<number[]>}
 */
export async function postgresBackendPids(postgresUrl) {
  if (!postgresUrl) return [];
  const url = new URL(postgresUrl);
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    const { rows } = await client.query(
      'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [decodeURIComponent(url.pathname.slice(1))],
    );
    return rows.map((row) => Number(row.pid));
  } catch {
    return [];
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * @param {{ db: import('../db/launcher.mjs').Database }} session  any session (with or without API)
 * @returns {Promise<{ server: number | null, postgres: number[] }>}
 */
export async function databasePids(session) {
  return { server: session.db.pid, postgres: await postgresBackendPids(session.db.postgresUrl) };
}

/**
 * Sum of the CPU time of these processes (ms); processes that are gone count as 0.
 * @param {number[]} pids
 */
export function cpuOf(pids) {
  return pids.reduce((sum, pid) => sum + (cpuMs(pid) ?? 0), 0);
}

/**
 * Pin a process and all its threads to one core. Returns an error text, or null.
 * @param {number} pid
 * @param {number} core
 */
export function pin(pid, core) {
  const taskset = findExecutable('taskset');
  if (!taskset) return 'taskset is not installed (util-linux)';
  if (os.cpus().length <= core) return `this machine has no core ${core}`;
  const result = spawnSync(taskset, ['-a', '-p', '-c', String(core), String(pid)], {
    encoding: 'utf8',
  });
  return result.status === 0 ? null : (result.stderr || `taskset exited ${result.status}`).trim();
}
