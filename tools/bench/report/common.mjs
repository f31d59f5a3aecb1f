// @ts-check
// What every scenario's report shares: number formats, the heading with the machine and the
// load it was under, and JSON written as the repository's Prettier would.
import path from 'node:path';
import { repoRoot } from '../../lib/paths.mjs';

/** @param {number | null | undefined} value */
export const ms = (value) =>
  value === null || value === undefined || Number.isNaN(value)
    ? '–'
    : value.toFixed(value < 10 ? 2 : 1);

/**
 * The heading lines of a scenario's report.
 * @param {any} r  the results object (meta, database)
 * @param {string} title
 * @returns {string[]}
 */
export function heading(r, title) {
  const m = r.meta;
  const database = r.database ? `database: ${r.database.description} (${r.database.engine}), ` : '';
  return [
    `## Natter benchmark: ${title}${m.quick ? ' (quick)' : ''}, ${m.date}`,
    '',
    `${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, ${database}` +
      `commit ${m.git?.commit ?? '?'}${m.git?.uncommittedChangesInAppsOrLibs ? ' + uncommitted changes' : ''}, ${m.durationSeconds} s, ` +
      `load average ${m.loadAverage.atStart[0]} at start, ${m.loadAverage.atEnd[0]} at end.`,
    '',
  ];
}

/**
 * JSON as the repository's Prettier would write it, so `npm run format` leaves the committed
 * results alone; plain JSON.stringify where Prettier is not installed.
 * @param {unknown} value
 */
export async function formatJson(value) {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  try {
    const prettier = await import('prettier');
    const config = (await prettier.resolveConfig(path.join(repoRoot, 'package.json'))) ?? {};
    return await prettier.format(text, { ...config, parser: 'json' });
  } catch {
    return text;
  }
}
