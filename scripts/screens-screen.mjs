// The README's picture of the meeting-room screen during a vote (docs/screens/screen-vote.png): the browser test
// that runs a Convention meeting takes it at the fourteenth ballot when SCREENS_DIR is set, so the picture shows
// a real server and a real meeting, made the same way the test checks them. Needs Debian's Chromium.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = spawnSync('npx', ['jest', 'test/pages/screen.test.ts', '-t', 'follows a Convention meeting live'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, SCREENS_DIR: path.join(root, 'docs', 'screens') },
});
process.exit(run.status ?? 1);
