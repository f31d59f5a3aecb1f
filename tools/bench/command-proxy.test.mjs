// @ts-check
// The round-trip counter of the benchmarks, against the real local database, and the
// benchmark's command line.
import assert from 'node:assert/strict';
import test from 'node:test';
import { MongoClient } from 'mongodb';
import { startDatabase } from '../db/launcher.mjs';
import { countByKind, startCommandProxy } from './command-proxy.mjs';
import { describeCommand } from './explain.mjs';
import { parseBenchArgs } from './run.mjs';

test(
  'the proxy counts each command once and passes the answers through',
  { timeout: 120_000 },
  async () => {
    const db = await startDatabase({ log: () => {} });
    const proxy = await startCommandProxy(new URL(db.uri).host);
    const client = new MongoClient(
      `mongodb://127.0.0.1:${proxy.port}/proxytest?directConnection=true`,
    );
    try {
      const items = client.db().collection('items');
      await items.insertOne({ a: 1 }); // connection set-up and collection creation first
      proxy.reset();
      await items.insertMany([{ a: 2 }, { a: 3 }, { a: 4 }]);
      const found = await items
        .find({ a: { $gte: 2 } })
        .sort({ a: 1 })
        .toArray();
      await items.updateOne({ a: 2 }, { $set: { b: true } });
      assert.deepEqual(
        found.map((doc) => doc.a),
        [2, 3, 4],
      );

      const commands = proxy.commands();
      assert.deepEqual(countByKind(commands), {
        'insert items': 1,
        'find items': 1,
        'update items': 1,
      });
      assert.equal(commands[0].documents, 3);
      assert.equal(commands[0].database, 'proxytest');
      assert.equal(
        describeCommand(commands[1]),
        'find items {"a":{"$gte":"number"}} sort {"a":"number"}',
      );
      assert.match(describeCommand(commands[2]), /^update items \{"a":"number"\}/);
    } finally {
      await client.close();
      await proxy.close();
      await db.stop();
    }
  },
);

test('the benchmark runs every scenario by default, one with --scenario, with its settings', () => {
  const all = parseBenchArgs([]);
  assert.deepEqual(all.scenarios, ['classic', 'open-loop', 'round-trips', 'stored', 'engine']);
  assert.deepEqual(all.openLoop.rates, [25, 50, 100, 200, 300, 400, 500, 600, 800]);
  assert.equal(all.openLoop.stepSeconds, 15);
  assert.equal(all.openLoop.pairs, 50);
  assert.deepEqual(all.stored.sizes, [1_000, 10_000, 50_000]);
  const one = parseBenchArgs([
    '--scenario',
    'open-loop',
    '--rates',
    '10,20',
    '--step-seconds',
    '5',
  ]);
  assert.deepEqual(one.scenarios, ['open-loop']);
  assert.deepEqual(one.openLoop.rates, [10, 20]);
  assert.equal(one.openLoop.stepSeconds, 5);
  assert.deepEqual(parseBenchArgs(['--api-env', 'UV_THREADPOOL_SIZE=8']).apiEnv, {
    UV_THREADPOOL_SIZE: '8',
  });
  assert.throws(() => parseBenchArgs(['--scenario', 'nope']), /unknown scenario/);
  assert.throws(() => parseBenchArgs(['--rates', '10,x']), /positive numbers/);
  assert.throws(() => parseBenchArgs(['--out', 'f.json']), /exactly one --scenario/);
});
