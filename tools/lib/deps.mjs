// @ts-check
// "Fresh clone" set-up shared by `npm start` and `npm test`: install the locked npm
// dependencies when they are missing or older than package-lock.json.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths.mjs';
import { run, say } from './proc.mjs';

/**
 * @param {string} file
 * @returns {number} modification time in ms, or -1 when the file does not exist
 */
function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

/** True when `npm ci` is needed: no node_modules, or the lock file changed since the install. */
export function dependenciesOutdated() {
  // npm writes node_modules/.package-lock.json at the end of every install, so it is the
  // marker of what is installed.
  const installed = mtime(path.join(repoRoot, 'node_modules', '.package-lock.json'));
  const wanted = mtime(path.join(repoRoot, 'package-lock.json'));
  return installed < 0 || wanted > installed;
}

/** Run `npm ci` when needed; throw when it fails. */
export async function ensureDependencies() {
  if (!dependenciesOutdated()) return;
  say('setup', 'installing npm dependencies (npm ci)...');
  const code = await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: repoRoot });
  if (code !== 0) throw new Error(`npm ci failed with exit code ${code}`);
}

/**
 * Environment for child Nx runs: no background daemon left behind by a one-shot command,
 * and no Nx Cloud calls (there is no network beyond the package registries).
 * @returns {NodeJS.ProcessEnv}
 */
export function nxEnv() {
  return { ...process.env, NX_DAEMON: process.env.NX_DAEMON ?? 'false', NX_NO_CLOUD: 'true' };
}

/** The locally installed Nx CLI (not `npx nx`, which would try the registry if it is missing). */
export const nxBin = path.join(repoRoot, 'node_modules', '.bin', 'nx');
