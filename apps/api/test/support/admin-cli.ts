import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repoRoot = resolve(__dirname, '../../../..');
const cli = join(repoRoot, 'dist', 'apps', 'api', 'cli.js');
let built = false;

/** Builds the API as `npm run admin` runs it (nx caches the build when nothing changed). */
export function buildAdminCli(): void {
  if (built) return;
  const result = spawnSync(
    'npx',
    ['nx', 'run-many', '-t', 'build', '-p', 'contracts', 'api', '--outputStyle=static'],
    { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } },
  );
  if (result.status !== 0) throw new Error(`API build failed:\n${result.stdout}\n${result.stderr}`);
  built = true;
}

export interface CliRun {
  code: number;
  output: string;
  /** When the command printed its result (the change was made by then). */
  doneAt: number;
}

/** Runs the administration CLI as its own process against a test database. */
export function runAdminCli(
  args: string[],
  env: { MONGODB_URI: string; REDIS_URL?: string; REDIS_KEY_PREFIX?: string },
): Promise<CliRun> {
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      JWT_SECRET: 'test-secret-that-is-long-enough-0123456789',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'natter-cli-data-')),
      ...env,
    },
  });
  let output = '';
  let doneAt = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    doneAt ||= Date.now();
  });
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolvePromise) =>
    child.on('exit', (code) => resolvePromise({ code: code ?? 1, output, doneAt })),
  );
}
