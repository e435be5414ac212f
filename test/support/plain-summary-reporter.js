/**
 * Ends a jest run with one plain line, `tests: N passed, N failed, N skipped`,
 * which CI tooling reads whatever the test runner.
 */
class PlainSummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const failedSuites = results.numRuntimeErrorTestSuites;
    const failed = results.numFailedTests + failedSuites;
    const line = `tests: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped`;
    // At exit, so it closes the output after jest's own summary (also written to stderr).
    process.once('exit', () => process.stderr.write(`\n${line}\n`));
  }
}

module.exports = PlainSummaryReporter;
