// Part of `npm test`: makes sure a Chromium exists for the end-to-end tests. Uses one that is
// there; otherwise installs Debian's `chromium` where apt is available (as root), else Playwright's
// own; otherwise stops and prints the one command that would.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { findChromium } from './browser';

function run(command: string, args: string[]): boolean {
  console.log(`$ ${command} ${args.join(' ')}`);
  return spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
}

const found = findChromium();
if (found) {
  console.log(`Chromium for the end-to-end tests: ${found}`);
  process.exit(0);
}

const isRoot = process.getuid?.() === 0;
if (existsSync('/usr/bin/apt-get') && isRoot) {
  console.log('No Chromium found: installing Debian\'s chromium package.');
  if (run('apt-get', ['update']) && run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium']) && findChromium()) process.exit(0);
} else if (!existsSync('/usr/bin/apt-get')) {
  console.log("No Chromium found: installing Playwright's own.");
  try {
    execFileSync(process.execPath, [createRequire(import.meta.url).resolve('@playwright/test/cli'), 'install', 'chromium'], { stdio: 'inherit' });
    if (findChromium()) process.exit(0);
  } catch {
    // fall through to the instructions
  }
}
console.error(
  '\nThe end-to-end tests need Chromium and none could be installed here. Install it with one of:\n' +
    "  sudo apt-get install -y chromium        (Debian, Ubuntu)\n" +
    '  npx playwright install chromium         (anywhere with access to Playwright\'s downloads)\n' +
    'or point CHROMIUM_PATH at an existing Chromium or Chrome, then run the tests again.',
);
process.exit(1);
