import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const ROOT = resolve(__dirname, '../../..');
const MAIN = join(ROOT, 'dist/api/apps/api/src/main.js');

export const ADMIN = { email: 'admin@example.org', password: 'admin-password-1' };

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The built API (serving the built dashboard) as a child process, on a fixed port and a temp database. */
export class ApiProcess {
  private child: ChildProcess | null = null;
  private output = '';
  readonly dir = mkdtempSync(join(tmpdir(), 'parley-e2e-'));

  /** `env`: settings of this server on top of the defaults below, e.g. `{ VIEW_ACCESS: 'private' }`. */
  constructor(
    readonly port: number,
    private readonly env: Record<string, string> = {},
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, [MAIN], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(this.port),
        DB_PATH: join(this.dir, 'parley.sqlite'),
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        LOG_LEVEL: 'warn',
        LOGIN_LIMIT_PER_MINUTE: '200',
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`API exited with ${child.exitCode}:\n${this.output}`);
      try {
        if ((await fetch(`${this.url}/api/health`)).status === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(150);
    }
    throw new Error(`API did not answer on ${this.url}:\n${this.output}`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  async json<T>(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.url}/api${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }

  async login(email: string, password: string): Promise<string> {
    const res = await this.json<{ token: string }>('POST', '/auth/login', { email, password });
    if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.token;
  }
}

/**
 * Content-Security-Policy violations reported by any page of a browser launched here. The dashboard
 * must work under the API's CSP without tripping it (a violation is a feature that silently fails in
 * production, or noise that hides the next real one), so every test of every e2e file asserts that
 * none happened while it ran.
 */
const cspViolations: string[] = [];

function takeCspViolations(): string[] {
  return cspViolations.splice(0);
}

afterEach(() => {
  expect(takeCspViolations()).toEqual([]);
});

afterAll(() => {
  // What pages did after the last test (closing, late reconnects).
  expect(takeCspViolations()).toEqual([]);
});

declare global {
  interface Window {
    parleyCspViolation?: (report: string) => void;
  }
}

/** Reports a context's CSP violations: the DOM event (before any page script runs) and Chromium's console errors. */
async function watchCsp(context: BrowserContext): Promise<void> {
  await context.exposeBinding('parleyCspViolation', (_source, report: string) => void cspViolations.push(report));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.parleyCspViolation?.(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  context.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
}

/**
 * Debian's Chromium, headless, without the background traffic this machine's closed network refuses.
 * Every context it makes (newContext, or newPage's own) watches for CSP violations.
 */
export async function launchChromium(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  // Playwright has no "context created" event; Browser.newPage goes through newContext, so this covers both.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    await watchCsp(context);
    return context;
  };
  return browser;
}

/** Signs in through the header's dialog and waits until the page shows the signed-in state. */
export async function signIn(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.getByRole('button', { name: 'Sign in' }).click();
  const dialog = page.getByRole('dialog', { name: 'Sign in' });
  await dialog.getByLabel('Email').fill(who.email);
  await dialog.getByLabel('Password').fill(who.password);
  await dialog.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}
