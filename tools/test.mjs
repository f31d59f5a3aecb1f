// @ts-check
// `npm test`: from a fresh clone, set up and run every test suite, in order, stopping at
// the first failure:
//   unit    nx run-many -t test   (unit tests of every project, the tools' own included)
//   api     nx run api:e2e        (real Nest app + local database: FerretDB on SQLite)
//   api-pg  nx run api:e2e        (the same suites on FerretDB on PostgreSQL; only when
//                                  FERRETDB_POSTGRESQL_URL is set, skipped with a note
//                                  otherwise, so a fresh clone needs no PostgreSQL)
//   web     nx run web-e2e:e2e    (Chromium driving the built SPA)
// `npm test -- --only unit|api|api-pg|web` runs one phase. Ends with "N passed, N failed",
// counted over every test of every phase.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseEngine } from './db/launcher.mjs';
import { ensureFerretDb } from './db/ferretdb.mjs';
import { checkPostgres, parsePostgresUrl, redactPostgresUrl } from './db/postgresql.mjs';
import { parseCli } from './lib/cli.mjs';
import { ensureDependencies, nxBin, nxEnv } from './lib/deps.mjs';
import { repoRoot } from './lib/paths.mjs';
import { run, say } from './lib/proc.mjs';

const CHROMIUM = '/usr/bin/chromium';

/**
 * @typedef {object} Phase
 * @property {string} title
 * @property {string[]} args      of nx
 * @property {boolean} database   the phase's suites use the launcher's database
 * @property {boolean} [postgres] on FerretDB on PostgreSQL (FERRETDB_POSTGRESQL_URL)
 */

/** @type {Record<string, Phase>} */
export const PHASES = {
  // --skip-nx-cache: `npm test` runs every test, even when Nx has a cached result.
  unit: {
    title: 'unit tests',
    args: ['run-many', '-t', 'test', '--skip-nx-cache'],
    database: false,
  },
  api: { title: 'API e2e', args: ['run', 'api:e2e', '--skip-nx-cache'], database: true },
  'api-pg': {
    title: 'API e2e on FerretDB-PostgreSQL',
    args: ['run', 'api:e2e', '--skip-nx-cache'],
    database: true,
    postgres: true,
  },
  web: { title: 'browser e2e', args: ['run', 'web-e2e:e2e', '--skip-nx-cache'], database: true },
};

/**
 * @param {string[]} argv
 * @returns {string[]} the phases to run
 */
export function parseTestArgs(argv) {
  const usage = `usage: node tools/test.mjs [--only ${Object.keys(PHASES).join('|')}]`;
  const { values } = parseCli(argv, usage, { only: { type: 'string' } });
  if (values.only === undefined) return Object.keys(PHASES);
  if (typeof values.only !== 'string' || !(values.only in PHASES)) throw new Error(usage);
  return [values.only];
}

/**
 * The environment of one phase. Every e2e phase but api-pg runs on the zero-setup default
 * engine even when the shell chose a PostgreSQL for `npm start`, so `api` and `api-pg`
 * really are the two backends. The unit phase keeps the variable: the tools' own tests
 * try the launcher on that PostgreSQL.
 * @param {Phase} phase
 * @param {NodeJS.ProcessEnv} base
 * @returns {NodeJS.ProcessEnv}
 */
export function phaseEnv(phase, base) {
  const env = { ...base };
  if (phase.postgres) env.NATTER_DB_ENGINE = 'ferretdb-postgresql';
  else if (phase.database) {
    delete env.FERRETDB_POSTGRESQL_URL;
    if (env.NATTER_DB_ENGINE === 'ferretdb-postgresql') delete env.NATTER_DB_ENGINE;
  }
  return env;
}

/**
 * Why a phase cannot run here (it is then skipped, not failed), or null.
 * @param {Phase} phase
 * @param {NodeJS.ProcessEnv} env
 * @returns {string | null}
 */
export function skipReason(phase, env) {
  if (!phase.postgres) return null;
  if (env.MONGODB_URI)
    return 'MONGODB_URI is set, so the e2e suites run on that server rather than on FerretDB';
  if (!env.FERRETDB_POSTGRESQL_URL)
    return (
      'FERRETDB_POSTGRESQL_URL is not set; to run the API e2e suites on FerretDB-PostgreSQL too, ' +
      'set it, e.g. FERRETDB_POSTGRESQL_URL=postgres://postgres@127.0.0.1:5432/natter npm test'
    );
  return null;
}

/**
 * Set-up that must happen once, before suites that would otherwise race for it.
 * @param {string[]} phases  the phases that will run (skipped ones already left out)
 */
async function setUp(phases) {
  await ensureDependencies();

  for (const name of phases) {
    const phase = PHASES[name];
    if (!phase.database) continue;
    const env = phaseEnv(phase, process.env);
    const engine = chooseEngine(env);
    say('test', `database engine for ${name}: ${engine}`);
    // Build FerretDB now (once, ~1-2 min on a fresh machine) rather than inside a suite's
    // timeout, or in two suites at the same time.
    if (engine === 'ferretdb' || engine === 'ferretdb-postgresql') await ensureFerretDb();
    // Configured on purpose, so unreachable is a failure, not a skip.
    if (engine === 'ferretdb-postgresql') {
      const url = parsePostgresUrl(env.FERRETDB_POSTGRESQL_URL ?? '');
      await checkPostgres(url);
      say('test', `PostgreSQL for ${name}: ${redactPostgresUrl(url.href)} answers`);
    }
  }

  if (phases.includes('web')) await ensureChromium();
}

async function ensureChromium() {
  if (fs.existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `the browser tests need Chromium at ${CHROMIUM}. Install it (Debian/Ubuntu: sudo apt-get install -y chromium) ` +
        'or run only the other phases: npm test -- --only unit (or api).',
    );
  }
  say('test', `installing Chromium (apt-get install chromium) for the browser tests...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if ((await run('apt-get', ['update'], { env })) !== 0) throw new Error('apt-get update failed');
  if (
    (await run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { env })) !== 0
  ) {
    throw new Error('apt-get install chromium failed');
  }
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`apt-get installed chromium but ${CHROMIUM} is still missing`);
}

async function main() {
  const requested = parseTestArgs(process.argv.slice(2));
  /** @type {{ name: string, reason: string }[]} */
  const skipped = [];
  const phases = requested.filter((name) => {
    const reason = skipReason(PHASES[name], process.env);
    if (reason) skipped.push({ name, reason });
    return !reason;
  });
  for (const { name, reason } of skipped) say('test', `skipping ${name}: ${reason}`);
  /** @type {{ name: string, ok: boolean, seconds: number, passed: number, failed: number }[]} */
  const results = [];
  /** @type {{ phase: string, test: string, message: string }[]} */
  const failures = [];
  let failedEarly = false;
  // Every jest run appends its counts here (tools/jest/count-reporter.cjs).
  const countsFile = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), 'natter-test-counts-')),
    'counts.jsonl',
  );

  try {
    await setUp(phases);
  } catch (error) {
    say('test', `set-up failed: ${error instanceof Error ? error.message : String(error)}`);
    results.push({ name: 'set-up', ok: false, seconds: 0, passed: 0, failed: 1 });
    failedEarly = true;
  }

  if (!failedEarly) {
    for (const name of phases) {
      const phase = PHASES[name];
      say('test', `=== ${phase.title}: nx ${phase.args.join(' ')}`);
      const started = Date.now();
      fs.writeFileSync(countsFile, '');
      const code = await run(nxBin, phase.args, {
        cwd: repoRoot,
        env: { ...phaseEnv(phase, nxEnv()), NATTER_TEST_COUNTS: countsFile },
      });
      const seconds = Math.round((Date.now() - started) / 1000);
      const counts = readCounts(countsFile);
      for (const failure of counts.failures) failures.push({ phase: name, ...failure });
      // A phase that failed without a failing test (a crash, a build error) still counts as one.
      const failed = code !== 0 && counts.failed === 0 ? 1 : counts.failed;
      results.push({ name, ok: code === 0, seconds, passed: counts.passed, failed });
      if (code !== 0) {
        say('test', `${phase.title} failed (exit code ${code}); not running the phases after it`);
        break;
      }
    }
  }

  const ran = new Set(results.map((result) => result.name));
  console.log('');
  for (const failure of failures) {
    console.log(`FAILED [${failure.phase}] ${failure.test}`);
    if (failure.message) console.log(failure.message.replace(/^/gm, '    '));
  }
  if (failures.length > 0) console.log('');
  for (const result of results) {
    console.log(
      `${result.ok ? 'PASS' : 'FAIL'} ${result.name}: ${result.passed} passed, ${result.failed} failed (${result.seconds} s)`,
    );
  }
  for (const name of phases) if (!ran.has(name)) console.log(`NOT RUN ${name}`);
  for (const { name, reason } of skipped) console.log(`SKIP ${name}: ${reason}`);
  const passed = results.reduce((sum, result) => sum + result.passed, 0);
  const failed = results.reduce((sum, result) => sum + result.failed, 0);
  const allOk = results.every((result) => result.ok) && ran.size === phases.length;
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(allOk && failed === 0 ? 0 : 1);
}

/**
 * @param {string} file
 * @returns {{ passed: number, failed: number, failures: { test: string, message: string }[] }}
 */
function readCounts(file) {
  const lines = fs.existsSync(file)
    ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)
    : [];
  return lines.reduce(
    (sum, line) => {
      const counts = JSON.parse(line);
      return {
        passed: sum.passed + counts.passed,
        failed: sum.failed + counts.failed,
        failures: [...sum.failures, ...(counts.failures ?? [])],
      };
    },
    { passed: 0, failed: 0, failures: /** @type {{ test: string, message: string }[]} */ ([]) },
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    say('test', error instanceof Error ? error.message : String(error));
    process.exit(2);
  });
}
