import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './browser';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  timeout: 90_000,
  expect: { timeout: 10_000 },
  // The stack (PostgreSQL, server, three terminals) is per worker; two cores run one at a time best.
  workers: 1,
  reporter: [['list']],
  outputDir: '../../test-results',
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1366, height: 900 },
    launchOptions: { executablePath: findChromium() ?? undefined, args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
  },
});
