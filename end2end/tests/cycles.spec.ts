import { expect, test, type Browser, type Page } from '@playwright/test';
import { demoUsers, expectNoHorizontalScroll, expectNoSeriousAxeViolations, signIn } from './helpers';

const THEME = 'Respectful communication during personal care';
const teamLeader = 'bethan.pryce@meadowbank.example';
const deputyManager = 'amara.okafor@meadowbank.example';
const registeredManager = 'helen.okoro@meadowbank.example';

async function personAt(browser: Browser, email: string, next: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await signIn(page, email, next);
  return page;
}

/** Adds a member of Larch House's staff for this story alone, as the provider admin. */
async function newStaffMember(browser: Browser, name: string) {
  const admin = await personAt(browser, demoUsers.providerAdmin, '/');
  const reference = await (await admin.request.get('/api/v1/reference')).json();
  const service = reference.services.find((s: any) => s.name === 'Larch House');
  const answer = await admin.request.post('/fn/admin/save_staff', {
    data: { fields: [['name', name], ['job_title', 'Care assistant'], ['services', service.id]] },
  });
  expect(answer.ok()).toBeTruthy();
  await admin.context().close();
}

/** A weak observation of `staffName`, as the team leader's tablet would send it. */
async function recordWeakCheck(page: Page, staffName: string): Promise<string> {
  const reference = await (await page.request.get('/api/v1/reference')).json();
  const service = reference.services.find((s: any) => s.name === 'Larch House');
  const staff = reference.staff.find((s: any) => s.name === staffName);
  const theme = reference.themes.find((t: any) => t.name === THEME);
  const id = crypto.randomUUID();
  const observedAt = new Date(Date.now() - 60 * 60 * 1000).toISOString();
  const ratings = theme.criteria.map((c: any, index: number) => ({ criterion_id: c.id, score: index === 0 ? 2 : 3 }));
  const answer = await page.request.post('/api/v1/sync', {
    data: {
      device_id: 'bethans-laptop',
      checks: [
        {
          id,
          service_id: service.id,
          staff_id: staff.id,
          theme_id: theme.id,
          observed_at: observedAt,
          announced: true,
          ratings,
          details: { kind: 'observation', examples: 'Hurried prompts; no choice of clothes.', feedback_given: true, feedback: 'Slow down.' },
        },
      ],
    },
  });
  expect((await answer.json()).results[0].status).toBe('accepted');
  return id;
}

test.describe('improvement cycles', () => {
  test('a weak observation becomes a cycle: concern, standard, coaching, and a verdict that says what is missing @laptop-only', async ({
    browser,
  }) => {
    // Step 1: the team leader opens a cycle from her weak observation, in one tap from the check.
    await newStaffMember(browser, 'Ffion Cycle');
    const bethan = await personAt(browser, teamLeader, '/');
    const checkId = await recordWeakCheck(bethan, 'Ffion Cycle');
    await bethan.goto(`/checks/${checkId}`);
    await bethan.getByRole('link', { name: 'Open an improvement cycle' }).click();
    await expect(bethan.getByRole('heading', { name: 'Open an improvement cycle' })).toBeVisible();
    await expect(bethan.getByLabel('Ffion Cycle · Care assistant')).toBeChecked();
    await bethan.getByRole('button', { name: 'Open the cycle' }).click();
    await expect(bethan.locator('#field-concern-error')).toHaveText('The concern is required.');
    await bethan
      .getByLabel('The specific concern')
      .fill('During morning care, prompts were hurried and no choice of clothes was offered.');
    await bethan.getByRole('button', { name: 'Open the cycle' }).click();
    await expect(bethan).toHaveURL(/\/cycles\/[0-9a-f-]+$/);
    await expect(bethan.locator('.notice').first()).toHaveText('Opened the cycle. Next: the expected standard.');
    await expect(bethan.getByText('Waiting for a deputy or registered manager to set the expected standard.')).toBeVisible();
    const cycleUrl = bethan.url();

    // A second open cycle for the same person and theme is refused beside the staff choice.
    await bethan.goto(`/checks/${checkId}`);
    await bethan.getByRole('link', { name: 'Open an improvement cycle' }).click();
    await bethan.getByLabel('The specific concern').fill('The same again.');
    await bethan.getByRole('button', { name: 'Open the cycle' }).click();
    await expect(bethan.locator('#field-staff-error')).toContainText('already has an open cycle');

    // Step 2: the deputy manager sets the standard and its focus criteria.
    const amara = await personAt(browser, deputyManager, '/');
    await amara.goto(cycleUrl);
    await amara.getByRole('button', { name: 'Set the expected standard' }).click();
    await expect(amara.locator('#field-focus-error')).toHaveText('Choose at least one focus criterion.');
    await amara.getByRole('group', { name: 'Focus criteria' }).getByLabel('Pace').check();
    await amara.getByLabel('Practice changes required').fill('Explain each step first; offer two outfits and wait.');
    await amara.getByLabel('Owner').selectOption({ label: 'Amara Okafor' });
    await amara.getByRole('button', { name: 'Set the expected standard' }).click();
    await expect(amara.locator('.notice').first()).toHaveText('Saved the expected standard. Next: the targeted action.');
    await expect(amara.getByRole('region', { name: '2. Expected standard' })).toContainText('Pace');

    // Step 3: the team leader records the coaching; a date in the future is refused.
    await bethan.goto(cycleUrl);
    const action = bethan.getByRole('region', { name: '3. Targeted action' });
    await action.getByLabel('Kind of action').selectOption({ label: 'Coaching' });
    await action.getByLabel('Date').fill('2099-01-01');
    await action.getByLabel('Guidance given').fill('Walked through a morning routine at the person’s pace.');
    await action.getByLabel('Expected improvement points').fill('A choice at each step.');
    await action.getByRole('button', { name: 'Save the action' }).click();
    await expect(bethan.locator('#field-date-error')).toContainText('in the future');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
    await bethan.getByRole('region', { name: '3. Targeted action' }).getByLabel('Date').fill(today);
    await bethan.getByRole('region', { name: '3. Targeted action' }).getByRole('button', { name: 'Save the action' }).click();
    await expect(bethan.locator('.notice').first()).toHaveText('Saved the action. Re-checks after it now count.');

    // A shift leader's tablet offers the re-check first, with what it should be, and it is
    // recorded offline in no more taps than any other check, then synced.
    const tablet = await browser.newContext({ viewport: { width: 768, height: 1024 }, hasTouch: true });
    const callum = await tablet.newPage();
    await signIn(callum, 'callum.reid@meadowbank.example', '/');
    const due = callum.locator('#recorder .pick--recheck', { hasText: 'Ffion Cycle' });
    await expect(due).toHaveText(
      'Re-check Ffion Cycle on respectful communication during personal care: unannounced, not by Bethan Pryce',
    );
    await tablet.setOffline(true);
    await due.click();
    const criteria = callum.locator('#check-form fieldset.rating');
    await expect(criteria).toHaveCount(4);
    for (const criterion of await criteria.all()) await criterion.getByRole('radio', { name: /^3 Good/ }).click();
    await callum.getByRole('group', { name: 'Did you give feedback there and then?' }).getByRole('radio', { name: 'Yes' }).click();
    await callum.getByRole('button', { name: 'Save check' }).click();
    await expect(callum.locator('#recorder .notice')).toContainText('Saved the check of Ffion Cycle');
    await expect(callum.locator('#sync-status [role=status]')).toContainText('1 check waiting');
    await tablet.setOffline(false);
    await callum.getByRole('button', { name: 'Sync now' }).click();
    await expect(callum.locator('#sync-status [role=status]')).toContainText('All checks sent.');
    await tablet.close();

    // Step 4: the verdict is live, and says exactly what evidence is still missing.
    const rechecks = bethan.getByRole('region', { name: '4. Live re-checks' });
    await expect(rechecks).toContainText('Improving: still needs 3 more re-checks, 28 more days');
    await expect(rechecks).toContainText('one more unannounced check');

    // Step 5: the registered manager cannot close what is not yet sustained.
    const helen = await personAt(browser, registeredManager, '/');
    await helen.goto(cycleUrl);
    await helen.getByText('Record a governance review').click();
    await helen.getByLabel('Rely on it and close').check();
    await helen.getByLabel('Findings').fill('Looks better.');
    await helen.getByRole('button', { name: 'Save the review' }).click();
    await expect(helen.locator('#field-conclusion-error')).toContainText('Only a sustained improvement can be relied on');
    await helen.getByLabel('Extend with more re-checks').check();
    await helen.getByRole('button', { name: 'Save the review' }).click();
    await expect(helen.locator('.notice').first()).toHaveText('Saved the review; the re-checks go on.');
    await expect(helen.getByRole('region', { name: '5. Governance review' })).toContainText('Extend with more re-checks');

    // The list finds it by staff member and stage.
    await helen.goto('/cycles?stage=rechecking');
    await expect(helen.getByRole('link', { name: `Ffion Cycle: ${THEME}` })).toBeVisible();
    for (const page of [bethan, amara, helen]) await page.context().close();
  });

  test('the cycle pages pass axe and fit the width', async ({ browser, page }, testInfo) => {
    // Each width opens a cycle of its own, about someone of its own.
    const person = `Width ${testInfo.project.name}`;
    await newStaffMember(browser, person);
    await signIn(page, teamLeader, '/cycles');
    await expectNoSeriousAxeViolations(page);
    await expectNoHorizontalScroll(page);
    const checkId = await recordWeakCheck(page, person);
    await page.goto(`/cycles/new?check=${checkId}`);
    await expect(page.getByRole('heading', { name: 'Open an improvement cycle' })).toBeVisible();
    await expectNoSeriousAxeViolations(page);
    await expectNoHorizontalScroll(page);
    await page.getByLabel('The specific concern').fill('Hurried prompts during morning care.');
    await page.getByRole('button', { name: 'Open the cycle' }).click();
    await expect(page).toHaveURL(/\/cycles\/[0-9a-f-]+$/);
    await expect(page.getByRole('region', { name: '1. Concern' })).toContainText('Hurried prompts');
    await expectNoSeriousAxeViolations(page);
    await expectNoHorizontalScroll(page);
    await page.goto('/cycles/rule');
    await expect(page.getByText('At least 3 re-checks')).toBeVisible();
    await expectNoSeriousAxeViolations(page);
    await expectNoHorizontalScroll(page);
  });
});
