import { existsSync } from 'node:fs';
import { CHROMIUM_PATH } from './browser';

/**
 * `describe` for suites that need Chromium. In CI (`CI=true`) a missing browser fails the run (.ci/run installs
 * it); elsewhere the suite is skipped with the reason printed, so `npm test` passes on a machine with only Node.
 */
export function describeInBrowser(name: string, suite: () => void): void {
  if (existsSync(CHROMIUM_PATH)) {
    describe(name, suite);
    return;
  }
  const reason = `no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH)`;
  if (process.env.CI === 'true') throw new Error(`${name}: ${reason}; CI must run the browser tests.`);
  process.stderr.write(`Skipping "${name}": ${reason}.\n`);
  describe.skip(name, suite);
}
