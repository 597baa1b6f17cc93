// What every kiosk screen is checked for in accessibility mode, for this spec and the kiosk's
// other screens (review, payment, the number): a kiosk whose speech is captured, the reach zone,
// the keypad, and what the kiosk said. axe is adminPages.ts's expectAccessible.
import { test as base, type Page } from '@playwright/test';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTerminalCore } from '../../electron/core/terminalCore';
import type { SpokenLine } from '../../electron/core/speech/speaker';
import { rendererDir, startDemoServer } from '../../electron/demoStack';
import { startWebHost } from '../../electron/host/webHost';
import { readSpoken } from '../support/spokenLog';
import { expect } from './fixtures';

export { expect };

/** The demo café's kiosk, its speech written to `captureDir` (TILLSYNC_SPEECH_CAPTURE_DIR) instead of played. */
export interface SpeakingKiosk {
  url: string;
  captureDir: string;
  /** What the kiosk has said so far, oldest first. */
  spoken(): Promise<SpokenLine[]>;
}

export const test = base.extend<object, { speakingKiosk: SpeakingKiosk }>({
  speakingKiosk: [
    // Playwright reads a fixture's dependencies from this destructuring; this one has none.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const dataDir = await mkdtemp(join(tmpdir(), 'tillsync-access-'));
      // An embedded cluster of its own: the demo seeds its store into an empty database.
      const { DATABASE_URL: _external, ...env } = process.env;
      const { server, terminals } = await startDemoServer(dataDir, env);
      const kiosk = terminals.find((terminal) => terminal.role === 'kiosk')!;
      await mkdir(kiosk.dataDir, { recursive: true });
      const captureDir = join(dataDir, 'spoken');
      const core = await createTerminalCore({
        databaseFile: join(kiosk.dataDir, 'terminal.db'),
        serverUrl: server.url,
        ...(kiosk.pairingCode ? { pairingCode: kiosk.pairingCode } : {}),
        speech: { captureDir },
      });
      const host = await startWebHost({ core, rendererDir });
      await use({ url: `${host.url}/kiosk`, captureDir, spoken: () => readSpoken(captureDir) });
      await host.close();
      await core.close();
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
    { scope: 'worker', timeout: 120_000 },
  ],
});

export const PORTRAIT = { width: 1080, height: 1920 } as const;
export const LANDSCAPE = { width: 1920, height: 1080 } as const;

/**
 * The assumed floor kiosk: a portrait screen whose bottom edge is 0.7 m and top edge 1.6 m above
 * the floor. 1.2 m is the highest a wheelchair user reaches (ADA 308.2.1 forward reach: 48 in;
 * EN 301 549 8.3.2.2: 1 220 mm).
 */
export const KIOSK_SCREEN = { bottomM: 0.7, topM: 1.6, highestReachM: 1.2 } as const;

/** The pixel row of the highest reach on a screen `heightPx` tall: 853 on a 1920 px portrait kiosk. */
export const reachLinePx = (heightPx: number, screen = KIOSK_SCREEN) => (heightPx * (screen.topM - screen.highestReachM)) / (screen.topM - screen.bottomM);

/**
 * Every control a customer can see above `linePx`: its visible part, cut by the screen and by
 * every scrolling box around it (a list scrolled out of sight is not reachable, nor a problem).
 */
export async function controlsAbove(page: Page, linePx: number): Promise<string[]> {
  // A string, run in the page: the tests' own TypeScript has no DOM.
  return page.evaluate(`(() => {
    const line = ${linePx};
    const controls = document.querySelectorAll('button, a[href], input, select, textarea, summary, [tabindex]:not([tabindex="-1"]), [role=button], [role=switch], [role=link], [role=checkbox], [role=radio], [role=tab], [role=option]');
    const above = [];
    for (const control of controls) {
      let { top, bottom, left, right } = control.getBoundingClientRect();
      top = Math.max(top, 0); left = Math.max(left, 0); bottom = Math.min(bottom, innerHeight); right = Math.min(right, innerWidth);
      for (let box = control.parentElement; box; box = box.parentElement) {
        const style = getComputedStyle(box);
        if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
        const clip = box.getBoundingClientRect();
        top = Math.max(top, clip.top); bottom = Math.min(bottom, clip.bottom); left = Math.max(left, clip.left); right = Math.min(right, clip.right);
      }
      if (bottom - top < 1 || right - left < 1 || getComputedStyle(control).visibility === 'hidden') continue;
      if (top < line) above.push((control.getAttribute('aria-label') || control.textContent || control.outerHTML.slice(0, 80)).trim() + ' @ ' + Math.round(top) + ' px');
    }
    return above;
  })()`);
}

/** Every visible control smaller than `minPx` across (a kiosk's targets are 60 px or more), as "name: w × h". */
export async function smallTargets(page: Page, minPx = 60): Promise<string[]> {
  return page.evaluate(`(() => {
    const small = [];
    for (const control of document.querySelectorAll('button, a[href], input:not([type=hidden]), select, textarea, [role=button], [role=switch], [role=checkbox], [role=radio], [role=tab], [role=option]')) {
      // A box or a choice is tapped on its whole label.
      const { width, height } = (control.closest('label') || control).getBoundingClientRect();
      if (width === 0 || height === 0 || getComputedStyle(control).visibility === 'hidden') continue;
      if (Math.min(width, height) < ${minPx}) small.push((control.getAttribute('aria-label') || control.textContent || control.outerHTML.slice(0, 80)).trim() + ': ' + Math.round(width) + ' × ' + Math.round(height));
    }
    return small;
  })()`);
}

/** The root font size in px: what 1rem is. */
export const remPx = async (page: Page): Promise<number> => parseFloat(await page.evaluate('getComputedStyle(document.documentElement).fontSize'));

/** The one tap; resolves once the mode is on. */
export async function turnOnAccessibility(page: Page): Promise<void> {
  await page.getByTestId('access-button').click();
  await expect(page.getByTestId('access-button')).toHaveAttribute('aria-checked', 'true');
}

/** The 4-key pad (and help) as a numeric USB keypad sends it: see renderer/src/accessibility/keypad.ts. */
export const KEYPAD = { up: 'Numpad8', down: 'Numpad2', select: 'Numpad5', back: 'Numpad4', help: 'Numpad0' } as const;

/** Presses keypad Down until `target` has the focus (at most `limit` times); fails if it never does. */
export async function keypadDownTo(page: Page, target: string, limit = 60): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(KEYPAD.down);
    if (await page.evaluate(`Boolean(document.activeElement && document.activeElement.matches(${JSON.stringify(target)}))`)) return;
  }
  throw new Error(`keypad Down never reached ${target} in ${limit} presses`);
}

/** Waits until the kiosk has said something matching `wanted` in `locale`; returns that line. */
export async function heard(kiosk: SpeakingKiosk, locale: SpokenLine['locale'], wanted: RegExp): Promise<SpokenLine> {
  let found: SpokenLine | undefined;
  await expect
    .poll(
      async () => {
        const lines = await kiosk.spoken();
        found = lines.find((line) => line.locale === locale && wanted.test(line.text));
        // The last few lines said, to read in a failure.
        return found ? 'heard' : lines.slice(-6).map((line) => `${line.locale}: ${line.text}`);
      },
      { timeout: 20_000, message: `the kiosk says ${wanted} in ${locale}` },
    )
    .toBe('heard');
  return found!;
}
