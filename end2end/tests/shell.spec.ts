import { expect, test } from '@playwright/test';
import { demoUsers, expectNoHorizontalScroll, expectNoSeriousAxeViolations, signIn, waitForHydration } from './helpers';

test.describe('the app shell', () => {
  test('the home page shows the demonstration provider, its services and themes', async ({ page }) => {
    await signIn(page, demoUsers.qualityLead, '/record');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Record a spot check');
    await expect(page.getByRole('heading', { level: 2, name: 'Meadowbank Care Group (demonstration)' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Larch House' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Brookside Supported Living' })).toBeVisible();
    await expect(page.getByText('Respectful communication during personal care', { exact: true })).toBeVisible();
    await expect(page).toHaveTitle('Record a spot check · Recheck');
    await expectNoHorizontalScroll(page);
  });

  test('the page hydrates: showing a theme’s descriptors works', async ({ page }) => {
    await signIn(page, demoUsers.shiftLeader, '/themes');
    const theme = page.getByRole('article', { name: 'Accuracy of daily recording' });
    await expect(theme.getByRole('table')).toBeHidden();
    await theme.getByText('What 1 to 4 looks like').click();
    await expect(theme.getByRole('table')).toBeVisible();
    await expect(theme.getByRole('cell', { name: /vague/ }).first()).toBeVisible();
  });

  test('the navigation reaches every page by keyboard', async ({ page }, testInfo) => {
    await signIn(page, demoUsers.shiftLeader);
    const menu = page.getByRole('button', { name: 'Menu' });
    if (testInfo.project.name === 'phone') {
      await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
      await menu.focus();
      await page.keyboard.press('Enter');
      await expect(page.getByRole('button', { name: 'Close menu' })).toHaveAttribute('aria-expanded', 'true');
    } else {
      await expect(menu).toBeHidden();
    }
    const link = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Themes', exact: true });
    await link.focus();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/themes$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Practice themes');
    if (testInfo.project.name === 'phone') {
      // Following a link closes the menu so it does not cover the new page.
      await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
      await page.getByRole('button', { name: 'Menu' }).click();
    }
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Themes', exact: true })).toHaveAttribute('aria-current', 'page');
  });

  for (const path of ['/', '/record', '/themes', '/no-such-page', '/sign-in']) {
    test(`${path} has no serious or critical accessibility violations`, async ({ page }) => {
      await signIn(page, demoUsers.providerAdmin);
      await page.goto(path);
      await waitForHydration(page);
      if (path === '/themes') {
        await page.getByText('What 1 to 4 looks like').first().click();
      }
      await expectNoSeriousAxeViolations(page);
      await expectNoHorizontalScroll(page);
    });
  }

  test('an unknown address gets a proper 404 page', async ({ page }) => {
    const response = await page.goto('/no-such-page');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
    await page.getByRole('link', { name: 'Go to the home page' }).click();
    await expect(page).toHaveURL(/\/$/);
  });

  test('the app can be installed: manifest and icons are served', async ({ request }) => {
    const manifest = await (await request.get('/manifest.webmanifest')).json();
    expect(manifest.display).toBe('standalone');
    for (const icon of manifest.icons) {
      const response = await request.get(icon.src);
      expect(response.status(), icon.src).toBe(200);
    }
  });
});
