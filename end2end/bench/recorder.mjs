// Measures the recorder on a tablet-sized Chromium: the taps a standard observation takes from
// the home page, and how long saving a check to the device's outbox takes (from the Save tap's
// submit event to the check being in local storage and the recorder redrawn), with few checks
// waiting and with 500 waiting. Sync is held off so that checks pile up as they would offline.
// Prints Markdown table rows; it reports figures and never fails on them.
// Usage: RECHECK_URL=http://127.0.0.1:3000 RECHECK_PASSWORD=… node end2end/bench/recorder.mjs
import { chromium } from '@playwright/test';

const base = process.env.RECHECK_URL ?? 'http://127.0.0.1:3000';
const password = process.env.RECHECK_PASSWORD ?? 'browser tests only';
const ROUNDS = 20;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
const context = await browser.newContext({ baseURL: base, viewport: { width: 768, height: 1024 }, hasTouch: true, serviceWorkers: 'block' });
const page = await context.newPage();
await page.route('**/api/v1/sync', (route) => route.abort('internetdisconnected'));
await page.goto('/sign-in');
await page.getByLabel('Email address').fill('callum.reid@meadowbank.example');
await page.getByLabel('Password', { exact: true }).fill(password);
await page.getByRole('button', { name: 'Sign in' }).click();
await page.waitForFunction(() => window.__recheckHydrated === true);

/** Fills in a standard observation, counting taps; the Save tap is the one measured. */
async function fillObservation() {
  let taps = 0;
  const tap = async (locator) => {
    taps += 1;
    await locator.click();
  };
  await tap(page.locator('#recorder .pick').first());
  await tap(page.locator('#recorder .pick', { hasText: 'Respectful communication during personal care' }));
  for (const criterion of await page.locator('#check-form fieldset.rating').all()) {
    await tap(criterion.getByRole('radio', { name: /^3 Good/ }));
  }
  await tap(page.getByRole('group', { name: 'Did you give feedback there and then?' }).getByRole('radio', { name: 'Yes' }));
  return taps + 1; // and Save
}

async function timedSave() {
  return page.evaluate(() => {
    const form = document.getElementById('check-form');
    const started = performance.now();
    form.requestSubmit();
    return performance.now() - started;
  });
}

let taps = 0;
const few = [];
for (let round = 0; round < ROUNDS; round++) {
  taps = await fillObservation();
  few.push(await timedSave());
}
// Fill the outbox to 499 waiting checks, copies of the last with fresh ids, then save one more.
await page.evaluate(() => {
  const key = Object.keys(localStorage).find((name) => name.endsWith('.outbox'));
  const outbox = JSON.parse(localStorage.getItem(key));
  const template = outbox.entries[outbox.entries.length - 1];
  while (outbox.entries.length < 499) {
    outbox.entries.push({ ...template, check: { ...template.check, id: crypto.randomUUID() } });
  }
  localStorage.setItem(key, JSON.stringify(outbox));
});
const many = [];
for (let round = 0; round < 5; round++) {
  await fillObservation();
  many.push(await timedSave());
  // Keep the outbox at 500 for the next round.
  await page.evaluate(() => {
    const key = Object.keys(localStorage).find((name) => name.endsWith('.outbox'));
    const outbox = JSON.parse(localStorage.getItem(key));
    outbox.entries.pop();
    localStorage.setItem(key, JSON.stringify(outbox));
  });
}
await browser.close();

const median = (times) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
const fmt = (ms) => `${ms.toFixed(1)} ms`;
console.log(`| taps from the home page to a saved standard observation (4 criteria) | ${taps} | at most 8 |`);
console.log(`| save a check to the outbox, 1 to ${ROUNDS} waiting (median, worst) | ${fmt(median(few))}, ${fmt(Math.max(...few))} | under 50 ms |`);
console.log(`| save a check to the outbox, 500 waiting (median, worst of 5) | ${fmt(median(many))}, ${fmt(Math.max(...many))} | under 50 ms |`);
