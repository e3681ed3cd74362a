import { expect, test } from '@playwright/test';
import { expectNoHorizontalScroll, expectNoSeriousAxeViolations, signIn } from './helpers';
import { OwnServer } from './own-server';

const teamLeader = 'bethan.pryce@meadowbank.example';
const registeredManager = 'helen.okoro@meadowbank.example';
const qualityLead = 'rachel.ingram@meadowbank.example';

// Reviews need the demonstration provider's history: a server of their own, one per worker.
let server: OwnServer;
const portOf = (workerIndex: number) => 3500 + workerIndex;

test.use({ baseURL: async ({}, use, testInfo) => use(`http://127.0.0.1:${portOf(testInfo.workerIndex)}`) });

test.beforeAll(async ({}, testInfo) => {
  server = new OwnServer(portOf(testInfo.workerIndex), true);
  await server.start();
});

test.afterAll(async () => {
  await server?.stop();
});

test.describe('reviews', () => {
  test('a team leader records last week’s overdue practice review, linked to the week’s checks @laptop-only', async ({ page }) => {
    await signIn(page, teamLeader, '/');
    await page.getByRole('link', { name: 'Reviews' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Reviews');
    const practice = page.locator('.record', { hasText: 'Practice review · Weekly' });
    await expect(practice).toContainText(/Overdue for week of/);
    await expect(practice).toContainText('Falls to team leaders: Bethan Pryce.');
    // The team leader sees only the reviews that fall to her.
    await expect(page.locator('.record', { hasText: 'Audit findings' })).toHaveCount(0);
    const overdue = practice.getByRole('link', { name: /^Record the review for week of/ }).last();
    const label = (await overdue.textContent())!;
    await overdue.click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Practice review: Week of/);
    const checks = page.getByRole('group', { name: 'Checks it covered' });
    await expect(checks.getByRole('checkbox').first()).toBeChecked();
    await page.getByLabel('What was looked at').fill('The 14 checks of the week, by shift.');
    await page.getByLabel('What was found').fill('Late shifts rushed choice at teatime; nights were calm and consistent.');
    await page.getByLabel('What was done').fill('Briefing at Monday’s late handover.');
    await page.getByRole('button', { name: 'Record the review' }).click();
    await expect(page.locator('.notice')).toHaveText(/^Recorded the review for week of/);
    await expect(page.getByText('Late shifts rushed choice at teatime')).toBeVisible();
    const covered = page.locator('.review-links').first().getByRole('link');
    await expect(covered).not.toHaveCount(0);
    await page.getByRole('link', { name: 'All reviews' }).click();
    await expect(page.locator('.record', { hasText: 'Practice review · Weekly' })).not.toContainText('Overdue');
    await expect(page.getByRole('link', { name: label })).toHaveCount(0);
  });

  test('a registered manager sees what is overdue on her home page and changes how often a review is due @laptop-only', async ({ page }) => {
    await signIn(page, registeredManager, '/');
    const panel = page.getByRole('region', { name: /^Reviews due or overdue/ });
    await expect(panel).toContainText('Practice themes (governance) at Larch House: Overdue for');
    await expect(panel).toContainText('Records and distress episodes at Larch House');
    await panel.getByRole('link', { name: 'All reviews' }).click();
    await page.getByRole('link', { name: 'Change how often reviews are due' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('How often reviews are due: Larch House');
    await page.getByLabel('Records and distress episodes').selectOption({ label: 'Daily' });
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.locator('.notice')).toHaveText('Saved how often reviews are due at Larch House.');
    const row = page.locator('.record', { hasText: 'Records and distress episodes' });
    await expect(row).toContainText('Daily');
    await expect(row).toContainText(/since \d+ \w+ \d{4}/);
    // From today: the shifts before the change are not overdue.
    await page.goto('/reviews');
    await expect(page.locator('.record', { hasText: 'Records and distress episodes · Daily' })).not.toContainText('Overdue');
  });

  test('the reviews page and the form pass axe and fit the width', async ({ page }) => {
    await signIn(page, qualityLead, '/reviews');
    // The quality lead sees every service's reviews.
    await expect(page.getByRole('heading', { name: 'Brookside Supported Living' })).toBeVisible();
    await expect(page.locator('.record', { hasText: 'Practice review · Not held here' })).toContainText('Not held at this service.');
    await expectNoSeriousAxeViolations(page);
    await expectNoHorizontalScroll(page);
    await page.getByRole('link', { name: /^Record the review for/ }).first().click();
    await expect(page.getByRole('button', { name: 'Record the review' })).toBeVisible();
    await expectNoSeriousAxeViolations(page);
    await expectNoHorizontalScroll(page);
    await page.goto('/reviews');
    const governance = page.locator('.record', { hasText: 'Practice themes (governance) · Monthly' }).first();
    await governance.getByRole('link', { name: /, by Rachel Ingram on / }).click();
    await expect(page.getByRole('heading', { name: 'What was found' })).toBeVisible();
    await expectNoSeriousAxeViolations(page);
    await expectNoHorizontalScroll(page);
  });
});
