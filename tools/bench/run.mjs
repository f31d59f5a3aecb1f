// @ts-check
// `npm run bench`: load figures for Natter, measured against the built API over loopback.
// Speed and memory goals live here, never in timed tests (ARCHITECTURE.md, "Tests").
//
// Scenarios (`--scenario NAME`, repeatable; default: all of them, in this order):
//   classic      auth, send, history and memory in one run           (scenarios/classic/)
//   open-loop    50 pairs, a rate ladder, sustainable rate, CPU per delivery (open-loop.mjs)
//   round-trips  database commands per send, history page, contacts list, and their explain
//   stored       send/history/contacts latency at 1,000 / 10,000 / 50,000 stored messages on
//                each FerretDB backend (or the MONGODB_URI server)
//   engine       database CPU and wall time per operation kind, driver only (no API)
// Each builds the product once (Nx cache: seconds when nothing changed), starts its own
// database through the shared launcher and its own API, prints a markdown summary on stdout
// (progress goes to stderr) and writes its figures to tools/bench/results/<scenario>.json
// (--quick: <scenario>.quick.json, not committed). Every loop is bounded; the API and the
// database are stopped at the end, on error and on Ctrl-C. Loopback only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCli } from '../lib/cli.mjs';
import { formatJson, formatScenario } from './report/index.mjs';
import { runClassic } from './scenarios/classic/index.mjs';
import { OPEN_LOOP_DEFAULTS, OPEN_LOOP_QUICK, runOpenLoop } from './scenarios/open-loop.mjs';
import {
  ROUND_TRIPS_DEFAULTS,
  ROUND_TRIPS_QUICK,
  runRoundTrips,
} from './scenarios/round-trips.mjs';
import { ENGINE_DEFAULTS, ENGINE_QUICK, runEngine } from './scenarios/engine.mjs';
import { STORED_DEFAULTS, STORED_QUICK, runStored, storedEngines } from './scenarios/stored.mjs';
import {
  buildProduct,
  gitInfo,
  installSignalHandlers,
  log,
  machineInfo,
  round,
  stopAll,
  wasInterrupted,
} from './session.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SCENARIOS = ['classic', 'open-loop', 'round-trips', 'stored', 'engine'];

const USAGE = `usage: node tools/bench/run.mjs [--scenario ${SCENARIOS.join('|')}]... [--quick] [--no-build]
    [--out FILE] [--api-env KEY=VALUE]...
    classic:   [--seed direct|socket]
    open-loop: [--rates 25,50,...] [--step-seconds 15] [--pairs 50] [--overload-steps 1]
    stored:    [--sizes 1000,10000,50000] [--engines ferretdb,ferretdb-postgresql] (also engine's)`;

const OPTIONS = /** @type {const} */ ({
  scenario: { type: 'string', multiple: true },
  quick: { type: 'boolean' },
  'no-build': { type: 'boolean' },
  out: { type: 'string' },
  'api-env': { type: 'string', multiple: true },
  seed: { type: 'string' },
  rates: { type: 'string' },
  'step-seconds': { type: 'string' },
  pairs: { type: 'string' },
  'overload-steps': { type: 'string' },
  sizes: { type: 'string' },
  engines: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
});

/**
 * @param {string[]} argv
 */
export function parseBenchArgs(argv) {
  const { values } = parseCli(argv, USAGE, OPTIONS);
  const scenarios = values.scenario ?? SCENARIOS;
  for (const name of scenarios)
    if (!SCENARIOS.includes(name)) throw new Error(`unknown scenario ${name}\n${USAGE}`);
  if (values.out && scenarios.length !== 1)
    throw new Error(`--out needs exactly one --scenario\n${USAGE}`);
  /** @type {Record<string, string>} */
  const apiEnv = {};
  for (const pair of values['api-env'] ?? []) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(pair);
    if (!match) throw new Error(`--api-env wants KEY=VALUE, got ${pair}\n${USAGE}`);
    apiEnv[match[1]] = match[2];
  }
  const seed = values.seed ?? 'direct';
  if (seed !== 'direct' && seed !== 'socket') throw new Error(`--seed direct|socket\n${USAGE}`);
  const quick = values.quick ?? false;

  const openLoop = { ...(quick ? OPEN_LOOP_QUICK : OPEN_LOOP_DEFAULTS) };
  if (values.rates) openLoop.rates = numbers(values.rates, '--rates');
  if (values['step-seconds'])
    openLoop.stepSeconds = numbers(values['step-seconds'], '--step-seconds')[0];
  if (values.pairs) openLoop.pairs = numbers(values.pairs, '--pairs')[0];
  if (values['overload-steps'])
    openLoop.overloadSteps = numbers(values['overload-steps'], '--overload-steps')[0];
  const stored = { ...(quick ? STORED_QUICK : STORED_DEFAULTS) };
  if (values.sizes) stored.sizes = numbers(values.sizes, '--sizes');
  const engines = values.engines
    ? /** @type {import('../db/launcher.mjs').Engine[]} */ (values.engines.split(','))
    : storedEngines();

  return {
    help: values.help ?? false,
    scenarios,
    quick,
    build: !values['no-build'],
    out: values.out ? path.resolve(values.out) : null,
    apiEnv,
    seed: /** @type {'direct' | 'socket'} */ (seed),
    openLoop,
    roundTrips: quick ? ROUND_TRIPS_QUICK : ROUND_TRIPS_DEFAULTS,
    stored,
    engine: quick ? ENGINE_QUICK : ENGINE_DEFAULTS,
    engines,
  };
}

/**
 * @param {string} text
 * @param {string} flag
 */
function numbers(text, flag) {
  const list = text.split(',').map((part) => Number(part.trim()));
  if (list.length === 0 || list.some((n) => !Number.isFinite(n) || n <= 0))
    throw new Error(`${flag} wants positive numbers separated by commas, got ${text}\n${USAGE}`);
  return list;
}

/**
 * @param {string} name
 * @param {ReturnType<typeof parseBenchArgs>} options
 */
function runScenario(name, options) {
  const { apiEnv } = options;
  if (name === 'classic') return runClassic({ quick: options.quick, seed: options.seed, apiEnv });
  if (name === 'open-loop') return runOpenLoop({ settings: options.openLoop, apiEnv });
  if (name === 'round-trips') return runRoundTrips({ settings: options.roundTrips, apiEnv });
  if (name === 'engine') return runEngine({ settings: options.engine, engines: options.engines });
  return runStored({ settings: options.stored, engines: options.engines, apiEnv });
}

async function main() {
  const options = parseBenchArgs(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  installSignalHandlers();
  const load = os.loadavg()[0];
  if (load > os.cpus().length / 2)
    log(
      `the machine is busy (load average ${round(load)} on ${os.cpus().length} CPUs): the figures will be noisy`,
    );
  // The engine scenario drives the database alone: no product to build for it.
  if (options.build && options.scenarios.some((name) => name !== 'engine')) await buildProduct();

  for (const name of options.scenarios) {
    const started = Date.now();
    const date = new Date(started).toISOString();
    const machineAtStart = machineInfo();
    log(`=== scenario ${name}${options.quick ? ' (quick)' : ''}`);
    const figures = await runScenario(name, options);
    const results = {
      meta: {
        scenario: name,
        quick: options.quick,
        date,
        ...machineAtStart,
        // Other work on the machine skews every figure: recorded so a reader can tell.
        loadAverage: { atStart: machineAtStart.loadAverage, atEnd: machineInfo().loadAverage },
        git: gitInfo(),
        apiEnvOverrides: options.apiEnv,
        durationSeconds: round((Date.now() - started) / 1000),
      },
      ...figures,
    };
    const out =
      options.out ?? path.join(here, 'results', `${name}${options.quick ? '.quick' : ''}.json`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, await formatJson(results));
    process.stdout.write(formatScenario(name, results));
    log(
      `${name}: figures written to ${path.relative(process.cwd(), out) || out} (${results.meta.durationSeconds} s)`,
    );
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main()
    .then(() => stopAll())
    .then(() => process.exit(0))
    .catch(async (error) => {
      if (wasInterrupted()) return; // the signal handler is cleaning up and will exit
      log(error instanceof Error ? (error.stack ?? error.message) : String(error));
      await stopAll();
      process.exit(1);
    });
}
