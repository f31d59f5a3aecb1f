// @ts-check
// `npm test`'s phases: which run, on which engine, and which are skipped (and why).
import assert from 'node:assert/strict';
import test from 'node:test';
import { PHASES, parseTestArgs, phaseEnv, skipReason } from './test.mjs';

test('every phase runs by default, api-pg among them; --only picks one', () => {
  assert.deepEqual(parseTestArgs([]), ['unit', 'api', 'api-pg', 'web']);
  assert.deepEqual(parseTestArgs(['--only', 'api-pg']), ['api-pg']);
  assert.deepEqual(parseTestArgs(['--only=unit']), ['unit']);
  assert.throws(() => parseTestArgs(['--only', 'nope']), /usage/);
  assert.throws(() => parseTestArgs(['--bogus']), /usage/);
});

test('api-pg is skipped with a clear reason without FERRETDB_POSTGRESQL_URL', () => {
  assert.match(String(skipReason(PHASES['api-pg'], {})), /FERRETDB_POSTGRESQL_URL is not set/);
  assert.match(
    String(
      skipReason(PHASES['api-pg'], {
        FERRETDB_POSTGRESQL_URL: 'postgres://p@h/x',
        MONGODB_URI: 'mongodb://m',
      }),
    ),
    /MONGODB_URI is set/,
  );
  assert.equal(skipReason(PHASES['api-pg'], { FERRETDB_POSTGRESQL_URL: 'postgres://p@h/x' }), null);
  for (const name of ['unit', 'api', 'web']) assert.equal(skipReason(PHASES[name], {}), null);
});

test('api runs on the SQLite default and api-pg on PostgreSQL, whatever the shell chose', () => {
  const shell = {
    FERRETDB_POSTGRESQL_URL: 'postgres://p@h/x',
    NATTER_DB_ENGINE: 'ferretdb-postgresql',
  };
  const api = phaseEnv(PHASES.api, shell);
  assert.equal(api.FERRETDB_POSTGRESQL_URL, undefined);
  assert.equal(api.NATTER_DB_ENGINE, undefined);
  const apiPg = phaseEnv(PHASES['api-pg'], { FERRETDB_POSTGRESQL_URL: 'postgres://p@h/x' });
  assert.equal(apiPg.NATTER_DB_ENGINE, 'ferretdb-postgresql');
  assert.equal(apiPg.FERRETDB_POSTGRESQL_URL, 'postgres://p@h/x');
  // The tools' own unit tests try the launcher on the configured PostgreSQL.
  assert.equal(phaseEnv(PHASES.unit, shell).FERRETDB_POSTGRESQL_URL, 'postgres://p@h/x');
});
