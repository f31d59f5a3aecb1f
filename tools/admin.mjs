// @ts-check
// `npm run admin -- <command>`: the administration CLI (apps/api/src/cli.ts) against the same
// database `npm start` uses — MONGODB_URI when set, otherwise the embedded one in .data/db.
// Run with no command for the list of commands.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startDatabase } from './db/launcher.mjs';
import { ensureDependencies, nxBin, nxEnv } from './lib/deps.mjs';
import { defaultDataDir, repoRoot } from './lib/paths.mjs';
import { run, say } from './lib/proc.mjs';

const cli = path.join(repoRoot, 'dist', 'apps', 'api', 'cli.js');

async function main() {
  const args = process.argv.slice(2);
  await ensureDependencies();
  if (!fs.existsSync(cli)) {
    say('admin', 'building the API first...');
    const code = await run(nxBin, ['run-many', '-t', 'build', '-p', 'contracts', 'api'], {
      cwd: repoRoot,
      env: nxEnv(),
    });
    if (code !== 0) process.exit(code);
  }
  const database = await startDatabase({ persistent: true, log: () => undefined });
  try {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: repoRoot,
      stdio: 'inherit',
      env: {
        ...process.env,
        MONGODB_URI: database.uri,
        DATA_DIR: process.env.DATA_DIR ?? defaultDataDir,
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
      },
    });
    const code = await new Promise((resolve) =>
      child.on('exit', (exitCode) => resolve(exitCode ?? 1)),
    );
    process.exitCode = Number(code);
  } finally {
    await database.stop();
  }
}

main().catch((error) => {
  say('admin', error instanceof Error ? error.message : String(error));
  process.exit(1);
});
