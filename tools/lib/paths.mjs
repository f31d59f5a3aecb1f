// @ts-check
// Well-known locations in the repository, resolved from this file so that every tool works
// whatever the current directory is.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Build caches that survive `git clean` of sources but are ignored by git (`.cache/`). */
export const cacheDir = path.join(repoRoot, '.cache');

/** Default local data directory (`.data/`): generated JWT secret, local database. */
export const defaultDataDir = path.join(repoRoot, '.data');
