// @ts-check
// The report writer: markdown per scenario (printed by tools/bench/run.mjs), JSON files.
import { formatClassic } from './classic.mjs';
import { formatOpenLoop } from './open-loop.mjs';
import { formatEngine, formatRoundTrips, formatStored } from './database.mjs';

export { formatJson } from './common.mjs';

/**
 * @param {string} scenario
 * @param {any} results
 * @returns {string} markdown
 */
export function formatScenario(scenario, results) {
  if (scenario === 'classic') return formatClassic(results);
  if (scenario === 'open-loop') return formatOpenLoop(results);
  if (scenario === 'round-trips') return formatRoundTrips(results);
  if (scenario === 'engine') return formatEngine(results);
  return formatStored(results);
}
