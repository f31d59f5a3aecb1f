import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from './free-port';
import { TEST_ENV } from './test-app';

const repoRoot = resolve(__dirname, '../../../..');
const apiMain = join(repoRoot, 'dist/apps/api/main.js');

/**
 * Builds the API and the contracts it requires at run time (dist/apps/api, libs/contracts/
 * dist), so that suites that run the API as a real process test the current source. Nx's
 * cache makes this a no-op when nothing changed.
 */
export function buildApi(): void {
  execFileSync(
    join(repoRoot, 'node_modules/.bin/nx'),
    ['run-many', '-t', 'build', '-p', 'contracts', 'api', '--outputStyle=static'],
    {
      cwd: repoRoot,
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
      stdio: 'pipe',
    },
  );
  if (!existsSync(apiMain)) throw new Error(`the build did not produce ${apiMain}`);
}

export interface ApiProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the process printed so far (JSON log lines at LOG_LEVEL). */
  output(): string;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited: Promise<number | string>;
  /** SIGKILL if still running (clean-up after a failed test). */
  kill(): void;
}

/** Starts the built API (dist/apps/api/main.js) as a child process and waits until it is ready. */
export async function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [apiMain], {
    cwd: repoRoot,
    env: {
      ...process.env,
      ...TEST_ENV,
      LOG_LEVEL: 'info',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'natter-test-data-')),
      WEB_DIST: join(tmpdir(), 'natter-no-web'),
      ...env,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-200_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<number | string>((resolveExit) =>
    child.once('exit', (code, signal) => resolveExit(code ?? signal ?? 'unknown')),
  );
  const api: ApiProcess = {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    output: () => output,
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
  await waitUntilReady(api, 60_000);
  return api;
}

async function waitUntilReady(api: ApiProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (api.child.exitCode !== null) {
      throw new Error(`the API exited before it was ready:\n${api.output().slice(-4000)}`);
    }
    const ready = await fetch(`${api.url}/api/health/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((wait) => setTimeout(wait, 200));
  }
  api.kill();
  throw new Error(`the API was not ready within ${timeoutMs} ms:\n${api.output().slice(-4000)}`);
}
