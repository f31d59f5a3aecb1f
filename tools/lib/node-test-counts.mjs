// @ts-check
// A reporter for node's test runner (the tools' own tests) that appends the run's counts to
// the file NATTER_TEST_COUNTS names, in the format of tools/jest/count-reporter.cjs, so that
// `npm test` can close with one "N passed, N failed" line over every suite it ran.
// Used beside the spec reporter: `node --test --test-reporter=spec ... --test-reporter=<this>`.
import fs from 'node:fs';

/**
 * @param {AsyncIterable<{ type: string, data: any }>} source
 */
export default async function* countReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    // Suites report too; only the tests in them count.
    if (event.data.details?.type === 'suite') continue;
    if (event.data.skip || event.data.todo) counts.skipped++;
    else if (event.type === 'test:pass') counts.passed++;
    else counts.failed++;
  }
  const file = process.env.NATTER_TEST_COUNTS;
  if (file) fs.appendFileSync(file, `${JSON.stringify(counts)}\n`);
  yield '';
}
