import { expect, test, type Browser, type Page } from '@playwright/test';
import { demoUsers, expectNoHorizontalScroll, expectNoSeriousAxeViolations, signIn } from './helpers';
import { OwnServer } from './own-server';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const THEME = 'Respectful communication during personal care';
const teamLeader = 'bethan.pryce@meadowbank.example';
const deputyManager = 'amara.okafor@meadowbank.example';
const registeredManager = 'helen.okoro@meadowbank.example';

const DAY = 24 * 60 * 60 * 1000;

/** Someone signed in at laptop width; with `at`, their browser's clock stands at that moment. */
async function personAt(browser: Browser, email: string, next: string, place: Place = {}): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    ...(place.baseURL ? { baseURL: place.baseURL } : {}),
  });
  if (place.at !== undefined) await context.clock.setFixedTime(place.at);
  const page = await context.newPage();
  await signIn(page, email, next);
  return page;
}

/** Which server, and when: a story over weeks runs on a server of its own, restarted at each date. */
type Place = { baseURL?: string; at?: number };

/** Adds a member of Larch House's staff for this story alone, as the provider admin. */
async function newStaffMember(browser: Browser, name: string, place: Place = {}) {
  const admin = await personAt(browser, demoUsers.providerAdmin, '/', place);
  const reference = await (await admin.request.get('/api/v1/reference')).json();
  const service = reference.services.find((s: any) => s.name === 'Larch House');
  // A browser's request context names no origin of its own; the server refuses a browser's
  // write that says nothing of where it came from.
  const answer = await admin.request.post('/fn/admin/save_staff', {
    headers: { Origin: new URL(admin.url()).origin },
    data: { fields: [['name', name], ['job_title', 'Care assistant'], ['services', service.id]] },
  });
  expect(answer.ok()).toBeTruthy();
  await admin.context().close();
}

/**
 * A check of `staffName` as a device would send it: `first` for the first criterion and 3 for
 * the rest (so below 3 is weak); its id.
 */
async function sendCheck(
  page: Page,
  staffName: string,
  { first = 2, announced = true, observedAt = Date.now() - 60 * 60 * 1000 } = {},
): Promise<string> {
  const reference = await (await page.request.get('/api/v1/reference')).json();
  const service = reference.services.find((s: any) => s.name === 'Larch House');
  const staff = reference.staff.find((s: any) => s.name === staffName);
  const theme = reference.themes.find((t: any) => t.name === THEME);
  const id = crypto.randomUUID();
  const ratings = theme.criteria.map((c: any, index: number) => ({ criterion_id: c.id, score: index === 0 ? first : 3 }));
  const answer = await page.request.post('/api/v1/sync', {
    headers: { Origin: new URL(page.url()).origin },
    data: {
      device_id: 'laptop',
      checks: [
        {
          id,
          service_id: service.id,
          staff_id: staff.id,
          theme_id: theme.id,
          observed_at: new Date(observedAt).toISOString(),
          announced,
          ratings,
          details: { kind: 'observation', examples: 'Hurried prompts; no choice of clothes.', feedback_given: true, feedback: 'Slow down.' },
        },
      ],
    },
  });
  expect((await answer.json()).results[0].status).toBe('accepted');
  return id;
}

/** The text of a PDF, as `pdftotext` (poppler-utils) reads it, in reading order. */
function pdfText(pdf: Buffer): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'recheck-pdf-')), 'evidence.pdf');
  fs.writeFileSync(file, pdf);
  return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

/** Each of `parts` appears in `text`, in this order. */
function expectInOrder(text: string, parts: string[]) {
  let from = 0;
  for (const part of parts) {
    const at = text.indexOf(part, from);
    expect(at, `"${part}" after character ${from} of: ${text}`).toBeGreaterThanOrEqual(0);
    from = at + part.length;
  }
}

/** The day of `moment` in London, as a date field takes it. */
const londonDate = (moment: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(moment);

test.describe('improvement cycles', () => {
  test('seed example 1 over five weeks: a weak observation becomes a cycle, re-checks on a night and other shifts make it sustained, and it is closed @laptop-only', async ({
    browser,
  }, testInfo) => {
    test.setTimeout(180_000);
    // The story spans 29 days, so it runs on a server of its own, stopped and started again at
    // each date with its clock moved there; each person's browser stands at the same moment.
    const server = new OwnServer(3520 + testInfo.workerIndex);
    const tomorrow = new Date();
    const day0 = Date.UTC(tomorrow.getUTCFullYear(), tomorrow.getUTCMonth(), tomorrow.getUTCDate() + 1, 10, 0);
    const at = async (moment: number): Promise<Place> => {
      await server.stop();
      server.clockStartsAt = new Date(moment).toISOString();
      await server.start();
      return { baseURL: server.url, at: moment };
    };
    try {
      // Day 0, mid-morning. Step 1: the team leader opens a cycle from her weak observation, in
      // one tap from the check.
      let place = await at(day0);
      await newStaffMember(browser, 'Ffion Cycle', place);
      const bethan = await personAt(browser, teamLeader, '/record', place);
      // Her observation, recorded in the recorder at laptop width: pace 2 (some shortfalls).
      await bethan.locator('#recorder .pick', { hasText: 'Ffion Cycle' }).click();
      await bethan.locator('#recorder .pick', { hasText: THEME }).click();
      const ratings = bethan.locator('#check-form fieldset.rating');
      await expect(ratings).toHaveCount(4);
      for (const [index, criterion] of (await ratings.all()).entries()) {
        await criterion.getByRole('radio', { name: index === 0 ? /^2 Some shortfalls/ : /^3 Good/ }).click();
      }
      await bethan.getByRole('group', { name: 'Did you give feedback there and then?' }).getByRole('radio', { name: 'Yes' }).click();
      await bethan.getByLabel('Examples observed').fill('Hurried prompts; no choice of clothes.');
      await bethan.getByRole('button', { name: 'Save check' }).click();
      await expect(bethan.locator('#sync-status [role=status]')).toContainText('All checks sent.');
      const reference = await (await bethan.request.get('/api/v1/reference')).json();
      const ffion = reference.staff.find((member: any) => member.name === 'Ffion Cycle').id;
      const kept = await (await bethan.request.get('/api/v1/checks')).json();
      const checkId = kept.find((check: any) => check.staff_id === ffion).id;
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
      const cyclePath = new URL(bethan.url()).pathname;

      // A second open cycle for the same person and theme is refused beside the staff choice.
      await bethan.goto(`/checks/${checkId}`);
      await bethan.getByRole('link', { name: 'Open an improvement cycle' }).click();
      await bethan.getByLabel('The specific concern').fill('The same again.');
      await bethan.getByRole('button', { name: 'Open the cycle' }).click();
      await expect(bethan.locator('#field-staff-error')).toContainText('already has an open cycle');

      // Step 2: the deputy manager sets the standard and its focus criteria.
      const amara = await personAt(browser, deputyManager, '/', place);
      await amara.goto(cyclePath);
      await amara.getByRole('button', { name: 'Set the expected standard' }).click();
      await expect(amara.locator('#field-focus-error')).toHaveText('Choose at least one focus criterion.');
      await amara.getByRole('group', { name: 'Focus criteria' }).getByLabel('Pace').check();
      await amara.getByLabel('Practice changes required').fill('Explain each step first; offer two outfits and wait.');
      await amara.getByLabel('Owner').selectOption({ label: 'Amara Okafor' });
      await amara.getByRole('button', { name: 'Set the expected standard' }).click();
      await expect(amara.locator('.notice').first()).toHaveText('Saved the expected standard. Next: the targeted action.');
      await expect(amara.getByRole('region', { name: '2. Expected standard' })).toContainText('Pace');

      // Step 3: the team leader records the coaching; a date in the future is refused.
      await bethan.goto(cyclePath);
      const action = bethan.getByRole('region', { name: '3. Targeted action' });
      await action.getByLabel('Kind of action').selectOption({ label: 'Coaching' });
      await action.getByLabel('Date').fill(londonDate(day0 + 2 * DAY));
      await action.getByLabel('Guidance given').fill('Walked through a morning routine at the person’s pace.');
      await action.getByLabel('Expected improvement points').fill('A choice at each step.');
      await action.getByRole('button', { name: 'Save the action' }).click();
      await expect(bethan.locator('#field-date-error')).toContainText('in the future');
      await bethan.getByRole('region', { name: '3. Targeted action' }).getByLabel('Date').fill(londonDate(day0));
      await bethan.getByRole('region', { name: '3. Targeted action' }).getByRole('button', { name: 'Save the action' }).click();
      await expect(bethan.locator('.notice').first()).toHaveText('Saved the action. Re-checks after it now count.');
      for (const page of [bethan, amara]) await page.context().close();

      // The next night, 23:30. A shift leader's tablet offers the re-check first, with what it
      // should be, and it is recorded offline in no more taps than any other check, then synced.
      const night = day0 + DAY + 13.5 * 60 * 60 * 1000;
      place = await at(night);
      const tablet = await browser.newContext({ viewport: { width: 768, height: 1024 }, hasTouch: true, baseURL: place.baseURL });
      await tablet.clock.setFixedTime(night);
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
      let helen = await personAt(browser, registeredManager, cyclePath, place);
      const rechecks = helen.getByRole('region', { name: '4. Live re-checks' });
      await expect(rechecks).toContainText(/Improving: still needs 2 more re-checks, 2[67] more days/);
      await expect(rechecks.locator('tbody tr').first()).toContainText('Night');

      // Step 5: the registered manager cannot close what is not yet sustained, and extends it.
      await helen.getByText('Record a governance review').click();
      await helen.getByLabel('Rely on it and close').check();
      await helen.getByLabel('Findings').fill('Looks better.');
      await helen.getByRole('button', { name: 'Save the review' }).click();
      await expect(helen.locator('#field-conclusion-error')).toContainText('Only a sustained improvement can be relied on');
      await helen.getByLabel('Extend with more re-checks').check();
      await helen.getByRole('button', { name: 'Save the review' }).click();
      await expect(helen.locator('.notice').first()).toHaveText('Saved the review; the re-checks go on.');
      await expect(helen.getByRole('region', { name: '5. Governance review' })).toContainText('Extend with more re-checks');
      await helen.context().close();

      // Further re-checks arrive from the shift leaders: day 12 in the afternoon, and day 29,
      // four weeks and a day after the coaching.
      for (const [moment, leader] of [
        [day0 + 12 * DAY + 5 * 60 * 60 * 1000, 'jodie.marsh@meadowbank.example'],
        [day0 + 29 * DAY, 'callum.reid@meadowbank.example'],
      ] as const) {
        place = await at(moment);
        const shiftLeader = await personAt(browser, leader, '/', place);
        await sendCheck(shiftLeader, 'Ffion Cycle', { first: 3, observedAt: moment - 10 * 60 * 1000 });
        await shiftLeader.context().close();
      }

      // The verdict is sustained, and the registered manager closes the cycle on it.
      helen = await personAt(browser, registeredManager, cyclePath, place);
      await expect(helen.locator('main .tag--good').first()).toHaveText('Sustained');
      await expect(helen.getByRole('region', { name: '4. Live re-checks' }).locator('tbody tr')).toHaveCount(3);
      await helen.getByText('Record a governance review').click();
      await helen.getByLabel('Rely on it and close').check();
      await helen.getByLabel('Findings').fill('Three re-checks over four weeks, on nights and days, met the standard.');
      await helen.getByRole('button', { name: 'Save the review' }).click();
      await expect(helen.locator('.notice').first()).toHaveText(
        'Closed the cycle; its verdict and evidence are kept as they stand.',
      );
      await expect(helen.getByRole('region', { name: '5. Governance review' })).toContainText('Rely on it and close');

      // The evidence for an inspector: one page, printed from its button, each step in order.
      await helen.getByRole('link', { name: 'The evidence on one page, to print' }).click();
      await expect(helen.getByRole('heading', { name: 'Evidence of improvement' })).toBeVisible();
      await helen.evaluate(() => {
        (window as any).printed = 0;
        window.print = () => { (window as any).printed += 1; };
      });
      await helen.getByRole('button', { name: 'Print or save as PDF' }).click();
      expect(await helen.evaluate(() => (window as any).printed)).toBe(1);
      const text = pdfText(await helen.pdf({ format: 'A4', printBackground: true }));
      expectInOrder(text, [
        'Evidence of improvement',
        'Produced from the records in Recheck on',
        'Helen Okoro',
        'Kindness, compassion and dignity',
        '1. Concern',
        '2. Expected standard',
        '3. Targeted action',
        '4. Live re-checks',
        'Each re-check as it was recorded',
        '5. Governance review',
        'Rely on it and close',
      ]);
      for (const hidden of ['Sign out', 'Print or save as PDF', 'Back to the cycle']) expect(text).not.toContain(hidden);

      // The list finds it among the closed cycles.
      await helen.goto('/cycles?stage=closed');
      await expect(helen.getByRole('link', { name: `Ffion Cycle: ${THEME}` })).toBeVisible();
      await helen.context().close();
    } finally {
      await server.stop();
    }
  });

  test('the cycle pages pass axe and fit the width', async ({ browser, page }, testInfo) => {
    // Three people fill in the chain and axe reads seven pages: longer than one page's test.
    test.setTimeout(90_000);
    // Each width opens a cycle of its own, about someone of its own.
    const person = `Width ${testInfo.project.name}`;
    await newStaffMember(browser, person);
    await signIn(page, teamLeader, '/cycles');
    await expectNoSeriousAxeViolations(page);
    await expectNoHorizontalScroll(page);
    const checkId = await sendCheck(page, person);
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
    // The chain filled in at this width: the deputy sets the standard, the team leader coaches,
    // and the page with every step and the forms still open to them passes too.
    const cyclePath = new URL(page.url()).pathname;
    await signIn(page, deputyManager, cyclePath);
    await page.getByRole('group', { name: 'Focus criteria' }).getByLabel('Pace').check();
    await page.getByLabel('Practice changes required').fill('Explain each step first; offer two outfits and wait.');
    await page.getByLabel('Owner').selectOption({ label: 'Amara Okafor' });
    await page.getByRole('button', { name: 'Set the expected standard' }).click();
    await expect(page.locator('.notice').first()).toHaveText('Saved the expected standard. Next: the targeted action.');
    await expectNoSeriousAxeViolations(page);
    await expectNoHorizontalScroll(page);
    await signIn(page, teamLeader, cyclePath);
    const action = page.getByRole('region', { name: '3. Targeted action' });
    await action.getByLabel('Guidance given').fill('Walked through a morning routine at the person’s pace.');
    await action.getByLabel('Expected improvement points').fill('A choice at each step.');
    await action.getByRole('button', { name: 'Save the action' }).click();
    await expect(page.locator('.notice').first()).toHaveText('Saved the action. Re-checks after it now count.');
    await expect(page.getByRole('region', { name: '4. Live re-checks' })).toContainText('Improving');
    await expectNoSeriousAxeViolations(page);
    await expectNoHorizontalScroll(page);
    await page.getByRole('link', { name: 'The evidence on one page, to print' }).click();
    await expect(page.getByRole('heading', { name: 'Evidence of improvement' })).toBeVisible();
    await expectNoSeriousAxeViolations(page);
    await expectNoHorizontalScroll(page);
    await page.goto('/cycles/rule');
    await expect(page.getByText('At least 3 re-checks')).toBeVisible();
    await expectNoSeriousAxeViolations(page);
    await expectNoHorizontalScroll(page);
    // The registered manager sees the rule as a form to change.
    await signIn(page, registeredManager, '/cycles/rule');
    await expect(page.getByRole('button', { name: /Save/ })).toBeVisible();
    await expectNoSeriousAxeViolations(page);
    await expectNoHorizontalScroll(page);
  });
});
