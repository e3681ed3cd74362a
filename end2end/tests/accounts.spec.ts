import { expect, test } from '@playwright/test';
import { demoUsers, signIn, waitForHydration } from './helpers';

test.describe('signing in and out', () => {
  test('a visitor is sent to sign in and brought back to the page they asked for', async ({ page }) => {
    await page.goto('/themes');
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fthemes$|\/sign-in\?next=\/themes$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
    await signIn(page, demoUsers.shiftLeader, '/themes');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Practice themes');
  });

  test('a wrong password is explained and nothing else is said', async ({ page }) => {
    await page.goto('/sign-in');
    await waitForHydration(page);
    await page.getByLabel('Email address').fill(demoUsers.shiftLeader);
    await page.getByLabel('Password').fill('not the right password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toHaveText('Wrong email or password.');
    await expect(page).toHaveURL(/\/sign-in\?error=wrong/);
    await expect(page.getByLabel('Email address')).toBeFocused();
  });

  test('a shift leader sees only their own service, and signing out ends the session', async ({ page }, testInfo) => {
    await signIn(page, demoUsers.shiftLeader);
    await expect(page.getByRole('heading', { name: 'Larch House' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Brookside Supported Living' })).toHaveCount(0);
    if (testInfo.project.name === 'phone') {
      await page.getByRole('button', { name: 'Menu' }).click();
    }
    await expect(page.getByRole('navigation', { name: 'Main' }).getByText('Callum Reid')).toBeVisible();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
    await page.goto('/');
    await expect(page).toHaveURL(/\/sign-in/);
  });
});
