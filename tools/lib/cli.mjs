// @ts-check
// The one command-line parser of the tools: node:util parseArgs, strict, with the usage
// line in every error so a typo says what is accepted.
import { parseArgs } from 'node:util';

/**
 * @template {import('node:util').ParseArgsConfig['options']} O
 * @param {string[]} argv
 * @param {string} usage
 * @param {O} options
 * @param {{ positionals?: boolean }} [extra]
 */
export function parseCli(argv, usage, options, extra = {}) {
  try {
    return parseArgs({
      args: argv,
      options,
      strict: true,
      allowPositionals: extra.positionals ?? false,
    });
  } catch (error) {
    throw new Error(`${/** @type {Error} */ (error).message}\n${usage}`);
  }
}
