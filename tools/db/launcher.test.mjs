// @ts-check
// The launcher's engine choice, and its FerretDB-on-PostgreSQL mode against the real
// PostgreSQL (FERRETDB_POSTGRESQL_URL; those tests are skipped, with the reason, where none
// is configured) and the real FerretDB binary.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { createRequire } from 'node:module';
import { repoRoot } from '../lib/paths.mjs';
import { isAlive } from '../lib/proc.mjs';
import { chooseEngine, parseLauncherArgs, startDatabase } from './launcher.mjs';
import {
  checkPostgres,
  ensurePostgresDatabase,
  parsePostgresUrl,
  TEMPORARY_PREFIX,
} from './postgresql.mjs';

const { MongoClient } = createRequire(path.join(repoRoot, 'package.json'))('mongodb');
const launcherPath = path.join(repoRoot, 'tools/db/launcher.mjs');
const quiet = () => {};

// ---------------------------------------------------------------------------------------
// Engine choice (no I/O beyond looking for the FerretDB binary)

test('MONGODB_URI wins over everything', () => {
  assert.equal(
    chooseEngine({
      MONGODB_URI: 'mongodb://db:27017/x',
      FERRETDB_POSTGRESQL_URL: 'postgres://p@h/x',
      NATTER_DB_ENGINE: 'ferretdb',
    }),
    'external',
  );
});

test('FERRETDB_POSTGRESQL_URL chooses FerretDB on PostgreSQL; without it, not', () => {
  assert.equal(
    chooseEngine({ FERRETDB_POSTGRESQL_URL: 'postgres://postgres@127.0.0.1:5432/natter' }),
    'ferretdb-postgresql',
  );
  assert.notEqual(chooseEngine({}), 'ferretdb-postgresql');
});

test('a FerretDB binary (FERRETDB_BIN or cached) makes SQLite the default', () => {
  assert.equal(chooseEngine({ FERRETDB_BIN: '/some/ferretdb' }), 'ferretdb');
});

test('NATTER_DB_ENGINE forces an engine, and refuses what it cannot do', () => {
  assert.equal(
    chooseEngine({ NATTER_DB_ENGINE: 'ferretdb', FERRETDB_POSTGRESQL_URL: 'postgres://p@h/x' }),
    'ferretdb',
  );
  assert.equal(
    chooseEngine({ NATTER_DB_ENGINE: 'mongodb-memory-server' }),
    'mongodb-memory-server',
  );
  assert.throws(
    () => chooseEngine({ NATTER_DB_ENGINE: 'ferretdb-postgresql' }),
    /needs FERRETDB_POSTGRESQL_URL/,
  );
  assert.throws(() => chooseEngine({ NATTER_DB_ENGINE: 'sqlite' }), /not usable/);
});

test('FERRETDB_POSTGRESQL_URL is validated before anything connects', () => {
  assert.throws(() => parsePostgresUrl('not a url'), /not a URL/);
  assert.throws(() => parsePostgresUrl('mysql://u@h/db'), /must start with postgres/);
  assert.throws(() => parsePostgresUrl('postgres://u@h/bad"name'), /letters, digits/);
  assert.equal(parsePostgresUrl('postgres://u@h:5432').pathname, '/natter');
  assert.equal(parsePostgresUrl('postgresql://u:secret@h:5432/app').pathname, '/app');
});

test('the CLI parses its flags with the one parser and keeps the command after --', () => {
  assert.deepEqual(parseLauncherArgs(['--persistent', '--', 'jest', '--ci', '-c', 'x']), {
    options: { persistent: true },
    command: ['jest', '--ci', '-c', 'x'],
  });
  assert.deepEqual(parseLauncherArgs(['--data-dir=/tmp/d']).options, { dataDir: '/tmp/d' });
  assert.throws(() => parseLauncherArgs(['--bogus']), /usage: node tools\/db\/launcher\.mjs/);
});

// ---------------------------------------------------------------------------------------
// FerretDB on a real PostgreSQL

const configured = process.env.FERRETDB_POSTGRESQL_URL;
const postgres = configured ? parsePostgresUrl(configured) : null;
const reachable = postgres
  ? await checkPostgres(postgres).then(
      () => true,
      () => false,
    )
  : false;
const skipPostgres = !configured
  ? 'FERRETDB_POSTGRESQL_URL is not set'
  : !reachable
    ? `PostgreSQL at ${postgres?.host} does not answer`
    : false;

/** @param {number} pid */
function isZombie(pid) {
  try {
    return / Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\)/, ''));
  } catch {
    return false;
  }
}

/** @param {URL} url */
async function databaseNames(url) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: new URL('/postgres', url).href });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT datname FROM pg_database');
    return rows.map((row) => String(row.datname));
  } finally {
    await client.end();
  }
}

/**
 * @param {Record<string, string>} env
 * @param {() => Promise<void>} body
 */
async function withEnv(env, body) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  delete process.env.MONGODB_URI;
  delete process.env.NATTER_DB_ENGINE;
  try {
    await body();
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

test(
  'temporary runs on PostgreSQL get a database of their own each, dropped on stop',
  { skip: skipPostgres, timeout: 120_000 },
  async () => {
    const url = /** @type {URL} */ (postgres);
    await withEnv({ FERRETDB_POSTGRESQL_URL: url.href }, async () => {
      const [first, second] = await Promise.all([
        startDatabase({ log: quiet }),
        startDatabase({ log: quiet }),
      ]);
      try {
        assert.equal(first.engine, 'ferretdb-postgresql');
        const firstDb = new URL(/** @type {string} */ (first.postgresUrl)).pathname.slice(1);
        const secondDb = new URL(/** @type {string} */ (second.postgresUrl)).pathname.slice(1);
        assert.notEqual(firstDb, secondDb);
        assert.ok(firstDb.startsWith(TEMPORARY_PREFIX));
        const names = await databaseNames(url);
        assert.ok(names.includes(firstDb) && names.includes(secondDb));

        // Same MongoDB database name on both servers, yet nothing is shared.
        const a = new MongoClient(first.uri);
        const b = new MongoClient(second.uri);
        try {
          await a.db('shared_name').collection('items').insertOne({ from: 'first' });
          assert.equal(await b.db('shared_name').collection('items').countDocuments({}), 0);
          assert.equal(await a.db('shared_name').collection('items').countDocuments({}), 1);
        } finally {
          await a.close();
          await b.close();
        }
        await first.stop();
        await second.stop();
        const after = await databaseNames(url);
        assert.ok(!after.includes(firstDb), `${firstDb} was not dropped`);
        assert.ok(!after.includes(secondDb), `${secondDb} was not dropped`);
        assert.ok(first.pid !== null && !isAlive(first.pid), 'FerretDB still runs');
      } finally {
        await Promise.allSettled([first.stop(), second.stop()]);
      }
    });
  },
);

test(
  'a persistent run uses (and creates) the database the URL names, and keeps it',
  { skip: skipPostgres, timeout: 120_000 },
  async () => {
    const url = /** @type {URL} */ (postgres);
    const name = `natter_launcher_test_${process.pid}`;
    const persistentUrl = new URL(`/${name}`, url);
    await withEnv({ FERRETDB_POSTGRESQL_URL: persistentUrl.href }, async () => {
      const dataDir = fs.mkdtempSync(path.join(repoRoot, '.cache', 'launcher-test-'));
      try {
        for (const round of [1, 2]) {
          const db = await startDatabase({ persistent: true, dataDir, log: quiet });
          const client = new MongoClient(db.uri);
          try {
            const items = client.db().collection('items');
            if (round === 1) await items.insertOne({ kept: true });
            else assert.equal(await items.countDocuments({ kept: true }), 1);
          } finally {
            await client.close();
            await db.stop();
          }
          assert.ok((await databaseNames(url)).includes(name));
        }
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
        const { dropPostgresDatabase } = await import('./postgresql.mjs');
        await dropPostgresDatabase(url, name);
      }
    });
  },
);

test(
  'a temporary database left by a dead run is dropped by the next one',
  { skip: skipPostgres, timeout: 120_000 },
  async () => {
    const url = /** @type {URL} */ (postgres);
    // A pid that certainly existed and is gone now.
    const gone = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => gone.once('exit', resolve));
    const stale = `${TEMPORARY_PREFIX}${gone.pid}_deadbeef`;
    await ensurePostgresDatabase(url, stale);
    await withEnv({ FERRETDB_POSTGRESQL_URL: url.href }, async () => {
      const db = await startDatabase({ log: quiet });
      await db.stop();
    });
    assert.ok(!(await databaseNames(url)).includes(stale), `${stale} is still there`);
  },
);

test(
  'the CLI stopped by SIGTERM stops its command, FerretDB, and drops the temporary database',
  { skip: skipPostgres, timeout: 120_000 },
  async () => {
    const url = /** @type {URL} */ (postgres);
    const child = spawn(
      process.execPath,
      [launcherPath, '--', process.execPath, '-e', 'setInterval(() => {}, 1000)'],
      {
        env: { ...process.env, FERRETDB_POSTGRESQL_URL: url.href, MONGODB_URI: '' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const deadline = Date.now() + 60_000;
    while (!/PostgreSQL database (\S+)/.test(stderr) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const name = /PostgreSQL database (\S+)/.exec(stderr)?.[1];
    assert.ok(name, `the launcher did not start: ${stderr}`);
    assert.ok((await databaseNames(url)).includes(name));
    const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    // The command died of SIGTERM: the launcher reports 128 + 15.
    assert.equal(await exited, 143);
    assert.ok(!(await databaseNames(url)).includes(name), `${name} was not dropped`);
  },
);

test(
  'a program that crashes while the database runs leaves no FerretDB and no database behind',
  { skip: skipPostgres, timeout: 120_000 },
  async () => {
    const url = /** @type {URL} */ (postgres);
    const script = `
      import { startDatabase } from ${JSON.stringify(launcherPath)};
      const db = await startDatabase({ log: () => {} });
      console.log(JSON.stringify({ pid: db.pid, postgresUrl: db.postgresUrl }));
      setTimeout(() => { throw new Error('crash on purpose'); }, 100);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, FERRETDB_POSTGRESQL_URL: url.href, MONGODB_URI: '' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    assert.notEqual(code, 0);
    const started = JSON.parse(stdout.trim().split('\n')[0]);
    const name = new URL(started.postgresUrl).pathname.slice(1);
    // SIGKILL was sent on the way out; the kernel may take a moment to finish it off.
    const deadline = Date.now() + 5000;
    while (isAlive(started.pid) && !isZombie(started.pid) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(!isAlive(started.pid) || isZombie(started.pid), 'FerretDB outlived the crash');
    assert.ok(!(await databaseNames(url)).includes(name), `${name} was not dropped`);
  },
);
