// @ts-check
// Every tool parses its arguments with parseCli (node:util parseArgs): unknown flags and bad
// values stop it with its usage line.
import assert from 'node:assert/strict';
import test from 'node:test';
import { parseScaleArgs } from '../scale/run.mjs';
import { parseStartArgs } from '../start.mjs';

test('npm start: --no-build skips the build; anything else is refused with the usage', () => {
  assert.deepEqual(parseStartArgs([]), { build: true });
  assert.deepEqual(parseStartArgs(['--no-build']), { build: false });
  assert.throws(() => parseStartArgs(['--bogus']), /usage: node tools\/start\.mjs/);
  assert.throws(() => parseStartArgs(['extra']), /usage/);
});

test('scale-local: --no-build and --port N (8080 by default)', () => {
  assert.deepEqual(parseScaleArgs([]), { build: true, port: 8080 });
  assert.deepEqual(parseScaleArgs(['--no-build', '--port', '9000']), { build: false, port: 9000 });
  assert.deepEqual(parseScaleArgs(['--port=9001']), { build: true, port: 9001 });
  assert.throws(() => parseScaleArgs(['--port', 'x']), /--port wants a number/);
  assert.throws(() => parseScaleArgs(['--port']), /usage/);
  assert.throws(() => parseScaleArgs(['--bogus']), /usage/);
});
