// People in the admin app: an owner invites a menu editor by a one-time link; the link, opened in
// another browser, sets a password and signs in to the menus (and not to People); the editor
// changes their password and signs out everywhere; the owner withdraws an invitation and changes a
// role. Both pages are looked at in landscape and portrait.
import type { Page } from '@playwright/test';
import { createAdmin } from '../../sync-server/admin/adminAccounts';
import { DEMO_STORE } from '../../sync-server/seed/seedDemo';
import { expectAccessible, inBothOrientations } from './adminPages';
import { expect, test } from './fixtures';

// The worker's demo is shared by the specs it runs; no other one uses these addresses.
const OWNER = { email: 'olga@example.com', password: 'the owner of the people test' };
const EDITOR = { email: 'mia@example.com', first: 'mia chooses a password', second: 'and then another one, longer' };

async function signIn(page: Page, admin: string, email: string, password: string) {
  await page.goto(`${admin}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('an owner invites a menu editor, who sets a password by the link, changes it and signs out everywhere', async ({ page, browser, demo }, testInfo) => {
  // One walk through four browsers and every people page, each looked at twice.
  test.setTimeout(240_000);
  const admin = `${demo.server.url}/admin`;
  await createAdmin(demo.server.db, { email: OWNER.email, name: 'Olga Owner', password: OWNER.password, role: 'owner' });
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: demo.server.url });
  await signIn(page, admin, OWNER.email, OWNER.password);
  await expect(page.getByRole('heading', { name: 'Stores' })).toBeVisible();

  // The invitation: a store manager needs a store, so the form says so first.
  await page.getByRole('link', { name: 'People' }).click();
  await page.getByTestId('invite').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name').fill('Mia');
  await dialog.getByLabel('Email').fill(EDITOR.email);
  await expect(dialog.getByLabel('Role')).toHaveValue('manager');
  await dialog.getByTestId('make-invite').click();
  await expect(dialog.locator('fieldset .problem')).toHaveText('choose at least one store for a store manager');
  await dialog.getByLabel('Role').selectOption({ label: 'Menu editor' });
  await expect(dialog).toContainText('Menus and pictures for every store');
  await expectAccessible(page);
  await dialog.getByTestId('make-invite').click();

  // The link, shown once, with a Copy button.
  const link = await dialog.getByTestId('invite-link').inputValue();
  expect(link).toMatch(new RegExp(`^${admin}/invite#tsi_[\\w-]{43}$`));
  await expect(dialog).toContainText(`Send this link to Mia (${EDITOR.email})`);
  await dialog.getByRole('button', { name: 'Copy' }).click();
  await expect(dialog.getByRole('button', { name: 'Copied' })).toBeVisible();
  // A string, run in the page: the tests' own TypeScript has no DOM.
  expect(await page.evaluate('navigator.clipboard.readText()')).toBe(link);
  await expectAccessible(page);
  await inBothOrientations(page, testInfo, 'invite-link');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(page.locator(`[data-invite="${EDITOR.email}"]`)).toContainText('Menu editor');

  // A second invitation, for a store manager, shown waiting; then withdrawn.
  await page.getByTestId('invite').click();
  await dialog.getByLabel('Name').fill('Noor');
  await dialog.getByLabel('Email').fill('noor@example.com');
  await dialog.getByLabel(DEMO_STORE.name).check();
  await dialog.getByTestId('make-invite').click();
  await expect(dialog.getByTestId('invite-link')).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(page.locator('[data-invite="noor@example.com"]')).toContainText(`Store manager of ${DEMO_STORE.name}`);
  await expect(page.locator(`[data-person="${OWNER.email}"]`)).toContainText('Owner');
  await expectAccessible(page);
  await inBothOrientations(page, testInfo, 'people');
  await page.locator('[data-invite="noor@example.com"]').getByRole('button', { name: 'Withdraw' }).click();
  await expect(dialog).toContainText('Withdraw the invitation to Noor (noor@example.com)? Its link stops working.');
  await dialog.getByTestId('confirm').click();
  await expect(page.getByRole('status')).toHaveText('The invitation to Noor is withdrawn.');
  await expect(page.locator('[data-invite="noor@example.com"]')).toHaveCount(0);

  // The link, in a browser of its own: name confirmed, the password twice, and Mia is in.
  const miasBrowser = await browser.newContext();
  const mia = await miasBrowser.newPage();
  await mia.goto(link);
  await expect(mia.getByRole('heading', { name: 'Welcome to Tillsync head office' })).toBeVisible();
  await expect(mia.getByText('Olga Owner invited you. Your role: Menu editor.')).toBeVisible();
  await expect(mia.getByTestId('invite-email')).toHaveText(EDITOR.email);
  await expect(mia.getByLabel('Your name')).toHaveValue('Mia');
  await expectAccessible(mia);
  await inBothOrientations(mia, testInfo, 'invite');
  await mia.getByLabel('Your name').fill('Mia Jansen');
  await mia.getByLabel('Choose a password').fill('short');
  await mia.getByLabel('The same password again').fill('shorter');
  await mia.getByTestId('accept-invite').click();
  await expect(mia.locator('#invite-repeat ~ .problem')).toHaveText('The two new passwords differ: type the same one twice.');
  await mia.getByLabel('The same password again').fill('short');
  await mia.getByTestId('accept-invite').click();
  await expect(mia.locator('#invite-password ~ .problem')).toHaveText('at least 12 characters');
  await mia.getByLabel('Choose a password').fill(EDITOR.first);
  await mia.getByLabel('The same password again').fill(EDITOR.first);
  await mia.getByTestId('accept-invite').click();
  // A menu editor lands on the menus, and is offered neither People nor the stores' pages.
  await expect(mia.getByRole('heading', { name: 'Menus' })).toBeVisible();
  expect(new URL(mia.url()).pathname).toBe('/admin/menus');
  await expect(mia.getByRole('navigation').getByRole('link')).toHaveText(['Menus', 'API docs']);
  await mia.goto(`${admin}/people`);
  await expect(mia.getByRole('heading', { name: 'Menus' })).toBeVisible();
  await expect(mia.getByRole('link', { name: 'People' })).toHaveCount(0);

  // The link worked once.
  const again = await (await browser.newContext()).newPage();
  await again.goto(link);
  await expect(again.getByRole('heading', { name: 'This invitation link does not work' })).toBeVisible();
  await expect(again.getByTestId('invite-refused')).toHaveText('This invitation link is unknown, used, withdrawn or expired. Ask whoever invited you for a new one.');
  await again.context().close();

  // Her password, changed from her account: a wrong current one is named at its field, and she stays in.
  await mia.getByTestId('your-account').click();
  await expect(mia.getByRole('heading', { name: 'Your account' })).toBeVisible();
  await expect(mia.getByText('Role: Menu editor')).toBeVisible();
  await mia.getByLabel('Current password').fill('not my password at all');
  await mia.getByLabel('New password', { exact: true }).fill(EDITOR.second);
  await mia.getByLabel('New password again').fill(EDITOR.second);
  await mia.getByTestId('change-password').click();
  await expect(mia.locator('#current-password ~ .problem')).toHaveText('The current password is wrong.');
  await expect(mia.getByRole('heading', { name: 'Your account' })).toBeVisible();
  await mia.getByLabel('Current password').fill(EDITOR.first);
  await mia.getByTestId('change-password').click();
  await expect(mia.getByRole('status')).toHaveText('Your password is changed. Every other session of yours is signed out.');
  await expectAccessible(mia);
  await inBothOrientations(mia, testInfo, 'account');

  // Signed in on a second browser too; signing out everywhere ends both, after asking.
  const laptop = await (await browser.newContext()).newPage();
  await signIn(laptop, admin, EDITOR.email, EDITOR.second);
  await expect(laptop.getByRole('heading', { name: 'Menus' })).toBeVisible();
  await mia.getByTestId('sign-out-everywhere').click();
  await expect(mia.getByRole('dialog')).toContainText('Sign out on every device and browser, this one too?');
  await mia.getByTestId('confirm').click();
  await expect(mia.getByRole('heading', { name: 'Sign in to head office' })).toBeVisible();
  await laptop.reload();
  await expect(laptop.getByRole('heading', { name: 'Sign in to head office' })).toBeVisible();
  await laptop.context().close();
  await miasBrowser.close();

  // The owner sees Mia as a menu editor, and makes her the café's manager instead.
  await page.reload();
  const row = page.locator(`[data-person="${EDITOR.email}"]`);
  await expect(row).toContainText('Mia Jansen');
  await expect(row).toContainText('Menu editor');
  await row.getByRole('button', { name: 'Change role' }).click();
  await dialog.getByLabel('Role').selectOption({ label: 'Store manager' });
  await dialog.getByLabel(DEMO_STORE.name).check();
  await expectAccessible(page);
  await dialog.getByTestId('save-role').click();
  await expect(page.getByRole('status')).toHaveText(`Mia Jansen is now: Store manager of ${DEMO_STORE.name}.`);
  await expect(row).toContainText(`Store manager of ${DEMO_STORE.name}`);
});
