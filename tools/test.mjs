// @ts-check
// `npm test`: from a fresh clone, set up and run every test suite, in order, stopping at
// the first failure:
//   unit  nx run-many -t test      (unit tests of every project)
//   api   nx run api:e2e           (real Nest app + local database)
//   web   nx run web-e2e:e2e       (Chromium driving the built SPA)
// `npm test -- --only unit|api|web` runs one phase. Ends with "N passed, N failed", counted
// over every test of every phase.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chooseEngine } from './db/launcher.mjs';
import { ensureFerretDb } from './db/ferretdb.mjs';
import { ensureDependencies, nxBin, nxEnv } from './lib/deps.mjs';
import { repoRoot } from './lib/paths.mjs';
import { run, say } from './lib/proc.mjs';

const CHROMIUM = '/usr/bin/chromium';

/** @type {Record<string, { title: string, args: string[] }>} */
const PHASES = {
  // --skip-nx-cache: `npm test` runs every test, even when Nx has a cached result.
  unit: { title: 'unit tests', args: ['run-many', '-t', 'test', '--skip-nx-cache'] },
  api: { title: 'API e2e', args: ['run', 'api:e2e', '--skip-nx-cache'] },
  web: { title: 'browser e2e', args: ['run', 'web-e2e:e2e', '--skip-nx-cache'] },
};

/**
 * @param {string[]} argv
 * @returns {string[]} the phases to run
 */
function parseArgs(argv) {
  const usage = `usage: node tools/test.mjs [--only ${Object.keys(PHASES).join('|')}]`;
  if (argv.length === 0) return Object.keys(PHASES);
  const only =
    argv[0] === '--only' ? argv[1] : argv[0].startsWith('--only=') ? argv[0].slice(7) : undefined;
  if (argv.length > (argv[0] === '--only' ? 2 : 1) || !only || !(only in PHASES)) {
    throw new Error(usage);
  }
  return [only];
}

/** Set-up that must happen once, before suites that would otherwise race for it. */
async function setUp(/** @type {string[]} */ phases) {
  await ensureDependencies();

  const needsDatabase = phases.includes('api') || phases.includes('web');
  if (needsDatabase) {
    const engine = chooseEngine();
    say('test', `database engine for the e2e suites: ${engine}`);
    // Build FerretDB now (once, ~1-2 min on a fresh machine) rather than inside a suite's
    // timeout, or in two suites at the same time.
    if (engine === 'ferretdb') await ensureFerretDb();
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
  const phases = parseArgs(process.argv.slice(2));
  /** @type {{ name: string, ok: boolean, seconds: number, passed: number, failed: number }[]} */
  const results = [];
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
        env: { ...nxEnv(), NATTER_TEST_COUNTS: countsFile },
      });
      const seconds = Math.round((Date.now() - started) / 1000);
      const counts = readCounts(countsFile);
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
  for (const result of results) {
    console.log(
      `${result.ok ? 'PASS' : 'FAIL'} ${result.name}: ${result.passed} passed, ${result.failed} failed (${result.seconds} s)`,
    );
  }
  for (const name of phases) if (!ran.has(name)) console.log(`NOT RUN ${name}`);
  const passed = results.reduce((sum, result) => sum + result.passed, 0);
  const failed = results.reduce((sum, result) => sum + result.failed, 0);
  const allOk = results.every((result) => result.ok) && ran.size === phases.length;
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(allOk && failed === 0 ? 0 : 1);
}

/**
 * @param {string} file
 * @returns {{ passed: number, failed: number }}
 */
function readCounts(file) {
  const lines = fs.existsSync(file)
    ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)
    : [];
  return lines.reduce(
    (sum, line) => {
      const counts = JSON.parse(line);
      return { passed: sum.passed + counts.passed, failed: sum.failed + counts.failed };
    },
    { passed: 0, failed: 0 },
  );
}

main().catch((error) => {
  say('test', error instanceof Error ? error.message : String(error));
  process.exit(2);
});
