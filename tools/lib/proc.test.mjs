// @ts-check
// Process supervision the launcher, the benchmarks and `npm start` rely on.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import test from 'node:test';
import { parseCli } from './cli.mjs';
import { freePort } from './net.mjs';
import { isAlive, signalExitCode, superviseChild } from './proc.mjs';

test('stop() asks politely, then kills a child that ignores SIGTERM', async () => {
  const child = spawn(
    process.execPath,
    [
      '-e',
      "process.on('SIGTERM', () => console.log('ignored')); console.log('up'); setInterval(() => {}, 1000)",
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const supervised = superviseChild(child, 'stubborn');
  while (!supervised.output().includes('up')) await new Promise((r) => setTimeout(r, 20));
  const started = Date.now();
  // A grace period long enough for the child to answer SIGTERM on a loaded machine.
  await supervised.stop(1500);
  assert.ok(supervised.exited());
  assert.ok(Date.now() - started >= 1400, 'it was killed before the grace period');
  assert.match(supervised.output(), /ignored/);
  assert.match(supervised.output(), /stubborn exited with signal SIGKILL/);
  assert.ok(!isAlive(/** @type {number} */ (child.pid)));
});

test('a child that cannot start is reported as exited, with the reason', async () => {
  const child = spawn('/nonexistent/binary-for-this-test', [], { stdio: 'pipe' });
  const supervised = superviseChild(child, 'missing');
  await supervised.stop(100);
  assert.ok(supervised.exited());
  assert.match(supervised.output(), /ENOENT/);
});

test('signalling a child that never started reaches nobody else', async () => {
  // Node signals pid 0 (the caller's whole process group) when a child whose spawn failed
  // is killed before its 'error' event, on some tries out of many. Run the tries in a
  // process group of their own and count the SIGTERMs that come back to it.
  const procModule = new URL('./proc.mjs', import.meta.url).href;
  const script = `
    import { spawn } from 'node:child_process';
    import { signalChild } from ${JSON.stringify(procModule)};
    let received = 0;
    process.on('SIGTERM', () => received++);
    for (let i = 0; i < 200; i++) {
      const child = spawn('/nonexistent/binary-for-this-test', [], { stdio: 'ignore' });
      child.on('error', () => {});
      signalChild(child, 'SIGTERM');
    }
    setTimeout(() => console.log(JSON.stringify({ received })), 200);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  const code = await new Promise((resolve) => child.once('exit', resolve));
  assert.equal(code, 0);
  assert.deepEqual(JSON.parse(stdout), { received: 0 });
});

test('the output kept for error messages is the tail, bounded', async () => {
  const child = spawn(process.execPath, ['-e', "process.stdout.write('x'.repeat(20000) + 'END')"], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const supervised = superviseChild(child, 'chatty');
  await new Promise((resolve) => child.once('exit', resolve));
  await supervised.stop(100);
  assert.ok(supervised.output().length <= 8000);
  assert.match(supervised.output(), /END/);
});

test('exit codes of signals are those a shell reports', () => {
  assert.equal(signalExitCode('SIGINT'), 130);
  assert.equal(signalExitCode('SIGTERM'), 143);
  assert.equal(signalExitCode(null), 1);
});

test('isAlive tells a running process from one that is gone', async () => {
  assert.ok(isAlive(process.pid));
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.once('exit', resolve));
  assert.ok(!isAlive(/** @type {number} */ (child.pid)));
  assert.ok(!isAlive(0) && !isAlive(-1));
});

test('freePort returns a port that can be bound right away', async () => {
  const port = await freePort();
  const server = net.createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(undefined));
  });
  await new Promise((resolve) => server.close(resolve));
});

test('parseCli is strict and names the usage on a mistake', () => {
  const usage = 'usage: tool [--flag]';
  assert.equal(parseCli(['--flag'], usage, { flag: { type: 'boolean' } }).values.flag, true);
  assert.throws(() => parseCli(['--nope'], usage, { flag: { type: 'boolean' } }), /usage: tool/);
});
