import fs from 'node:fs'; import os from 'node:os'; import path from 'node:path'; import { execSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { startDatabase } from '../db/launcher.mjs';
import { freePort, spawnApi, waitForReady, request, connectSocket, cpuMs } from './harness.mjs';
const db = await startDatabase({ persistent: false });
const fpid = Number(execSync(`pgrep -f "listen-addr=127.0.0.1:${new URL(db.uri.replace('mongodb://','http://')).port}"`).toString().trim().split('\n')[0]);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nb-'));
const port = await freePort();
const api = spawnApi({ main: '/work/main/dist/apps/api/main.js', cwd: '/work/main', port, env: { NODE_ENV: 'test', MONGODB_URI: db.uri.replace('/natter?', '/exp?'), DATA_DIR: dataDir, LOG_LEVEL: 'warn', RATE_LOGIN_IP_LIMIT: '100000', RATE_SIGNUP_IP_LIMIT: '100000', RATE_API_USER_LIMIT: '1000000', RATE_SOCKET_EVENTS_LIMIT: '1000000' } });
let n = 0; const tag = Math.random().toString(36).slice(2, 7);
const signup = async () => { const username = `px${tag}${n++}`; const { body } = await request(api.url, 'POST', '/api/signup', { body: { username, password: 'correct horse battery' }, expect: 201 }); return { id: body.user.id, username, token: body.accessToken }; };
const befriend = async (a, b) => { await request(api.url, 'POST', '/api/friend-requests/send', { token: a.token, body: { username: b.username }, expect: 201 }); const p = await request(api.url, 'GET', '/api/friend-requests/pending', { token: b.token, expect: 200 }); await request(api.url, 'POST', '/api/friend-requests/accept', { token: b.token, body: { requestId: p.body.requests[0].id }, expect: 200 }); };
let c = 0;
try {
  await waitForReady(api, 60000);
  const pairs = [];
  for (let i = 0; i < 4; i++) { const a = await signup(), b = await signup(); await befriend(a, b); pairs.push({ a, b, s: await connectSocket(api.url, a.token) }); }
  for (const [k, per] of [[1, 500], [4, 125], [2, 250], [1, 500], [4, 125]]) {
    const ps = pairs.slice(0, k);
    const c0 = cpuMs(api.pid), f0 = cpuMs(fpid), t0 = performance.now();
    await Promise.all(ps.flatMap((p) => Array.from({ length: per }, () => p.s.timeout(60000).emitWithAck('send_private_message', { recipientId: p.b.id, text: 'hello there', clientId: `cid-${tag}-${c++}` }))));
    const wall = performance.now() - t0;
    console.log(`${k} conv x ${per}: ${Math.round(wall)} ms, ${Math.round(500 / wall * 1000)} msg/s, API cpu ${Math.round((cpuMs(api.pid) - c0) / wall * 100)}%, FerretDB cpu ${Math.round((cpuMs(fpid) - f0) / wall * 100)}%`);
    for (const p of ps) { await request(api.url, 'POST', '/api/contacts/remove', { token: p.a.token, body: { contactId: p.b.id }, expect: 200 }); await befriend(p.a, p.b); }
  }
} finally { await api.stop(); await db.stop(); fs.rmSync(dataDir, { recursive: true, force: true }); process.exit(0); }
