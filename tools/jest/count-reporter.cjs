// Appends each jest run's test counts to a file when NATTER_TEST_COUNTS is set, so that
// `npm test` can close with one "N passed, N failed" line over every suite it ran.
const fs = require('node:fs');

class CountReporter {
  onRunComplete(_contexts, results) {
    const file = process.env.NATTER_TEST_COUNTS;
    if (!file) return;
    const line = JSON.stringify({
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    });
    fs.appendFileSync(file, line + '\n');
  }
}

module.exports = CountReporter;
