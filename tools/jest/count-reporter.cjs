// Appends each jest run's test counts to a file when NATTER_TEST_COUNTS is set, so that
// `npm test` can close with one "N passed, N failed" line over every suite it ran, and
// name the failing tests in that closing summary (the end of a long log is what gets read).
const fs = require('node:fs');
const path = require('node:path');
const { stripVTControlCharacters } = require('node:util');

/** The first lines of a failure message, without colour codes: enough to recognise it. */
function firstLines(message, count = 4) {
  return stripVTControlCharacters(String(message))
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '')
    .slice(0, count)
    .join('\n');
}

class CountReporter {
  onRunComplete(_contexts, results) {
    const file = process.env.NATTER_TEST_COUNTS;
    if (!file) return;
    const failures = [];
    for (const suite of results.testResults) {
      const suitePath = path.relative(process.cwd(), suite.testFilePath);
      if (suite.testExecError) {
        failures.push({ test: suitePath, message: firstLines(suite.testExecError.message) });
      }
      for (const test of suite.testResults) {
        if (test.status !== 'failed') continue;
        failures.push({
          test: `${suitePath} › ${test.fullName}`,
          message: firstLines(test.failureMessages.join('\n')),
        });
      }
    }
    const line = JSON.stringify({
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
      failures,
    });
    fs.appendFileSync(file, line + '\n');
  }
}

module.exports = CountReporter;
