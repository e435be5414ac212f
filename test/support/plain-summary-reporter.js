const { writeFileSync } = require('node:fs');

/**
 * Produces one plain line, `tests: N passed, N failed, N skipped`, which CI tooling reads whatever
 * the runner. Under scripts/with-kafka.ts it goes to TEST_SUMMARY_FILE, and the wrapper prints it
 * last of all; run directly, jest prints it here.
 */
class PlainSummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line = `tests: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped`;
    if (process.env.TEST_SUMMARY_FILE) writeFileSync(process.env.TEST_SUMMARY_FILE, `${line}\n`);
    else process.stderr.write(`\n${line}\n`);
  }
}

module.exports = PlainSummaryReporter;
