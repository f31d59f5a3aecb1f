// @ts-check
// Smoke test of the launcher CLI: `node tools/db/smoke.mjs`.
// Starts the database through `launcher.mjs -- node -e ...`, inserts and finds a document
// and checks a unique index rejects a duplicate (11000) from the child, then checks that the
// server is gone and its temporary data directory removed once the launcher has exited.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { repoRoot } from '../lib/paths.mjs';

const child = `
const { MongoClient } = require('mongodb');
(async () => {
  const client = new MongoClient(process.env.MONGODB_URI);
  try {
    const items = client.db().collection('smoke');
    await items.createIndex({ key: 1 }, { unique: true });
    await items.insertOne({ key: 'a', value: 42 });
    const found = await items.findOne({ key: 'a' });
    if (found?.value !== 42) throw new Error('inserted document not found');
    const duplicate = await items.insertOne({ key: 'a' }).then(() => null, (error) => error.code);
    if (duplicate !== 11000) throw new Error('unique index did not reject a duplicate: ' + duplicate);
    console.log('child: insert, find and unique index ok on ' + process.env.NATTER_DB_ENGINE);
  } finally {
    await client.close();
  }
})().then(() => process.exit(7), (error) => { console.error(error); process.exit(1); });
`;

const launcher = spawn(
  process.execPath,
  [path.join(repoRoot, 'tools/db/launcher.mjs'), '--', process.execPath, '-e', child],
  {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'pipe'],
  },
);
let stderr = '';
launcher.stderr.on('data', (chunk) => {
  stderr += chunk;
  process.stderr.write(chunk);
});
const code = await new Promise((resolve) => launcher.once('exit', resolve));

/** @type {string[]} */
const problems = [];
// 7 is the child's own exit code: the launcher must pass it through.
if (code !== 7) problems.push(`launcher exited with ${code}, expected the child's 7`);
const engine = /engine: (\S+)/.exec(stderr)?.[1];
const port = /127\.0\.0\.1:(\d+)\//.exec(stderr)?.[1];
const dataDir = /SQLite in (\S+)\/ferretdb,/.exec(stderr)?.[1];
if (engine === 'ferretdb') {
  if (dataDir && fs.existsSync(dataDir))
    problems.push(`temporary data directory ${dataDir} was left behind`);
  if (port && (await answers(Number(port))))
    problems.push(`something still listens on port ${port}`);
}

if (problems.length > 0) {
  console.error(`smoke: FAILED\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log(`smoke: ok (engine ${engine})`);

/**
 * @param {number} port
 * @returns {Promise<boolean>}
 */
function answers(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
