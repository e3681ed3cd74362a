import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { demoPassword } from '../playwright.config';

const root = path.resolve(__dirname, '..', '..');
const bin = process.env.RECHECK_BIN ?? path.join(root, 'target', 'release', 'recheck');
export const siteRoot = process.env.LEPTOS_SITE_ROOT ?? path.join(root, 'target', 'site');

/**
 * A Recheck server of the test's own, on its own SQLite database, that the test can stop and
 * start again (the shared server must keep running for the other tests).
 */
export class OwnServer {
  readonly url: string;
  private readonly database: string;
  private process?: ChildProcess;
  /** The built site it serves; a test may swap in another release between stop and start. */
  siteRoot = siteRoot;
  /**
   * Where the server's clock starts (an ISO moment), for a story that spans weeks: stop, set
   * it later, start again.
   */
  clockStartsAt?: string;

  /** `history`: load the demonstration provider's six months of checks too. */
  constructor(
    private readonly port: number,
    private readonly history = false,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.database = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'recheck-own-')), 'recheck.db');
  }

  async start() {
    this.process = spawn(bin, ['serve'], {
      env: {
        ...process.env,
        DATABASE_URL: `sqlite://${this.database}`,
        LEPTOS_SITE_ADDR: `127.0.0.1:${this.port}`,
        LEPTOS_SITE_ROOT: this.siteRoot,
        RECHECK_DEMO_IF_EMPTY: 'true',
        RECHECK_DEMO_HISTORY: String(this.history),
        RECHECK_DEMO_PASSWORD: demoPassword,
        ...(this.clockStartsAt ? { RECHECK_CLOCK_STARTS_AT: this.clockStartsAt } : {}),
        RUST_LOG: 'warn',
      },
      stdio: 'ignore',
    });
    for (let attempt = 0; attempt < 100; attempt++) {
      try {
        if ((await fetch(`${this.url}/healthz`)).ok) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the server on port ${this.port} did not start`);
  }

  async stop() {
    const running = this.process;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  }
}
