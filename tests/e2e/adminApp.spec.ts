// Head office in the admin app, as its people use it: sign in, add a store (after a mistake the
// form names), pair a device with the code shown as text and QR, publish the menu to the new
// store, add a store manager, and sign out.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { DEMO_OWNER } from '../../electron/demoStack';
import { call } from '../support/adminClient';
import { expect, test } from './fixtures';

/** The page as axe judges it against WCAG 2.1 AA: nothing serious or critical. */
async function expectAccessible(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test('head office signs in, adds a store, pairs a device there, publishes the menu to it and adds its manager', async ({ page, demo }) => {
  const admin = `${demo.server.url}/admin`;

  // A page of the app, asked for signed out, goes to sign-in and comes back after it.
  await page.goto(`${admin}/menus`);
  await expect(page.getByRole('heading', { name: 'Sign in to head office' })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('Email').fill(DEMO_OWNER.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('The email or the password is wrong.');
  await page.getByLabel('Password').fill(DEMO_OWNER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Menus' })).toBeVisible();
  expect(page.url()).toBe(`${admin}/menus`);
  // The session is a cookie the page's scripts cannot read.
  expect(await page.evaluate('document.cookie')).toBe('');

  // A store, after a time zone that does not exist: the form says which field and why.
  await page.getByRole('link', { name: 'Stores' }).click();
  await page.getByTestId('add-store').click();
  await page.getByLabel('Name').fill('Tillsync Rotterdam Centraal');
  await page.getByLabel('Time zone').fill('Mars/Olympus_Mons');
  await page.getByTestId('create-store').click();
  await expect(page.locator('#store-zone + datalist + .problem')).toHaveText('an IANA time zone such as Europe/Amsterdam');
  await expectAccessible(page);
  await page.getByLabel('Time zone').fill('Europe/Amsterdam');
  await page.getByTestId('create-store').click();
  await expect(page.getByRole('status')).toContainText('Tillsync Rotterdam Centraal');
  await page.getByRole('link', { name: 'Tillsync Rotterdam Centraal' }).click();
  await expect(page.getByRole('heading', { name: 'Tillsync Rotterdam Centraal' })).toBeVisible();
  await expect(page.getByText('No devices yet.')).toBeVisible();

  // Pairing: the code as text and as a QR code; a terminal that sends it joins the store.
  await page.getByTestId('pair-device').click();
  await page.getByLabel('Role').selectOption('kiosk');
  await page.getByLabel('Name on the device').fill('Kiosk by the door');
  await page.getByTestId('make-code').click();
  const code = (await page.getByTestId('pairing-code').textContent())!.trim();
  expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  const qr = page.getByTestId('pairing-qr');
  await expect(qr).toBeVisible();
  await expectAccessible(page);
  expect(await qr.evaluate((img) => (img as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(100);
  const paired = await call<{ device: { name: string } }>(demo.server.url, 'POST', '/api/pairing', { code });
  expect(paired).toMatchObject({ status: 201, body: { device: { name: 'Kiosk by the door' } } });
  await page.getByRole('button', { name: 'Close' }).click();
  await expect(page.locator('[data-device="Kiosk by the door"]')).toContainText('Kiosk');
  await expect(page.locator('[data-device="Kiosk by the door"]')).toContainText('A001…');
  // Revoking asks first, then the device is marked and its token stops working.
  await page.locator('[data-device="Kiosk by the door"]').getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByRole('dialog')).toContainText('Revoke Kiosk by the door? It stops at once');
  await page.getByTestId('confirm').click();
  await expect(page.locator('[data-device="Kiosk by the door"]')).toContainText('Revoked');

  // The menu goes live in the new store.
  await page.getByRole('link', { name: 'Menus' }).click();
  await page.getByRole('button', { name: 'Publish' }).first().click();
  await page.getByTestId('confirm-publish').click();
  await expect(page.getByRole('dialog').getByRole('alert')).toHaveText('Choose at least one store.');
  await page.getByLabel(/Tillsync Rotterdam Centraal/).check();
  await page.getByTestId('confirm-publish').click();
  await expect(page.getByRole('status')).toHaveText('Published to 1 store(s). Kiosks switch between customers.');
  await expect(page.locator('[data-menu]').first()).toContainText('Tillsync Rotterdam Centraal');
  // A store with one menu has nothing to roll back to, and the dialog says so.
  await page.locator('[data-store="Tillsync Rotterdam Centraal"]').getByRole('button', { name: 'Roll back' }).click();
  await page.getByTestId('confirm').click();
  await expect(page.getByRole('dialog').getByRole('alert')).toHaveText('This store has no earlier menu to roll back to.');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await expectAccessible(page);

  // Its manager, after a password too short.
  await page.getByRole('link', { name: 'People' }).click();
  await page.getByRole('button', { name: 'Add a person' }).click();
  await page.getByLabel('Name').fill('Ruud');
  await page.getByLabel('Email').fill('ruud@example.com');
  await page.getByLabel('First password').fill('short');
  await page.getByLabel('Tillsync Rotterdam Centraal').check();
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByText('at least 12 characters', { exact: true })).toBeVisible();
  await page.getByLabel('First password').fill('a long first password');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('status')).toHaveText('Ruud can sign in now.');
  await expect(page.getByRole('row', { name: /Ruud/ })).toContainText('Tillsync Rotterdam Centraal');
  await page.getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  // The audit log is written once a second: a reload shows what was just done.
  await expect(async () => {
    await page.reload();
    await expect(page.locator('[data-action="admin-created"]').first()).toContainText(DEMO_OWNER.email, { timeout: 1000 });
  }).toPass({ timeout: 10_000 });
  await expectAccessible(page);

  // Signing out ends the session: the app's pages ask for sign-in again.
  await page.getByTestId('sign-out').click();
  await expect(page.getByRole('heading', { name: 'Sign in to head office' })).toBeVisible();
  await page.goto(`${admin}/stores`);
  await expect(page.getByRole('heading', { name: 'Sign in to head office' })).toBeVisible();
});
