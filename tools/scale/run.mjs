// @ts-check
// `npm run scale-local`: the scaled-out stack of docker/docker-compose.scale.yml without
// Docker, on one machine. Builds, starts the local database (unless MONGODB_URI is set), two
// API processes sharing it and Redis (REDIS_URL, default redis://127.0.0.1:6379), each with
// its metrics on its own loopback port, and the load balancer of tools/scale/proxy.cjs in
// front of them. Open the printed URL in two browsers; `kill -TERM <pid>` one API process
// (its pid is printed) to watch its clients move to the other one. Ctrl-C stops everything.
//
// Usage: node tools/scale/run.mjs [--no-build] [--port 8080]
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, spawnApi, waitForReady } from '../bench/harness.mjs';
import { startDatabase } from '../db/launcher.mjs';
import { parseCli } from '../lib/cli.mjs';
import { ensureDependencies, nxBin, nxEnv } from '../lib/deps.mjs';
import { defaultDataDir, repoRoot } from '../lib/paths.mjs';
import { run, say } from '../lib/proc.mjs';

/** @type {typeof import('./proxy.cjs')} */
const { startProxy } = createRequire(import.meta.url)('./proxy.cjs');
const apiMain = path.join(repoRoot, 'dist', 'apps', 'api', 'main.js');
const log = (/** @type {string} */ message) => say('scale', message);

/**
 * @param {string[]} argv
 * @returns {{ build: boolean, port: number }}
 */
export function parseScaleArgs(argv) {
  const usage = 'usage: node tools/scale/run.mjs [--no-build] [--port N]';
  const { values } = parseCli(argv, usage, {
    'no-build': { type: 'boolean' },
    port: { type: 'string', default: '8080' },
  });
  if (!/^\d+$/.test(values.port)) throw new Error(`--port wants a number\n${usage}`);
  return { build: !values['no-build'], port: Number(values.port) };
}

async function main() {
  const { build, port } = parseScaleArgs(process.argv.slice(2));
  await ensureDependencies();
  if (build) {
    log('building contracts, api and web (cached by Nx after the first time)...');
    const code = await run(nxBin, ['run-many', '-t', 'build', '-p', 'contracts', 'api', 'web'], {
      cwd: repoRoot,
      env: nxEnv(),
    });
    if (code !== 0) throw new Error(`the build failed (exit code ${code})`);
  }

  const dataDir = path.resolve(repoRoot, process.env.DATA_DIR || defaultDataDir);
  const db = await startDatabase({ persistent: true, dataDir: path.join(dataDir, 'db') });
  const shared = {
    MONGODB_URI: db.uri,
    REDIS_URL: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
    DATA_DIR: dataDir,
    WEB_DIST: process.env.WEB_DIST || path.join(repoRoot, 'dist', 'apps', 'web'),
  };
  /** @type {import('../bench/harness.mjs').ApiProcess[]} */
  const apis = [];
  /** @type {Awaited<ReturnType<typeof startProxy>> | undefined} */
  let proxy;
  const stopAll = async () => {
    await proxy?.close();
    await Promise.all(apis.map((api) => api.stop()));
    await db.stop();
  };
  try {
    for (const name of ['api-1', 'api-2']) {
      const metricsPort = await freePort();
      const api = spawnApi({
        main: apiMain,
        cwd: repoRoot,
        port: await freePort(),
        env: { ...shared, METRICS_PORT: String(metricsPort) },
      });
      apis.push(api);
      await waitForReady(api, 60_000);
      log(`${name}: ${api.url} (pid ${api.pid}), metrics http://127.0.0.1:${metricsPort}/metrics`);
    }
    proxy = await startProxy({ targets: apis.map((api) => api.url), port });
  } catch (error) {
    await stopAll();
    throw error;
  }
  log(`Natter behind the load balancer: ${proxy.url} (Ctrl-C stops everything)`);

  await new Promise((resolve) => {
    for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM']))
      process.once(signal, resolve);
  });
  log('stopping...');
  await stopAll();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    say('scale', error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
