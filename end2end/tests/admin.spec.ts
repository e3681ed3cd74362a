import { expect, test, type Page } from '@playwright/test';
import { demoUsers, expectNoHorizontalScroll, expectNoSeriousAxeViolations, signIn, waitForHydration } from './helpers';

/** After a save the browser loads the next page; wait for it to be ready for the next tap. */
async function expectNotice(page: Page, text: string) {
  await expect(page.locator('.notice')).toHaveText(text);
  await waitForHydration(page);
}

test.describe('administration', () => {
  // @laptop-only: one story, at laptop width, as the issue tells it; it changes the shared demo data.
  test('an admin adds a service, a staff member and a shift leader, who then signs in on a tablet and sees only that service @laptop-only', async ({
    page,
    browser,
  }) => {
    await signIn(page, demoUsers.providerAdmin, '/admin');
    await page.getByRole('link', { name: 'Services' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Services');
    await page.getByRole('link', { name: 'Add a service' }).click();
    await expect(page.getByRole('heading', { name: 'Add a service' })).toBeVisible();
    await page.getByLabel('Name', { exact: true }).fill('Rowan Court');
    await page.getByRole('button', { name: 'Save service' }).click();
    await expectNotice(page, 'Saved Rowan Court.');
    await expect(page.getByRole('heading', { name: 'Rowan Court' })).toBeVisible();

    await page.goto('/admin/staff');
    await waitForHydration(page);
    await page.getByRole('link', { name: 'Add a staff member' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Priya Shah');
    await page.getByLabel('Job title').fill('Care assistant');
    await page.getByRole('group', { name: 'Works at' }).getByLabel('Rowan Court').check();
    await page.getByRole('button', { name: 'Save staff member' }).click();
    await expectNotice(page, 'Saved Priya Shah.');
    await expect(page.getByRole('heading', { name: 'Priya Shah' })).toBeVisible();

    await page.goto('/admin/users');
    await waitForHydration(page);
    await page.getByRole('link', { name: 'Add a user' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Nia Evans');
    await page.getByLabel('Email address').fill('nia.evans@meadowbank.example');
    await page.getByRole('group', { name: 'Roles' }).getByLabel('Shift leader').check();
    await page.getByRole('group', { name: 'Services' }).getByLabel('Rowan Court').check();
    await page.getByLabel('Set their password now').check();
    await page.getByLabel('Their password (only if set now)').fill('violet harbour lantern');
    await page.getByRole('button', { name: 'Save user' }).click();
    await expectNotice(page, 'Saved Nia Evans.');

    const tablet = await browser.newContext({ viewport: { width: 768, height: 1024 }, hasTouch: true });
    const niasPage = await tablet.newPage();
    await signIn(niasPage, 'nia.evans@meadowbank.example', '/', 'violet harbour lantern');
    await expect(niasPage.getByRole('heading', { name: 'Rowan Court' })).toBeVisible();
    await expect(niasPage.getByRole('heading', { name: 'Larch House' })).toHaveCount(0);
    await expect(niasPage.getByRole('heading', { name: 'Brookside Supported Living' })).toHaveCount(0);
    await expect(niasPage.getByRole('link', { name: 'Administration' })).toHaveCount(0);
    await niasPage.goto('/admin/staff');
    await expect(niasPage.getByText('You do not have access to that.')).toBeVisible();

    // Nia forgets her password: the admin gives her a one-time one, and she must replace it.
    await page.goto('/admin/users');
    await waitForHydration(page);
    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('button', { name: 'New password for Nia Evans' }).click();
    await expect(page.locator('.notice')).toContainText('Their one-time password is');
    const oneTime = /one-time password is (\S+) —/.exec((await page.locator('.notice').textContent()) ?? '')?.[1] ?? '';
    expect(oneTime.length).toBeGreaterThanOrEqual(12);
    const again = await tablet.newPage();
    await again.goto('/sign-in');
    await waitForHydration(again);
    await again.getByLabel('Email address').fill('nia.evans@meadowbank.example');
    await again.getByLabel('Password', { exact: true }).fill(oneTime);
    await again.getByRole('button', { name: 'Sign in' }).click();
    await expect(again).toHaveURL(/\/account\/password\?next=\/$/);
    await expect(again.getByText('You signed in with a one-time password.')).toBeVisible();
    await waitForHydration(again);
    await again.getByLabel('Current password').fill(oneTime);
    await again.getByLabel('New password', { exact: true }).fill('pebble orchard wren');
    await again.getByLabel('New password again').fill('pebble orchard wren');
    await again.getByRole('button', { name: 'Change password' }).click();
    await expect(again).toHaveURL(/\/$/);
    await expect(again.getByRole('heading', { name: 'Rowan Court' })).toBeVisible();
    await tablet.close();
  });

  test('bad input is explained next to each field and nothing is saved', async ({ page }) => {
    await signIn(page, demoUsers.providerAdmin, '/admin/services?edit=new');
    await page.getByLabel('Name', { exact: true }).fill('Larch House');
    await page.getByLabel('Time zone').fill('Europe/Larch');
    await page.getByRole('button', { name: 'Save service' }).click();
    const timeZone = page.getByLabel('Time zone');
    await expect(timeZone).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator('#field-time_zone-error')).toHaveText(
      '“Europe/Larch” is not a time zone; use a name such as Europe/London.',
    );
    await expect(timeZone).toBeFocused();
    await expect(page.getByRole('alert').filter({ hasText: 'needs correcting' })).toBeVisible();

    await timeZone.fill('Europe/London');
    await page.getByRole('button', { name: 'Save service' }).click();
    await expect(page.locator('#field-name-error')).toHaveText('A service called “Larch House” already exists.');
    await expect(timeZone).not.toHaveAttribute('aria-invalid', 'true');
    await expectNoSeriousAxeViolations(page);
  });

  test('a shift can be added and removed, and a pattern with a gap is refused', async ({ page }) => {
    await signIn(page, demoUsers.providerAdmin, '/admin/services?edit=new');
    await page.getByLabel('Name', { exact: true }).fill('Gap Test House');
    const rows = page.locator('.shift-row');
    await expect(rows).toHaveCount(3);
    await page.getByRole('button', { name: 'Add a shift' }).click();
    await expect(rows).toHaveCount(4);
    await expect(rows.nth(3).getByLabel('Shift')).toBeFocused();
    await rows.nth(3).getByRole('button', { name: 'Remove this shift' }).click();
    await expect(rows).toHaveCount(3);
    await rows.nth(1).getByRole('button', { name: 'Remove this shift' }).click();
    await page.getByRole('button', { name: 'Save service' }).click();
    await expect(page.locator('#field-shifts-error')).toContainText('Nobody is on shift from 14:30 to 21:00');
    await expectNoHorizontalScroll(page);
  });

  test('a CSV file with problems is previewed row by row and imports nothing', async ({ page }, testInfo) => {
    await signIn(page, demoUsers.providerAdmin, '/admin/staff');
    const csv = `name,job title,team,service\nTest ${testInfo.project.name},Carer,,Larch House\n,Carer,,Larch House\nZed Ames,Cook,,Oak Lodge\n`;
    await page.locator('#field-csv').setInputFiles({ name: 'staff.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect(page.getByText('2 of 3 rows have problems.')).toBeVisible();
    const table = page.getByRole('region', { name: 'Rows in the file' });
    await expect(table.getByRole('row').nth(2)).toContainText('The name is required.');
    await expect(table.getByRole('row').nth(3)).toContainText('There is no service called “Oak Lodge”.');
    await expect(page.getByRole('button', { name: /^Import/ })).toHaveCount(0);
    await expect(page.getByRole('heading', { name: `Test ${testInfo.project.name}` })).toHaveCount(0);
    await expectNoSeriousAxeViolations(page);
  });

  test('a clean CSV file is previewed, then imported in one go', async ({ page }, testInfo) => {
    await signIn(page, demoUsers.providerAdmin, '/admin/staff');
    const who = testInfo.project.name;
    const csv = `Name,Job title,Team,Service\nFirst ${who},Carer,Days,Larch House\nSecond ${who},Nurse,,Brookside Supported Living\n`;
    await page.locator('#field-csv').setInputFiles({ name: 'staff.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect(page.getByText('2 staff ready to import.')).toBeVisible();
    await waitForHydration(page);
    await page.getByRole('button', { name: 'Import 2 staff' }).click();
    await expectNotice(page, 'Imported 2 staff.');
    await expect(page.getByRole('heading', { name: `First ${who}` })).toBeVisible();
    await expect(page.getByRole('heading', { name: `Second ${who}` })).toBeVisible();
  });

  for (const path of ['/admin', '/admin/services', '/admin/staff?edit=new', '/admin/users?edit=new', '/admin/themes', '/admin/audit']) {
    test(`${path} is usable at this width, by keyboard and screen reader`, async ({ page }) => {
      await signIn(page, demoUsers.providerAdmin, path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expectNoSeriousAxeViolations(page);
      await expectNoHorizontalScroll(page);
    });
  }

  test('a theme opens for editing with its criteria and descriptors', async ({ page }) => {
    await signIn(page, demoUsers.providerAdmin, '/admin/themes');
    await page.getByRole('link', { name: 'Change Accuracy of daily recording' }).click();
    await expect(page.getByRole('heading', { name: 'Change Accuracy of daily recording' })).toBeVisible();
    await expect(page.locator('.criterion-row')).not.toHaveCount(0);
    await expect(page.getByLabel('How checks are made')).toHaveValue('record_sample');
    await expectNoSeriousAxeViolations(page);
    await expectNoHorizontalScroll(page);
  });

  test('the audit trail filters by kind of event', async ({ page }) => {
    await signIn(page, demoUsers.providerAdmin, '/admin/audit');
    await page.getByLabel('What').selectOption('login');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect(page).toHaveURL(/kind=login/);
    const events = page.locator('.audit-event code');
    await expect(events.first()).toHaveText(/^login\./);
    for (const action of await events.allTextContents()) {
      expect(action).toMatch(/^login\./);
    }
  });

  test('a registered manager administers only their own service, not the practice themes', async ({ page }) => {
    await signIn(page, demoUsers.registeredManager, '/admin/services');
    await expect(page.getByRole('heading', { name: 'Brookside Supported Living' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Larch House' })).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Add a service' })).toHaveCount(0);
    await page.goto('/admin/themes');
    await expect(page.getByText('You do not have access to that.')).toBeVisible();
  });
});
