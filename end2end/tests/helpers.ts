import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { demoPassword } from '../playwright.config';

/** The demonstration users, one per role. */
export const demoUsers = {
  shiftLeader: 'callum.reid@meadowbank.example',
  qualityLead: 'rachel.ingram@meadowbank.example',
  /** Registered manager of Brookside Supported Living. */
  registeredManager: 'olu.adeyemi@meadowbank.example',
  providerAdmin: 'sam.whitfield@meadowbank.example',
};

/** Signs in through the sign-in page, as a person would, and waits for the page it leads to. */
export async function signIn(page: Page, email: string, next = '/', password = demoPassword) {
  await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
  await waitForHydration(page);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new RegExp(`${next.replace(/[/?.]/g, '\\$&')}$`));
  await waitForHydration(page);
}

/** Waits until the wasm has taken over the page, so clicks reach Leptos's handlers. */
export async function waitForHydration(page: Page) {
  await page.waitForFunction(() => (window as any).__recheckHydrated === true);
}

/** Fails on any serious or critical accessibility violation, listing them. */
export async function expectNoSeriousAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`);
  expect(serious, serious.join('\n')).toEqual([]);
}

/** Nothing on the page should need sideways scrolling or zooming. */
export async function expectNoHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}
