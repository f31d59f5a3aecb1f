// @ts-check
// Small process helpers shared by the tools. Plain Node only: these run before `npm ci`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Print a tagged progress line on stderr (stdout stays free for the wrapped programs).
 * @param {string} tag
 * @param {string} message
 */
export function say(tag, message) {
  process.stderr.write(`[${tag}] ${message}\n`);
}

/**
 * Exit code a shell would report for a child killed by `signal` (128 + signal number).
 * @param {NodeJS.Signals | null} signal
 * @returns {number}
 */
export function signalExitCode(signal) {
  const number = signal ? os.constants.signals[signal] : undefined;
  return typeof number === 'number' ? 128 + number : 1;
}

/**
 * Run a command with inherited stdio and resolve with its exit code (never rejects on a
 * non-zero code; rejects only when the command cannot be started at all).
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').SpawnOptions} [options]
 * @returns {Promise<number>}
 */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options });
    child.once('error', (error) => reject(new Error(`cannot run ${command}: ${error.message}`)));
    child.once('exit', (code, signal) => resolve(code ?? signalExitCode(signal)));
  });
}

/**
 * Run a command, capture its stdout (stderr is shown), and reject with a readable error on
 * failure.
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').SpawnOptions} [options]
 * @returns {Promise<string>}
 */
export function capture(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], ...options });
    /** @type {Buffer[]} */
    const chunks = [];
    child.stdout?.on('data', (chunk) => chunks.push(chunk));
    child.once('error', (error) => reject(new Error(`cannot run ${command}: ${error.message}`)));
    child.once('exit', (code, signal) => {
      const stdout = Buffer.concat(chunks).toString('utf8');
      if (code === 0) resolve(stdout);
      else {
        const status = code === null ? `signal ${signal}` : `exit code ${code}`;
        reject(new Error(`${command} ${args.join(' ')} failed (${status})\n${stdout.trim()}`));
      }
    });
  });
}

/**
 * Find an executable on PATH, then in the extra directories given.
 * @param {string} name
 * @param {string[]} [extraDirs]
 * @returns {string | null}
 */
export function findExecutable(name, extraDirs = []) {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), ...extraDirs];
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

/**
 * @param {string} file
 * @returns {boolean}
 */
export function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Send a signal to a child process while it runs; a no-op once it has exited or when it
 * never started. Never call `child.kill()` directly: a child whose spawn failed (ENOENT,
 * EACCES) keeps its process handle until its 'error' event, and on some tries killing it
 * then signals pid 0, which is our whole process group (the test runner, the shell, CI),
 * not the child. Such a child has no `pid`.
 * @param {import('node:child_process').ChildProcess} child
 * @param {NodeJS.Signals} signal
 * @returns {boolean} whether a signal was sent
 */
export function signalChild(child, signal) {
  if (!child.pid || child.exitCode !== null || child.signalCode !== null) return false;
  return child.kill(signal);
}

/**
 * Whether a process with this id exists (on this machine).
 * @param {number} pid
 */
export function isAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
  }
}

/**
 * Follows a long-running child process: keeps the last 8 kB of its output for error
 * messages, notes how it ended, and stops it politely (SIGTERM, then SIGKILL after a grace
 * period). `onOutput` sees every chunk of stdout and stderr as it arrives.
 * @param {import('node:child_process').ChildProcess} child
 * @param {string} label how the child is named in the exit note, e.g. 'FerretDB'
 * @param {(chunk: Buffer) => void} [onOutput]
 */
export function superviseChild(child, label, onOutput) {
  let tail = '';
  let exited = false;
  /** @param {string} text */
  const note = (text) => {
    tail = (tail + text).slice(-8000);
  };
  /** @param {Buffer} chunk */
  const onData = (chunk) => {
    note(chunk.toString('utf8'));
    onOutput?.(chunk);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  /** @type {Promise<void>} */
  const done = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      note(`\n(${label} exited with ${signal ? `signal ${signal}` : `code ${code}`})`);
      exited = true;
      resolve();
    });
    child.once('error', (error) => {
      // Spawn failures (ENOENT, EACCES) emit 'error' and no 'exit'.
      note(`\n${error.message}`);
      exited = true;
      resolve();
    });
  });
  return {
    exited: () => exited,
    output: () => tail.trim() || '(no output)',
    /** @param {number} graceMs */
    async stop(graceMs) {
      if (exited) return;
      signalChild(child, 'SIGTERM');
      const timer = setTimeout(() => signalChild(child, 'SIGKILL'), graceMs);
      await done;
      clearTimeout(timer);
    },
  };
}
