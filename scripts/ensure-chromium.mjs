// `npm test` runs this first (pretest): the sandbox end-to-end test drives Debian's Chromium, so a
// fresh machine gets it from Debian's packages here — never a downloaded browser build. Quick when
// Chromium is already there.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root) {
    console.error(`${CHROMIUM} is missing and this is not root: install Debian's chromium (apt-get install -y chromium) and run the tests again.`);
    process.exit(1);
  }
  console.log('Installing Debian’s chromium for the end-to-end test (apt-get)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: ['ignore', 'ignore', 'inherit'], env });
}
