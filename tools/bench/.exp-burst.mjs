import fs from 'node:fs'; import os from 'node:os'; import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startDatabase } from '../db/launcher.mjs';
import { freePort, spawnApi, waitForReady, request, sleep } from './harness.mjs';
const db = await startDatabase({ persistent: false });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nb-'));
const port = await freePort();
const api = spawnApi({ main: '/work/main/dist/apps/api/main.js', cwd: '/work/main', port, env: { NODE_ENV: 'test', MONGODB_URI: db.uri.replace('/natter?', '/exp?'), DATA_DIR: dataDir, LOG_LEVEL: 'warn', RATE_LOGIN_IP_LIMIT: '100000', RATE_LOGIN_USERNAME_LIMIT: '100000', RATE_SIGNUP_IP_LIMIT: '100000', ...(process.env.TP ? { UV_THREADPOOL_SIZE: process.env.TP } : {}), ...(process.env.WEB ? { WEB_DIST: process.env.WEB } : {}) } });
try {
  await waitForReady(api, 60000);
  const u = 'expuser1';
  await request(api.url, 'POST', '/api/signup', { body: { username: u, password: 'correct horse battery' }, expect: 201 });
  for (let round = 0; round < 4; round++) {
    let done = false; const samples = [];
    const t0 = performance.now();
    const poller = (async () => { while (!done) { const s = performance.now(); const r = await request(api.url, 'GET', '/api/health', { expect: 200 }); samples.push([Math.round(s - t0), Math.round(r.ms)]); } })();
    await sleep(20);
    const tb = performance.now() - t0;
    const res = await Promise.all(Array.from({ length: 8 }, () => request(api.url, 'POST', '/api/login', { body: { username: u, password: 'correct horse battery' }, expect: 200 }).then(r => Math.round(r.ms))));
    done = true; await poller;
    console.log('round', round, 'burst start', Math.round(tb), 'logins', res.join(','), 'health n', samples.length, 'slow', JSON.stringify(samples.filter(([, ms]) => ms > 20)));
    await sleep(300);
  }
} finally { await api.stop(); await db.stop(); fs.rmSync(dataDir, { recursive: true, force: true }); }
