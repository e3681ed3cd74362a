import { chromium, expect, test, type APIRequestContext, type Page } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { demoUsers, expectNoHorizontalScroll, expectNoSeriousAxeViolations, signIn } from './helpers';
import { OwnServer, siteRoot } from './own-server';

const OBSERVATION = 'Respectful communication during personal care';

/** A different member of Larch House's staff for each story and width, so stories never share. */
const STAFF_BY_PROJECT: Record<string, string> = {
  phone: 'Bethan Pryce',
  tablet: 'Dorota Nowak',
  'tablet-landscape': 'Ellis Whitlow',
  laptop: 'Farah Siddiqui',
};

/** Counts the taps a person makes, to hold the recorder to its promise. */
class Taps {
  count = 0;

  async on(locator: ReturnType<Page['locator']>) {
    this.count += 1;
    await locator.click();
  }
}

const recorder = (page: Page) => page.locator('#recorder');
const status = (page: Page) => page.locator('#sync-status [role=status]');

/** Records a standard observation of `staff` (every criterion "3 Good"), counting the taps. */
async function recordObservation(page: Page, staff: string, extra?: (page: Page) => Promise<void>) {
  const taps = new Taps();
  await taps.on(recorder(page).locator('.pick', { hasText: staff }));
  await taps.on(recorder(page).locator('.pick', { hasText: OBSERVATION }));
  const criteria = page.locator('#check-form fieldset.rating');
  await expect(criteria).toHaveCount(4);
  for (const criterion of await criteria.all()) {
    await taps.on(criterion.getByRole('radio', { name: /^3 Good/ }));
  }
  await taps.on(page.getByRole('group', { name: 'Did you give feedback there and then?' }).getByRole('radio', { name: 'Yes' }));
  await extra?.(page);
  await taps.on(page.getByRole('button', { name: 'Save check' }));
  await expect(recorder(page).locator('.notice')).toContainText(`Saved the check of ${staff}`);
  return taps.count;
}

async function writeExample(page: Page, text: string) {
  await page.getByLabel('Examples observed').fill(text);
}

/** The kept checks of `staff`, as the API lists them to whoever `request` is signed in as. */
async function keptChecksOf(request: APIRequestContext, staff: string) {
  const reference = await (await request.get('/api/v1/reference')).json();
  const ids = reference.staff.filter((member: { name: string }) => member.name === staff).map((m: { id: string }) => m.id);
  const checks = await (await request.get('/api/v1/checks')).json();
  return checks.filter((check: { staff_id: string }) => ids.includes(check.staff_id));
}

test.describe('recording spot checks', () => {
  test('a standard observation takes at most eight taps from the home page, and is listed once', async ({ page }, testInfo) => {
    const staff = STAFF_BY_PROJECT[testInfo.project.name];
    await signIn(page, demoUsers.shiftLeader);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Record a spot check');
    const taps = await recordObservation(page, staff);
    expect(taps).toBeLessThanOrEqual(8);
    await expect(status(page)).toContainText('All checks sent.');
    expect(await keptChecksOf(page.request, staff)).toHaveLength(1);

    await page.goto('/checks');
    await page.getByLabel('Staff member').selectOption({ label: staff });
    await page.getByRole('button', { name: 'Show' }).click();
    const listed = page.locator('.record', { hasText: `${staff}: ${OBSERVATION}` });
    await expect(listed).toHaveCount(1);
    await expect(listed).toContainText('Pace 3 · Choice offered 3 · Dignity and privacy 3 · Tone and language 3');
    await listed.getByRole('link').click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${staff}: ${OBSERVATION}`);
    await expect(page.getByText('Recorded by Callum Reid')).toBeVisible();
  });

  test('each step and the checks pages are usable at this width', async ({ page }) => {
    // Axe reads seven pages here, which takes most of a page's usual time on a busy machine.
    test.setTimeout(60_000);
    await signIn(page, demoUsers.shiftLeader);
    await expectNoSeriousAxeViolations(page);
    await expectNoHorizontalScroll(page);
    await recorder(page).locator('.pick', { hasText: 'Amara Okafor' }).click();
    await expect(page.getByRole('heading', { name: 'Which practice theme?' })).toBeVisible();
    await expectNoSeriousAxeViolations(page);
    for (const theme of [OBSERVATION, 'Accuracy of daily recording', 'Consistent response to low-level behavioural distress']) {
      await recorder(page).locator('.pick', { hasText: theme }).click();
      await expect(page.locator('#check-form')).toBeVisible();
      await page.locator('.check-form__when summary').click();
      await expectNoSeriousAxeViolations(page);
      await expectNoHorizontalScroll(page);
      page.once('dialog', (dialog) => dialog.accept());
      await page.getByRole('button', { name: 'Discard', exact: true }).click();
      await recorder(page).locator('.pick', { hasText: 'Amara Okafor' }).click();
    }
    await page.goto('/checks');
    await expectNoSeriousAxeViolations(page);
    await expectNoHorizontalScroll(page);
  });

  test('missing answers are shown beside their questions, and nothing is saved', async ({ page }) => {
    await signIn(page, demoUsers.shiftLeader);
    await recorder(page).locator('.pick', { hasText: 'Amara Okafor' }).click();
    await recorder(page).locator('.pick', { hasText: 'Accuracy of daily recording' }).click();
    await page.getByLabel('Notes sampled').fill('4');
    await page.getByLabel('Clear notes').fill('3');
    await page.getByLabel('Vague notes').fill('2');
    await page.getByRole('button', { name: 'Save check' }).click();
    await expect(page.getByText('Rate “Clarity of entries” 1 to 4, or choose N/A.')).toBeVisible();
    await expect(page.getByText('Clear and vague notes together cannot be more than the notes sampled.')).toBeVisible();
    await expect(page.getByRole('group', { name: 'Clarity of entries' }).getByRole('radio').first()).toBeFocused();
    await expect(status(page)).toContainText('No checks waiting');
  });

  test('a first tap on a new device, before its staff and themes arrive, is taken when they do @tablet-only', async ({ page }) => {
    // Hold the reference data back, as a slow connection would on a device's first visit.
    let release: () => void = () => {};
    const arrived = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/v1/reference', async (route) => {
      await arrived;
      await route.continue();
    });
    await signIn(page, demoUsers.shiftLeader);
    await recorder(page).locator('.pick', { hasText: 'Kwame Asante' }).click();
    await expect(recorder(page).getByRole('status')).toContainText('the next step opens as soon as they arrive');
    release();
    await expect(page.getByRole('heading', { name: 'Which practice theme?' })).toBeVisible();
    await expect(recorder(page).locator('.pick', { hasText: OBSERVATION })).toBeVisible();
  });

  test('a check being written survives a reload @tablet-only', async ({ page }) => {
    await signIn(page, demoUsers.shiftLeader);
    await recorder(page).locator('.pick', { hasText: 'Jodie Marsh' }).click();
    await recorder(page).locator('.pick', { hasText: OBSERVATION }).click();
    await page.getByRole('group', { name: 'Pace' }).getByRole('radio', { name: /^2 Some shortfalls/ }).check();
    await writeExample(page, 'Explained each step before starting.');
    await page.reload();
    await expect(page.getByText('Observing Jodie Marsh at Larch House')).toBeVisible();
    await expect(page.getByRole('group', { name: 'Pace' }).getByRole('radio', { name: /^2 Some shortfalls/ })).toBeChecked();
    await expect(page.getByLabel('Examples observed')).toHaveValue('Explained each step before starting.');
  });

  test('a kept check is corrected by a new check that stands in its place, and both show in its history @tablet-only', async ({ page }) => {
    await signIn(page, demoUsers.shiftLeader);
    await recordObservation(page, 'Lorna McBride');
    await expect(status(page)).toContainText('All checks sent.');
    await page.goto('/checks');
    await page.locator('.record', { hasText: 'Lorna McBride' }).getByRole('link').click();
    await page.getByRole('link', { name: 'Correct this check' }).click();
    await expect(page.getByText('This corrects a check already kept.')).toBeVisible();
    await expect(page.getByRole('group', { name: 'Pace' }).getByRole('radio', { name: /^3 Good/ })).toBeChecked();
    await page.getByRole('group', { name: 'Pace' }).getByRole('radio', { name: /^2 Some shortfalls/ }).check();
    await page.getByRole('button', { name: 'Save check' }).click();
    await expect(page.getByText('Say what this correction puts right.')).toBeVisible();
    await page.getByLabel('What does this correction put right?').fill('Pace was rushed at the start; I rated it too kindly.');
    await page.getByRole('button', { name: 'Save check' }).click();
    await expect(status(page)).toContainText('All checks sent.');
    await page.goto('/checks');
    // Never both: the correction is listed, in place of the check it corrects.
    const listed = page.locator('.record', { hasText: 'Lorna McBride' });
    await expect(listed).toHaveCount(1);
    await expect(listed).toContainText('Correction');
    await expect(listed).toContainText('Pace 2');
    await listed.getByRole('link').click();
    const history = page.getByRole('region', { name: 'History' });
    await expect(history).toContainText('by Callum Reid; observed');
    await expect(history).toContainText('Pace was rushed at the start; I rated it too kindly. It stands now.');
    await page.getByRole('link', { name: 'an earlier check' }).click();
    await expect(page.getByText('This check has been corrected.')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Correct this check' })).toHaveCount(0);
    await expect(page.getByRole('row', { name: /Pace/ })).toContainText('3 · Good');
  });

  test('with the server stopped, checks wait on the device through a reload and a browser restart, then sync once @tablet-only', async ({}, testInfo) => {
    const server = new OwnServer(3300 + testInfo.workerIndex);
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'recheck-profile-'));
    const launch = () =>
      chromium.launchPersistentContext(profile, {
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
        baseURL: server.url,
        viewport: { width: 768, height: 1024 },
        hasTouch: true,
      });
    await server.start();
    try {
      let browser = await launch();
      let page = browser.pages()[0] ?? (await browser.newPage());
      await signIn(page, demoUsers.shiftLeader);
      await expect(recorder(page).locator('.pick').first()).toBeVisible();
      // The service worker has kept the shell once it controls the page.
      await page.waitForFunction(async () => (await navigator.serviceWorker.ready) && (await caches.keys()).length === 1);
      await browser.close();

      await server.stop();
      browser = await launch();
      page = browser.pages()[0] ?? (await browser.newPage());
      await page.goto('/');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Record a spot check');
      for (const n of [1, 2, 3]) {
        await recordObservation(page, 'Gareth Llewellyn', (page) => writeExample(page, `Stopped-server check ${n}`));
      }
      await expect(status(page)).toContainText('3 checks waiting');
      await page.reload();
      await expect(status(page)).toContainText('3 checks waiting');

      await server.start();
      await page.getByRole('button', { name: 'Sync now' }).click();
      await expect(status(page)).toContainText('All checks sent.');
      const kept = await keptChecksOf(page.request, 'Gareth Llewellyn');
      expect(kept.map((check: { details: { examples: string } }) => check.details.examples).sort()).toEqual([
        'Stopped-server check 1',
        'Stopped-server check 2',
        'Stopped-server check 3',
      ]);
      await page.goto('/checks');
      await expect(page.locator('.record', { hasText: 'Gareth Llewellyn' })).toHaveCount(3);
      await browser.close();
    } finally {
      await server.stop();
    }
  });

  test('a sync whose answer is lost is retried, and the check is kept once @tablet-only', async ({ browser }) => {
    // No service worker here, so that the test can break the page's own connection.
    const context = await browser.newContext({ viewport: { width: 768, height: 1024 }, hasTouch: true, serviceWorkers: 'block' });
    const page = await context.newPage();
    await signIn(page, demoUsers.shiftLeader);
    let broken = 0;
    await page.route('**/api/v1/sync', async (route) => {
      if (broken === 0) {
        broken += 1;
        await route.fetch(); // the server keeps the check…
        await route.abort('connectionreset'); // …but its answer never arrives
      } else {
        await route.continue();
      }
    });
    await recordObservation(page, 'Hana Kimura');
    await expect(status(page)).toContainText('1 check waiting');
    expect(broken).toBe(1);
    // The backoff retries by itself after five seconds; the server answers "duplicate".
    await expect(status(page)).toContainText('All checks sent.', { timeout: 15_000 });
    expect(await keptChecksOf(page.request, 'Hana Kimura')).toHaveLength(1);
    await context.close();
  });

  test('a check the server refuses is shown with its reason, corrected and sent again @tablet-only', async ({ page }) => {
    await signIn(page, demoUsers.shiftLeader);
    // Whenever the device reaches the server it says what it holds, for the managers' home page.
    const reported = (refused: number) =>
      page.waitForRequest((request) => {
        const held = request.url().endsWith('/api/v1/devices/report') ? request.postDataJSON()?.held : undefined;
        return held?.unsent === 0 && held?.waiting === 0 && held?.refused === refused;
      });
    const refusalReported = reported(1);
    await recordObservation(page, 'Isaac Mensah', async (page) => {
      await page.locator('.check-form__when summary').click();
      await page.getByLabel(/Observed at/).fill('2024-01-10T10:00');
    });
    const refused = page.locator('.sync-status__refused li');
    await expect(refused).toContainText('Not accepted: Isaac Mensah');
    await expect(refused).toContainText('more than a year ago');
    expect((await refusalReported).postDataJSON().held.oldest_saved_at_ms).toBeGreaterThan(Date.now() - 600_000);
    const nothingHeldReported = reported(0);
    await refused.getByRole('button', { name: 'Correct it' }).click();
    await expect(page.getByText('Observing Isaac Mensah at Larch House')).toBeVisible();
    await page.locator('.check-form__when summary').click();
    const now = await page.evaluate(() => {
      const parts = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/London', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
      }).formatToParts(new Date(Date.now() - 3_600_000));
      const part = (type: string) => parts.find((p) => p.type === type)!.value;
      return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}`;
    });
    await page.getByLabel(/Observed at/).fill(now);
    await page.getByRole('button', { name: 'Save check' }).click();
    await expect(status(page)).toContainText('All checks sent.');
    await expect(refused).toHaveCount(0);
    await nothingHeldReported;
    expect(await keptChecksOf(page.request, 'Isaac Mensah')).toHaveLength(1);
  });

  test('on a shared tablet, checks wait for the person who recorded them @tablet-only', async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: 768, height: 1024 }, hasTouch: true, serviceWorkers: 'block' });
    const callums = await context.newPage();
    await signIn(callums, demoUsers.shiftLeader);
    await callums.route('**/api/v1/sync', (route) => route.abort('internetdisconnected'));
    await recordObservation(callums, 'Mehmet Aydin');
    await expect(status(callums)).toContainText('1 check waiting');

    // Bethan signs in on the same tablet while Callum's page is still open.
    const bethans = await context.newPage();
    await signIn(bethans, 'bethan.pryce@meadowbank.example');
    await expect(status(bethans)).toContainText('No checks waiting');
    await callums.unroute('**/api/v1/sync');
    await callums.getByRole('button', { name: 'Sync now' }).click();
    await expect(status(callums)).toContainText('1 check waiting: sign in again to send them.');
    expect(await keptChecksOf(bethans.request, 'Mehmet Aydin')).toHaveLength(0);

    // Callum signs in again: his check goes, as his.
    await signIn(bethans, demoUsers.shiftLeader);
    await expect(status(bethans)).toContainText('All checks sent.');
    const me = await (await bethans.request.get('/api/v1/session')).json();
    const kept = await keptChecksOf(bethans.request, 'Mehmet Aydin');
    expect(kept.map((check: { observer_id: string }) => check.observer_id)).toEqual([me.id]);
    await context.close();
  });

  test('signing out with checks unsent asks first @tablet-only', async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: 768, height: 1024 }, hasTouch: true, serviceWorkers: 'block' });
    const page = await context.newPage();
    await signIn(page, demoUsers.shiftLeader);
    await page.route('**/api/v1/sync', (route) => route.abort('internetdisconnected'));
    await recordObservation(page, 'Kwame Asante');
    await expect(status(page)).toContainText('1 check waiting');
    const question = new Promise<string>((resolve) =>
      page.once('dialog', async (dialog) => {
        resolve(dialog.message());
        await dialog.dismiss();
      }),
    );
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(await question).toContain('1 check has not reached the server yet');
    await expect(page).toHaveURL(/\/$/);
    await context.close();
  });

  test('a new release is offered, and reloading replaces the kept shell @tablet-only', async ({ browser }, testInfo) => {
    const server = new OwnServer(3310 + testInfo.workerIndex);
    await server.start();
    try {
      const context = await browser.newContext({ baseURL: server.url, viewport: { width: 768, height: 1024 }, hasTouch: true });
      const page = await context.newPage();
      await signIn(page, demoUsers.shiftLeader);
      const keptShells = () => page.evaluate(async () => (await caches.keys()).sort());
      await page.waitForFunction(async () => (await navigator.serviceWorker.ready) && (await caches.keys()).length === 1);
      const [first] = await keptShells();

      // The same build with a changed stylesheet is a new release.
      const next = fs.mkdtempSync(path.join(os.tmpdir(), 'recheck-site-'));
      fs.cpSync(siteRoot, next, { recursive: true });
      fs.appendFileSync(path.join(next, 'pkg', 'recheck.css'), '\n/* the next release */\n');
      await server.stop();
      server.siteRoot = next;
      await server.start();

      await page.reload();
      await expect(page.getByText('A new version of Recheck is ready.')).toBeVisible({ timeout: 15_000 });
      await page.getByRole('button', { name: 'Reload to update' }).click();
      await page.waitForFunction(async (old) => {
        const names = await caches.keys();
        return names.length === 1 && names[0] !== old && navigator.serviceWorker.controller !== null;
      }, first);
      await expect(page.locator('#update-notice')).toBeHidden();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Record a spot check');
      await context.close();
    } finally {
      await server.stop();
    }
  });
});
