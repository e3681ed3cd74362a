import { defineConfig } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// The tests run the release build against a fresh SQLite database with the demonstration
// provider loaded. scripts/test sets RECHECK_BIN and LEPTOS_SITE_ROOT after building.
const root = path.resolve(__dirname, '..');
const bin = process.env.RECHECK_BIN ?? path.join(root, 'target', 'release', 'recheck');
const siteRoot = process.env.LEPTOS_SITE_ROOT ?? path.join(root, 'target', 'site');
const port = Number(process.env.RECHECK_E2E_PORT ?? 3100);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'recheck-e2e-'));

export const baseURL = `http://127.0.0.1:${port}`;
/** Every demonstration user signs in with this password in the browser tests. */
export const demoPassword = 'browser tests only';

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // Chromium keeps rendering memory in /dev/shm, which a container may size at 64 MB:
        // pages crashed there ("Target crashed") once the trend pages grew. /tmp has room.
        '--disable-dev-shm-usage',
      ],
    },
  },
  projects: [
    // Stories tagged @laptop-only change shared data, so they run once, at laptop width; those
    // tagged @tablet-only are the shift leader's offline stories, told once, on a tablet.
    { name: 'phone', grepInvert: /@laptop-only|@tablet-only/, use: { viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true } },
    { name: 'tablet', grepInvert: /@laptop-only/, use: { viewport: { width: 768, height: 1024 }, hasTouch: true } },
    { name: 'tablet-landscape', grepInvert: /@laptop-only|@tablet-only/, use: { viewport: { width: 1024, height: 768 }, hasTouch: true } },
    { name: 'laptop', grepInvert: /@tablet-only/, use: { viewport: { width: 1280, height: 800 } } },
  ],
  webServer: {
    command: `"${bin}" serve`,
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      DATABASE_URL: `sqlite://${path.join(dataDir, 'recheck.db')}`,
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: siteRoot,
      RECHECK_DEMO_IF_EMPTY: 'true',
      // The recorder's stories count the checks they make from none.
      RECHECK_DEMO_HISTORY: 'false',
      RECHECK_DEMO_PASSWORD: demoPassword,
      RUST_LOG: 'warn',
    },
  },
});
