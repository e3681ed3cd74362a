import { expect, test } from '@playwright/test';
import { expectNoHorizontalScroll, expectNoSeriousAxeViolations, signIn } from './helpers';
import { OwnServer } from './own-server';

const deputyManager = 'amara.okafor@meadowbank.example';
const THEME = 'Respectful communication during personal care';

// Trends need history: these stories run against a server of their own with the demonstration
// provider's six months of checks, one per worker.
let server: OwnServer;
const portOf = (workerIndex: number) => 3400 + workerIndex;

test.use({ baseURL: async ({}, use, testInfo) => use(`http://127.0.0.1:${portOf(testInfo.workerIndex)}`) });

test.beforeAll(async ({}, testInfo) => {
  server = new OwnServer(portOf(testInfo.workerIndex), true);
  await server.start();
});

test.afterAll(async () => {
  await server?.stop();
});

test.describe('trends', () => {
  test('a deputy manager reads a theme’s chart, the numbers behind it, and the checks behind a point @laptop-only', async ({
    page,
  }) => {
    await signIn(page, deputyManager, '/');
    await page.getByRole('link', { name: 'Trends' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Trends');
    await page.getByLabel('Practice theme').selectOption({ label: THEME });
    await page.getByRole('button', { name: 'Show' }).click();
    const trend = page.getByRole('region', { name: new RegExp(`^${THEME} at`) });
    await expect(trend.getByRole('img', { name: new RegExp(`^${THEME} at`) })).toBeVisible();
    await expect(trend.locator('.trend__summary')).toContainText('checks');
    const rows = trend.getByRole('table', { name: /numbers behind the chart/ }).getByRole('row');
    expect(await rows.count()).toBeGreaterThan(5);
    // Each point says how many checks it rests on, and links to them.
    const last = rows.last();
    const count = (await last.getByRole('link').textContent()) ?? '';
    const [, total] = count.match(/^\d+ of (\d+)$/) ?? [];
    expect(Number(total)).toBeGreaterThan(0);
    // Shifts and weekends side by side, each with its interval, say whether any stands out.
    const shifts = trend.getByRole('region', { name: 'Each shift type beside the others', exact: true });
    await expect(shifts.getByRole('img')).toBeVisible();
    await expect(shifts.getByRole('row', { name: /^Night/ })).toContainText(/\d+%–\d+%/);
    await expect(trend.getByRole('region', { name: 'Weekdays beside weekends', exact: true })).toContainText(
      /No weekday or weekend stands out|meets the standard clearly (less|more) often/,
    );
    // Each criterion's 1 to 4 counted, and which staff stand out, each with the numbers behind it.
    const criteria = trend.getByRole('region', { name: "Each criterion's ratings: the numbers" });
    await expect(criteria.getByRole('columnheader', { name: 'Rated 1 or 2' })).toBeVisible();
    await expect(trend.getByRole('img', { name: /^Each criterion's ratings/ })).toBeVisible();
    const staff = trend.getByRole('region', { name: 'Each staff member: the numbers' });
    await expect(staff.getByRole('row').nth(1).getByRole('link')).toBeVisible();
    await last.getByRole('link').click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Checks');
    await expect(page.locator('.record')).not.toHaveCount(0);

    // By week the same checks are charted again, and the summary says which kind of chart the
    // numbers allow.
    await page.goto(`/trends?period=week`);
    await expect(page.locator('.trend__summary')).toContainText(/run chart|p-chart/);

    // A backwards range is explained on the page, not an error page.
    await page.goto(`/trends?from=2026-11-02&to=2026-11-01`);
    await expect(page.getByRole('alert')).toHaveText('The end date is before the start date.');
    await expect(page.getByRole('button', { name: 'Show' })).toBeVisible();
  });

  test('a deputy manager sees a warning on her home page, reads the person’s trend and opens a cycle from the warning @laptop-only', async ({
    page,
  }) => {
    await signIn(page, deputyManager, '/');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('What needs you');
    const warnings = page.getByRole('region', { name: /^Warnings to act on/ });
    const hana = warnings.getByRole('listitem').filter({ hasText: 'Hana Kimura had' });
    await expect(hana).toContainText('weak checks');
    // Her trend, and the month-by-month table behind it.
    await hana.getByRole('link', { name: "Hana Kimura's trend" }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText("Hana Kimura's trend");
    const months = page.getByRole('region', { name: /month by month/ }).first();
    await expect(months.getByRole('columnheader', { name: 'Met the standard' })).toBeVisible();
    await expect(months.getByRole('row').nth(1)).toContainText(/\d+ of \d+/);
    await page.goBack();
    // Acknowledging needs a note; without one it is refused beside the field.
    await warnings.getByRole('link', { name: /on the warnings page$/ }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Warnings');
    await page.locator('.record', { hasText: 'Hana Kimura had' }).getByRole('link', { name: 'Acknowledge or dismiss' }).click();
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await expect(page.getByText('Say what is being done about it.')).toBeVisible();
    // From the home page's warning, the cycle opens with her checks as its evidence.
    await page.goto('/');
    await hana.getByRole('link', { name: 'Open an improvement cycle' }).click();
    await expect(page.getByRole('heading', { name: 'Open an improvement cycle' })).toBeVisible();
    await expect(page.getByLabel(/^Hana Kimura/)).toBeChecked();
    await page.getByLabel('The specific concern').fill('Two weak checks in a month: distress met with raised voices.');
    await page.getByRole('button', { name: 'Open the cycle' }).click();
    await expect(page).toHaveURL(/\/cycles\/[0-9a-f-]+$/);
    await page.goto('/');
    await expect(page.getByRole('region', { name: /^Warnings to act on/ })).not.toContainText('Hana Kimura had');
    await expect(page.getByRole('region', { name: 'Cycles waiting for you' })).toContainText('Hana Kimura');
  });

  test('a manager’s home page fits the width, passes axe, and keeps the recorder one tap away', async ({ page }, testInfo) => {
    await signIn(page, deputyManager, '/');
    await expect(page.getByRole('region', { name: 'Larch House: themes at a glance' }).getByRole('row')).not.toHaveCount(0);
    await expectNoSeriousAxeViolations(page);
    await expectNoHorizontalScroll(page);
    if (testInfo.project.name === 'laptop') {
      const header = await page.locator('.site-header').boundingBox();
      expect(header!.height, 'the header is one row at laptop width').toBeLessThanOrEqual(72);
    }
    await page.getByRole('link', { name: 'Record a spot check' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Record a spot check');
  });

  test('from a coverage gap, a deputy manager opens the person’s trend and reads the chart’s table @laptop-only', async ({ page }) => {
    await signIn(page, deputyManager, '/warnings');
    const gap = page.locator('.record', { hasText: 'have not been observed on' }).or(
      page.locator('.record', { hasText: 'has not been observed on' }),
    ).first();
    await expect(gap).toContainText('NICE QS123');
    const person = gap.getByRole('listitem').first().getByRole('link');
    const name = (await person.textContent())!.trim();
    await person.click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${name}’s trend`.replace('’', "'"));
    await expect(page.getByRole('region', { name: /month by month/ }).first().getByRole('row').nth(1)).toBeVisible();
    await page.goBack();
    await page.locator('.record', { hasText: 'not been observed on' }).first().getByRole('link', { name: 'See the coverage' }).click();
    const table = page.getByRole('region', { name: 'The numbers behind the chart' });
    await expect(table.getByRole('columnheader', { name: 'Met the standard' })).toBeVisible();
    await expect(table.getByRole('row').nth(1).getByRole('link')).toHaveText(/\d+ of \d+/);
    await expect(page.getByRole('heading', { name: 'Coverage' })).toBeVisible();
  });

  test('the warnings page passes axe and fits the width', async ({ page }) => {
    await signIn(page, deputyManager, '/warnings');
    await page.locator('.record').first().getByRole('link', { name: 'Acknowledge or dismiss' }).click();
    await expect(page.getByRole('button', { name: 'Dismiss' })).toBeVisible();
    await expectNoSeriousAxeViolations(page);
    await expectNoHorizontalScroll(page);
  });

  test('a staff member’s trend shows her checks before and after coaching, and passes axe at this width', async ({ page }) => {
    await signIn(page, deputyManager, '/trends');
    await page.getByRole('link', { name: 'A staff member’s trend' }).or(page.getByRole('link', { name: "A staff member's trend" })).click();
    await page.getByLabel('Staff member').selectOption({ label: 'Dorota Nowak' });
    await page.getByRole('button', { name: 'Show' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText("Dorota Nowak's trend");
    await expect(page.getByRole('heading', { name: /^Before and after the coaching of/ }).first()).toBeVisible();
    // Her time line, with the coaching marked on it, and each criterion month by month.
    const line = page.getByRole('img', { name: new RegExp(`^${THEME}: month by month`) });
    await expect(line).toBeVisible();
    await expect(line.locator('.chart__action')).not.toHaveCount(0);
    const criteria = page.getByRole('region', { name: `${THEME}: each criterion month by month` });
    await expect(criteria.getByRole('row').nth(1)).toContainText(/\d+ of \d+|Not rated/);
    await expectNoSeriousAxeViolations(page);
    await expectNoHorizontalScroll(page);
  });

  test('the trends page passes axe and fits the width', async ({ page }) => {
    // Axe reads every chart and table of two pages of trends: more than the usual 30 s on a busy machine.
    test.setTimeout(60_000);
    await signIn(page, deputyManager, '/trends');
    await expect(page.getByRole('img', { name: new RegExp(`^${THEME} at`) })).toBeVisible();
    await expectNoSeriousAxeViolations(page);
    await expectNoHorizontalScroll(page);
    await page.goto(`/trends?period=week`);
    await expectNoSeriousAxeViolations(page);
    await expectNoHorizontalScroll(page);
  });
});
