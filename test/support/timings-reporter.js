/**
 * A Jest reporter printing each test file's duration, slowest first, at the end of a run:
 * `npx jest --reporters=default --reporters=./test/support/timings-reporter.js` (as .ci/run does).
 */
class TimingsReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
    this.files = [];
  }

  onTestResult(_test, result) {
    const { start, end } = result.perfStats;
    const file = result.testFilePath.startsWith(`${this.rootDir}/`)
      ? result.testFilePath.slice(this.rootDir.length + 1)
      : result.testFilePath;
    this.files.push({ file, ms: end - start, failed: result.numFailingTests > 0 || result.testExecError != null });
  }

  onRunComplete() {
    if (this.files.length === 0) return;
    const sorted = [...this.files].sort((a, b) => b.ms - a.ms);
    const total = sorted.reduce((sum, entry) => sum + entry.ms, 0);
    const lines = sorted.map(
      (entry) => `${(entry.ms / 1000).toFixed(1).padStart(7)} s  ${entry.file}${entry.failed ? '  (failed)' : ''}`,
    );
    process.stderr.write(
      `\nTest files by duration (${sorted.length} files, ${(total / 1000).toFixed(1)} s in all, summed across workers):\n` +
        `${lines.join('\n')}\n`,
    );
  }
}

module.exports = TimingsReporter;
