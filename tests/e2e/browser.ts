// Which Chromium the end-to-end tests drive: CHROMIUM_PATH, else the system's, else Playwright's own.
import { chromium } from '@playwright/test';
import { existsSync } from 'node:fs';

const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export function findChromium(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, ...SYSTEM_CHROMIUMS, chromium.executablePath()];
  return candidates.find((path): path is string => Boolean(path && existsSync(path))) ?? null;
}

/** Flags that let Chromium run headless as root on a machine with no outside network. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
