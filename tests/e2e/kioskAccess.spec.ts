// Accessibility mode on the kiosk: one tap (or any key of the keypad) turns it on; then nothing to
// touch is above a wheelchair user's reach, text is twice the size, contrast is high, the keypad
// reaches and chooses everything, and the kiosk says each control with its price, in English and
// in Arabic. axe finds nothing serious on any screen, with the mode on or off, in either language.
import { mkdir } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expectAccessible } from './adminPages';
import { controlsAbove, expect, heard, KEYPAD, keypadDownTo, LANDSCAPE, PORTRAIT, reachLinePx, remPx, smallTargets, test, turnOnAccessibility } from './kioskAccess';

test.describe.configure({ mode: 'serial' });

const SHOTS = new URL('../../.scratch/access/', import.meta.url).pathname;
const REACH = reachLinePx(PORTRAIT.height);

async function shot(page: Page, name: string) {
  await mkdir(SHOTS, { recursive: true });
  for (const [orientation, size] of Object.entries({ portrait: PORTRAIT, landscape: LANDSCAPE })) {
    await page.setViewportSize(size);
    await page.screenshot({ path: `${SHOTS}${name}-${orientation}.png` });
  }
  await page.setViewportSize(PORTRAIT);
}

async function open(page: Page, url: string) {
  await page.setViewportSize(PORTRAIT);
  await page.goto(url);
  await expect(page.getByTestId('start')).toBeEnabled({ timeout: 30_000 });
  // The kiosk's own engine is what these tests hear; a Chromium with voices of its own speaks itself.
  if ((await page.evaluate('speechSynthesis.getVoices().length')) as number > 0) {
    const reason = 'this Chromium has speech voices of its own';
    console.warn(`\n"${test.info().title}" is skipped: ${reason}.\n`);
    test.skip(true, reason);
  }
}

test('one tap on the welcome screen: everything within reach, text doubled, high contrast, nothing serious for axe', async ({ page, speakingKiosk }) => {
  await open(page, speakingKiosk.url);
  await expectAccessible(page);
  expect(await smallTargets(page)).toEqual([]);
  // The button itself is within reach before the mode is on.
  const button = (await page.getByTestId('access-button').boundingBox())!;
  expect(button.y).toBeGreaterThanOrEqual(REACH);
  expect(Math.min(button.width, button.height)).toBeGreaterThanOrEqual(60);
  const rem = await remPx(page);
  expect(rem).toBeCloseTo(20, 0);

  await turnOnAccessibility(page);
  expect(await remPx(page)).toBeCloseTo(2 * rem, 1);
  expect(await controlsAbove(page, REACH)).toEqual([]);
  await expect(page.getByTestId('above-reach')).toBeVisible();
  await expectAccessible(page);
  await heard(speakingKiosk, 'en', /^Accessibility mode is on\. Use the keypad/);
  await shot(page, 'welcome-en');

  await page.getByTestId('access-options').click();
  const options = page.getByRole('dialog', { name: 'Accessibility options' });
  expect(await controlsAbove(page, REACH)).toEqual([]);
  await expectAccessible(page);
  await shot(page, 'options-en');
  // Speech off, the rest stays on.
  await options.locator('[data-part=speech]').click();
  await expect(options.locator('[data-part=speech]')).toHaveAttribute('aria-checked', 'false');
  await heard(speakingKiosk, 'en', /^Speech is off\.$/);
  await options.getByTestId('access-turn-off').click();
  await expect(page.getByTestId('access-button')).toHaveAttribute('aria-checked', 'false');
  expect(await remPx(page)).toBeCloseTo(rem, 1);
});

test('the keypad alone: help turns the mode on, Down and Select order, each control said with its price, Back closes', async ({ page, speakingKiosk }) => {
  await open(page, speakingKiosk.url);
  // A blind customer plugs in and presses a key: the kiosk starts talking.
  await page.keyboard.press(KEYPAD.help);
  await expect(page.getByTestId('access-button')).toHaveAttribute('aria-checked', 'true');
  await heard(speakingKiosk, 'en', /Accessibility mode is on\. Use the keypad\. Up and down move/);

  await keypadDownTo(page, '[data-testid=start]');
  await heard(speakingKiosk, 'en', /^Tap to order, button$/);
  await page.keyboard.press(KEYPAD.select);
  // The new screen says what it is.
  await heard(speakingKiosk, 'en', /^Where will you eat today\?$/);
  expect(await controlsAbove(page, REACH)).toEqual([]);
  await expectAccessible(page);
  await keypadDownTo(page, '[data-service=eat-in]');
  await page.keyboard.press(KEYPAD.select);
  await expect(page.locator('[data-item=espresso]')).toBeVisible();
  expect(await controlsAbove(page, REACH)).toEqual([]);
  await expectAccessible(page);
  await shot(page, 'menu-en');

  await keypadDownTo(page, '[data-item=espresso]');
  await heard(speakingKiosk, 'en', /^Espresso.* 2 euros 60\b.*, button$/);
  // Up goes back the way it came.
  await page.keyboard.press(KEYPAD.up);
  await expect(page.locator('[data-item=espresso]')).not.toBeFocused();
  await page.keyboard.press(KEYPAD.down);
  await expect(page.locator('[data-item=espresso]')).toBeFocused();

  await page.keyboard.press(KEYPAD.select);
  const sheet = page.getByRole('dialog');
  await expect(sheet).toBeVisible();
  await heard(speakingKiosk, 'en', /^Espresso, window\. /);
  expect(await controlsAbove(page, REACH)).toEqual([]);
  await expectAccessible(page);
  await shot(page, 'item-en');
  // Within the window only, however far the keys go.
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press(i % 2 ? 'Tab' : KEYPAD.down);
    expect(await page.evaluate('Boolean(document.activeElement && document.activeElement.closest("dialog[open]"))')).toBe(true);
  }
  await page.keyboard.press(KEYPAD.back);
  await expect(sheet).toBeHidden();
  await expect(page.locator('[data-item=espresso]')).toBeFocused();
});

test('in Arabic: the mode, the screens and the prices, said in Arabic', async ({ page, speakingKiosk }) => {
  await open(page, speakingKiosk.url);
  await page.locator('[data-language=ar]').click();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expectAccessible(page);
  await turnOnAccessibility(page);
  await heard(speakingKiosk, 'ar', /^تم تشغيل وضع إمكانية الوصول\./);
  expect(await controlsAbove(page, REACH)).toEqual([]);
  await expectAccessible(page);
  await shot(page, 'welcome-ar');

  await page.getByTestId('start').click();
  await page.locator('[data-service=takeaway]').click();
  await expect(page.locator('[data-item=espresso]')).toBeVisible();
  expect(await controlsAbove(page, REACH)).toEqual([]);
  await expectAccessible(page);
  await keypadDownTo(page, '[data-item=espresso]');
  await heard(speakingKiosk, 'ar', /^إسبريسو.* 2 يورو 60\b.*, زر$/);
  await shot(page, 'menu-ar');

  // With the mode off again, the same screen for everyone.
  await page.getByTestId('access-button').click();
  await expect(page.getByTestId('access-button')).toHaveAttribute('aria-checked', 'false');
  await expectAccessible(page);
});

test('without the mode, by keyboard: Tab reaches the button, Space turns the mode on, the menu in English has nothing serious for axe', async ({ page, speakingKiosk }) => {
  await open(page, speakingKiosk.url);
  await page.getByTestId('start').click();
  await page.locator('[data-service=eat-in]').click();
  await expect(page.locator('[data-item=espresso]')).toBeVisible();
  await expectAccessible(page);
  expect(await smallTargets(page)).toEqual([]);
  for (let i = 0; i < 80 && (await page.evaluate('document.activeElement.dataset.testid')) !== 'access-button'; i++) await page.keyboard.press('Tab');
  await expect(page.getByTestId('access-button')).toBeFocused();
  await page.keyboard.press('Space');
  await expect(page.getByTestId('access-button')).toHaveAttribute('aria-checked', 'true');
  // Arrows move in reading order too, mirrored in neither direction here: ArrowRight is Down.
  const before = await page.evaluate('document.activeElement.outerHTML');
  await page.keyboard.press('ArrowRight');
  expect(await page.evaluate('document.activeElement.outerHTML')).not.toBe(before);
});
