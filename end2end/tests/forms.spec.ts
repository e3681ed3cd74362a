import { expect, test, type Page } from '@playwright/test';
import { demoPassword } from '../playwright.config';
import { demoUsers, expectNoHorizontalScroll, expectNoSeriousAxeViolations, signIn } from './helpers';

const THEME = 'Consistent response to low-level behavioural distress';

/** Signs in through the plain sign-in form, which needs no script. */
async function signInWithoutScript(page: Page, email: string, next: string) {
  await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(demoPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function openTheme(page: Page) {
  await page.goto('/admin/themes');
  await page.getByRole('link', { name: `Change ${THEME}` }).click();
  await expect(page.getByRole('heading', { name: `Change ${THEME}` })).toBeVisible();
}

test.describe('forms', () => {
  // @laptop-only: it changes a shared demonstration theme, once.
  test('with script switched off, a theme is refused beside its fields, then saved as a new version @laptop-only', async ({
    browser,
  }) => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signInWithoutScript(page, demoUsers.providerAdmin, '/admin/themes');
    await openTheme(page);
    // Controls that need script are not offered.
    await expect(page.getByRole('button', { name: 'Add a criterion' })).toBeHidden();

    await page.getByLabel('Name', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Save practice theme' }).click();
    await expect(page.locator('#field-name-error')).toHaveText('The name is required.');
    await expect(page.getByLabel('Name', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByText('One detail needs correcting; it is marked above.')).toBeVisible();

    await page.getByLabel('Name', { exact: true }).fill(THEME);
    await page
      .getByLabel('Expected standard')
      .fill('Staff use the approach agreed in the person’s behaviour support plan, calmly and the same way on every shift.');
    await page.getByRole('button', { name: 'Save practice theme' }).click();
    await expect(page).toHaveURL(/\/admin\/themes\?edit=.*#versions$/);
    await expect(page.locator('.notice')).toHaveText(`Saved ${THEME}.`);
    const versions = page.getByRole('region', { name: 'Versions' });
    await expect(versions).toContainText('Version 2 (current)');
    await expect(versions).toContainText('Version 1');
    await context.close();
  });

  test('the theme editor and its versions pass axe and fit the width', async ({ page }) => {
    await signIn(page, demoUsers.providerAdmin, '/admin/themes');
    await openTheme(page);
    await expect(page.getByRole('region', { name: 'Versions' })).toBeVisible();
    await expectNoSeriousAxeViolations(page);
    await expectNoHorizontalScroll(page);
  });
});
