// The demo café as a fixture: an embedded PostgreSQL, sync server and three terminals (each with
// its own SQLite file and web host), shared by the tests of a worker. Tests find their own orders
// by number and leave the menu as they found it.
import { test as base } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBrowserDemo, type BrowserDemo } from '../../electron/demoStack';
import { DEFAULT_LIMITS } from '../../sync-server/limits/budgets';

/** The running demo as a spec sees it: its folder, and each screen's address by role. */
export type Demo = BrowserDemo & { dataDir: string; screen(role: string): string };

export const test = base.extend<object, { demo: Demo }>({
  demo: [
    // Playwright reads a fixture's dependencies from this destructuring; this one has none.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const dataDir = await mkdtemp(join(tmpdir(), 'tillsync-e2e-'));
      // Always an embedded cluster of its own: the demo seeds its store into an empty database.
      const { DATABASE_URL: _external, ...env } = process.env;
      // The walks sign in, from one address, more often in a minute than a whole head office in an
      // hour: the sign-in budget is raised for them (its refusals are the integration tests').
      const limits = { ...DEFAULT_LIMITS, signIns: { points: 200, seconds: 60 } };
      const demo = await startBrowserDemo(dataDir, { env, limits, say: (line) => console.log(`[demo] ${line}`) });
      const screen = (role: string) => demo.screens.find((s) => s.role === role)!.url;
      await use({ ...demo, dataDir, screen });
      await demo.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
    { scope: 'worker', timeout: 120_000 },
  ],
});

export { expect } from '@playwright/test';
