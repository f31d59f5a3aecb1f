// @ts-check
// The FerretDB build's source patches: each applies exactly once to the module it targets, and
// a patch whose text is gone (another FerretDB version) stops the build instead of silently
// building an unpatched binary.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { MongoClient } from 'mongodb';
import { PATCHES, applyPatches } from './ferretdb.mjs';
import { startDatabase } from './launcher.mjs';

/** @param {Record<string, string>} files */
function tree(files) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'natter-ferretdb-patch-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

test('every patch replaces its text once', () => {
  const root = tree(
    Object.fromEntries(PATCHES.map((p) => [p.file, `package x\n\nconst (\n\t${p.from}\n)\n`])),
  );
  try {
    applyPatches(root);
    for (const patch of PATCHES) {
      const text = fs.readFileSync(path.join(root, patch.file), 'utf8');
      assert.ok(text.includes(patch.to), `${patch.file} carries the patched text`);
      assert.ok(!text.includes(patch.from), `${patch.file} no longer carries the original`);
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a patch that does not find its text fails the build', () => {
  const root = tree(Object.fromEntries(PATCHES.map((p) => [p.file, 'package x\n'])));
  try {
    assert.throws(() => applyPatches(root), /does not apply/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test(
  'the built FerretDB finds a document by _id through the SQLite _id index',
  { timeout: 600_000 },
  async () => {
    const saved = { ...process.env };
    for (const key of ['MONGODB_URI', 'NATTER_DB_ENGINE', 'FERRETDB_POSTGRESQL_URL'])
      delete process.env[key];
    const database = await startDatabase({ log: () => {} });
    const client = new MongoClient(database.uri);
    try {
      assert.equal(database.engine, 'ferretdb');
      const items = client.db('patch_check').collection('items');
      const { insertedId } = await items.insertOne({ name: 'one' });
      await items.insertOne({ name: 'two' });
      const explained = await client
        .db('patch_check')
        .command({ explain: { find: 'items', filter: { _id: insertedId } } });
      const plan = JSON.stringify(explained.queryPlanner);
      assert.match(plan, /SEARCH \S+ USING INDEX \S+__id_/, plan);
      assert.equal((await items.findOne({ _id: insertedId }))?.name, 'one');
    } finally {
      await client.close();
      await database.stop();
      Object.assign(process.env, saved);
    }
  },
);
