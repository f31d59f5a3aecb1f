import 'reflect-metadata';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import passport, { Strategy } from 'passport';
import { createApp } from '../../src/app.setup';

export interface TestApp {
  app: NestExpressApplication;
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  /** The database of this app (for asserting what was or was not stored). */
  db: Connection;
  close(): Promise<void>;
}

/**
 * passport keeps one strategy registry per process, and each app registers its own 'jwt'
 * strategy in it as it boots, so with several apps in one test process the last one would
 * check every app's requests (against its own database and sessions). In production there is
 * one app per process. Here each app's strategy is kept by its Express app, and a dispatcher
 * registered under the same name hands each request to the strategy of the app it reached.
 */
const jwtStrategies = new WeakMap<object, Strategy>();
type PassportStrategyCall = Strategy &
  Pick<passport.StrategyCreatedStatic, 'success' | 'fail' | 'error' | 'pass' | 'redirect'>;
const jwtDispatcher: Strategy = {
  name: 'jwt',
  authenticate(this: PassportStrategyCall, request, options) {
    const target = jwtStrategies.get(request.app);
    if (!target) return this.error(new Error('request reached an app without a jwt strategy'));
    const call: PassportStrategyCall = Object.assign(Object.create(target) as Strategy, {
      success: this.success,
      fail: this.fail,
      error: this.error,
      pass: this.pass,
      redirect: this.redirect,
    });
    Reflect.apply(target.authenticate, call, [request, options]);
  },
};

function routeJwtStrategy(app: NestExpressApplication): void {
  const registry = passport as unknown as { _strategy(name: string): Strategy | undefined };
  const own = registry._strategy('jwt');
  if (!own || own === jwtDispatcher) throw new Error('the app did not register its jwt strategy');
  jwtStrategies.set(app.getHttpAdapter().getInstance(), own);
  passport.use('jwt', jwtDispatcher);
}

/** A database name of its own for each suite, on the server tools/db/launcher.mjs started. */
export function uniqueDatabaseUri(label: string): string {
  const base = process.env.MONGODB_URI;
  if (!base)
    throw new Error(
      'MONGODB_URI is not set: run e2e tests through `nx run api:e2e` (tools/db/launcher.mjs)',
    );
  const url = new URL(base);
  url.pathname = `/t_${label.replace(/[^a-z0-9]/gi, '').slice(0, 20)}_${randomBytes(4).toString('hex')}`;
  return url.toString();
}

/** Environment every test app gets unless a suite overrides it. Generous limits keep suites independent. */
export const TEST_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'silent',
  JWT_SECRET: 'test-secret-that-is-long-enough-0123456789',
  RATE_LOGIN_IP_LIMIT: '10000',
  RATE_LOGIN_USERNAME_LIMIT: '10000',
  RATE_SIGNUP_IP_LIMIT: '10000',
  RATE_API_USER_LIMIT: '100000',
  RATE_SOCKET_EVENTS_LIMIT: '100000',
  RATE_UPLOADS_LIMIT: '10000',
};

/**
 * Boots the real application (same setup as main.ts) on a random port against the real
 * database. `env` overrides configuration for this app only; pass the same `databaseUri`
 * to two apps to simulate two API processes.
 */
export async function createTestApp(options: {
  label: string;
  env?: Record<string, string>;
  databaseUri?: string;
}): Promise<TestApp> {
  const databaseUri = options.databaseUri ?? uniqueDatabaseUri(options.label);
  const env = {
    ...TEST_ENV,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'natter-test-data-')),
    MONGODB_URI: databaseUri,
    WEB_DIST: join(tmpdir(), 'natter-no-web'),
    ...options.env,
  };
  const saved = { ...process.env };
  Object.assign(process.env, env);
  let app: NestExpressApplication;
  try {
    app = await createApp({ logger: false });
    routeJwtStrategy(app);
    await app.listen(0, '127.0.0.1');
  } finally {
    // Configuration is read at boot; restore so the next app in this worker starts clean.
    for (const key of Object.keys(env)) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  }
  const db = app.get<Connection>(getConnectionToken());
  // Unique indexes carry invariants that tests exercise right away.
  await Promise.all(Object.values(db.models).map((model) => model.init()));
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    url: `http://127.0.0.1:${address.port}`,
    db,
    async close() {
      await app.close();
    },
  };
}

/** Drops the suite's database; call once in afterAll after closing every app that uses it. */
export async function dropDatabase(testApp: TestApp): Promise<void> {
  await testApp.db.dropDatabase().catch(() => undefined);
}

/** Configuration for an app on the shared test Redis, with keys of its own. */
export function sharedRedisEnv(): Record<string, string> {
  return {
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_KEY_PREFIX: `t${randomBytes(4).toString('hex')}:`,
  };
}

/** Two API processes on one database (and one Redis when `env` names it), as when scaled out. */
export async function createTwoApps(options: {
  label: string;
  databaseUri?: string;
  env?: Record<string, string>;
}): Promise<[TestApp, TestApp]> {
  const databaseUri = options.databaseUri ?? uniqueDatabaseUri(options.label);
  const one = await createTestApp({ ...options, databaseUri });
  const two = await createTestApp({ ...options, databaseUri });
  return [one, two];
}

/** Drops the database the apps share, then closes them; call in afterAll. */
export async function closeApps(...apps: TestApp[]): Promise<void> {
  await dropDatabase(apps[0]);
  for (const app of apps) await app.close();
}
