// @ts-check
// `npm start`: from a fresh clone, install, build, start the local database (unless
// MONGODB_URI is set) and serve API + Socket.IO + SPA on one port.
// The API reads HOST, PORT, .env and the rest of its configuration itself; we only add
// MONGODB_URI, DATA_DIR and WEB_DIST to the environment it inherits.
// `--no-build` skips the build (for `nx run api:serve`, which has built already).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDatabase } from './db/launcher.mjs';
import { parseCli } from './lib/cli.mjs';
import { ensureDependencies, nxBin, nxEnv } from './lib/deps.mjs';
import { defaultDataDir, repoRoot } from './lib/paths.mjs';
import { run, say, signalChild, signalExitCode } from './lib/proc.mjs';

const apiMain = path.join(repoRoot, 'dist', 'apps', 'api', 'main.js');

/**
 * The few .env values this script itself acts on. The API loads .env on its own, but
 * a MONGODB_URI there must also stop us from starting the embedded database (whose URI we
 * would pass in the environment, which wins over .env). As with dotenv, the real
 * environment wins over the file.
 */
function applyDotEnv() {
  const file = path.join(repoRoot, '.env');
  if (!fs.existsSync(file)) return;
  /** @type {{ parse: (src: string) => Record<string, string> }} */
  const dotenv = createRequire(path.join(repoRoot, 'package.json'))('dotenv');
  const values = dotenv.parse(fs.readFileSync(file, 'utf8'));
  for (const key of [
    'MONGODB_URI',
    'FERRETDB_POSTGRESQL_URL',
    'DATA_DIR',
    'WEB_DIST',
    'HOST',
    'PORT',
  ]) {
    if (!process.env[key] && values[key]) process.env[key] = values[key];
  }
}

/**
 * Polls the readiness probe until the API answers, then prints the address as the last line
 * of start-up. Gives up silently if the API exits first (its own error says why).
 * @param {import('node:child_process').ChildProcess} api
 */
async function announceWhenReady(api) {
  const host = process.env.HOST || '127.0.0.1';
  const port = process.env.PORT || '8080';
  const probeHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const shownHost = probeHost.includes(':') ? `[${probeHost}]` : probeHost;
  const url = `http://${shownHost}:${port}`;
  while (api.exitCode === null && api.signalCode === null) {
    try {
      const response = await fetch(`${url}/api/health/ready`, {
        signal: AbortSignal.timeout(2000),
      });
      if (response.ok) {
        // Let the logs written while it came up reach the terminal before our line.
        await new Promise((resolve) => setTimeout(resolve, 300));
        say('start', `Natter is running at ${url} (Ctrl-C to stop)`);
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * @param {string[]} argv
 * @returns {{ build: boolean }}
 */
export function parseStartArgs(argv) {
  const { values } = parseCli(argv, 'usage: node tools/start.mjs [--no-build]', {
    'no-build': { type: 'boolean' },
  });
  return { build: !values['no-build'] };
}

async function main() {
  const { build } = parseStartArgs(process.argv.slice(2));

  await ensureDependencies();
  applyDotEnv();

  if (build) {
    say('start', 'building contracts, api and web (cached by Nx after the first time)...');
    const buildCode = await run(
      nxBin,
      ['run-many', '-t', 'build', '-p', 'contracts', 'api', 'web'],
      {
        cwd: repoRoot,
        env: nxEnv(),
      },
    );
    if (buildCode !== 0) throw new Error(`the build failed (exit code ${buildCode})`);
  }
  if (!fs.existsSync(apiMain)) {
    throw new Error(
      `${apiMain} is missing: ${build ? 'the build did not produce it' : 'build first (drop --no-build)'}`,
    );
  }

  const dataDir = path.resolve(repoRoot, process.env.DATA_DIR || defaultDataDir);
  // External when MONGODB_URI is set, otherwise the embedded database: in DATA_DIR/db, or
  // in the PostgreSQL database FERRETDB_POSTGRESQL_URL names.
  const db = await startDatabase({ persistent: true, dataDir: path.join(dataDir, 'db') });

  // detached: its own process group, so a terminal Ctrl-C reaches the API exactly once
  // (from us) and it can shut down gracefully while the database is still up.
  const api = spawn(process.execPath, [apiMain], {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
    env: {
      ...process.env,
      MONGODB_URI: db.uri,
      DATA_DIR: dataDir,
      WEB_DIST: process.env.WEB_DIST || path.join(repoRoot, 'dist', 'apps', 'web'),
      // We announce "running" ourselves, once the API answers and after its start-up logs.
      NATTER_SUPERVISED: '1',
    },
  });
  void announceWhenReady(api);
  const killApiNow = () => {
    signalChild(api, 'SIGTERM');
  };
  // Normal exits go through the path below; this only covers a crash of this script.
  process.on('exit', killApiNow);

  // npm forwards Ctrl-C to us as well as the terminal, so one keypress can arrive twice
  // within milliseconds: forward the first, and treat a later one as "stop now".
  let firstSignalAt = 0;
  /** @type {NodeJS.Signals | undefined} */
  let forwarded;
  /** @param {NodeJS.Signals} signal */
  const onSignal = (signal) => {
    const now = Date.now();
    if (!firstSignalAt) {
      firstSignalAt = now;
      forwarded = signal;
      say('start', `${signal}: stopping the API...`);
      signalChild(api, signal);
    } else if (now - firstSignalAt > 1000) {
      say('start', 'stopping the API now (SIGKILL)');
      signalChild(api, 'SIGKILL');
    }
  };
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP']))
    process.on(signal, onSignal);

  /** @type {number} */
  const code = await new Promise((resolve) => {
    api.once('error', (error) => {
      say('start', `cannot start the API: ${error.message}`);
      resolve(1);
    });
    api.once('exit', (exitCode, signal) => resolve(exitCode ?? signalExitCode(signal)));
  });
  process.off('exit', killApiNow);
  await db.stop();
  // An API that died of the signal we forwarded was stopped as asked: not a failure.
  process.exit(forwarded && code === signalExitCode(forwarded) ? 0 : code);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    say('start', error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
