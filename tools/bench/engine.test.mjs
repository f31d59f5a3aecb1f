// @ts-check
// The engine scenario's operation list and its table, on made-up figures (no database).
import assert from 'node:assert/strict';
import test from 'node:test';
import { formatEngine, pushdownOf } from './report/database.mjs';
import { ENGINE_OPERATIONS } from './scenarios/engine.mjs';

test('the engine scenario measures each operation kind once, on a known collection', () => {
  const keys = ENGINE_OPERATIONS.map((operation) => operation.key);
  assert.equal(new Set(keys).size, keys.length);
  assert.deepEqual(keys.slice(0, 3), ['ping', 'insertOne', 'insertMany']);
  for (const operation of ENGINE_OPERATIONS)
    assert.ok([null, 'conversations', 'messages'].includes(operation.collection), operation.key);
});

test('pushdownOf names what reached the backend, or the plan stages on MongoDB', () => {
  assert.equal(pushdownOf(null), '–');
  assert.equal(
    pushdownOf({ pushdown: { filterPushdown: true, sortPushdown: false, limitPushdown: true } }),
    'filter, limit',
  );
  assert.equal(pushdownOf({ pushdown: { filterPushdown: false } }), 'none');
  assert.equal(pushdownOf({ stages: [{ stage: 'FETCH' }, { stage: 'IXSCAN' }] }), 'FETCH ← IXSCAN');
  assert.equal(pushdownOf({ error: 'no' }), 'explain failed');
});

test('the engine table has an operation a row and an engine × size a column', () => {
  /** @param {string} key @param {number} size @param {number} cpu @param {boolean} filter */
  const level = (key, size, cpu, filter) => ({
    key,
    label: `${key} label`,
    conversations: size,
    n: 10,
    databaseCpuMsPerOperation: cpu,
    wallMs: { p50: cpu + 0.5 },
    explain: key === 'ping' ? null : { pushdown: { filterPushdown: filter } },
  });
  const results = {
    meta: {
      quick: false,
      date: '2026-12-02T10:00:00.000Z',
      cpus: 2,
      cpuModel: 'cpu',
      memoryGiB: 1,
      node: 'v20',
      git: { commit: 'abc' },
      durationSeconds: 1,
      loadAverage: { atStart: [0.5], atEnd: [0.7] },
    },
    settings: { sizes: [50, 500], messages: 3000, count: 500, budgetMs: 4000 },
    runs: [
      {
        engine: 'ferretdb',
        levels: [
          level('ping', 50, 0.1, false),
          level('findIn', 50, 9.5, false),
          level('findIn', 500, 90, false),
        ],
      },
      { engine: 'ferretdb-postgresql', levels: [level('findIn', 500, 107, true)] },
    ],
  };
  const lines = formatEngine(results).split('\n');
  assert.match(lines[0], /^## Natter benchmark: what the database charges per operation/);
  assert.ok(
    lines.includes(
      '| operation | ferretdb 50 | ferretdb 500 | ferretdb-postgresql 50 | ferretdb-postgresql 500 | pushdown ferretdb | pushdown ferretdb-postgresql |',
    ),
  );
  assert.ok(lines.includes('| ping label | 0.10 / 0.60 (10) | – | – | – | – | – |'));
  assert.ok(
    lines.includes(
      '| findIn label | 9.50 / 10.0 (10) | 90.0 / 90.5 (10) | – | 107.0 / 107.5 (10) | none | filter |',
    ),
  );
});
