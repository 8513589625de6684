// Starts the built app as `npm start` does, on a fresh data folder, and checks what a new user
// sees: the health check, the demo negotiation, the dashboard page and the API docs; then stops
// it with SIGINT (Ctrl-C) and expects a clean exit.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'parley-smoke-'));
const port = 3000 + Math.floor(Math.random() * 1000) + 1000;
const base = `http://127.0.0.1:${port}`;
const child = spawn(process.execPath, ['dist/api/apps/api/src/main.js'], {
  env: { ...process.env, PORT: String(port), DB_PATH: join(dir, 'parley.sqlite'), LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let output = '';
child.stdout.on('data', (chunk) => (output += chunk));
const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));

function fail(message) {
  console.error(`smoke: FAIL ${message}\n--- output ---\n${output}`);
  child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  process.exit(1);
}

async function waitForUrl() {
  for (let i = 0; i < 120; i++) {
    if (output.includes(`http://localhost:${port}`)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  fail('the server did not print its URL within 30 s');
}

await waitForUrl();
const health = await fetch(`${base}/api/health`).then((r) => r.json());
if (health.status !== 'ok') fail(`health: ${JSON.stringify(health)}`);
const negotiations = await fetch(`${base}/api/negotiations`).then((r) => r.json());
if (!Array.isArray(negotiations) || negotiations[0]?.slug !== 'ukraine-peace-2025') fail('the demo negotiation is missing');
const page = await fetch(`${base}/`).then((r) => r.text());
if (!page.includes('<div id="root">')) fail('the dashboard page is not served at /');
const deepLink = await fetch(`${base}/some/dashboard/route`);
if (deepLink.status !== 200 || !(await deepLink.text()).includes('<div id="root">')) fail('a dashboard deep link does not serve the page');
const docs = await fetch(`${base}/api/docs`);
if (docs.status !== 200) fail('/api/docs is not served');
child.kill('SIGINT');
const { code } = await exited;
if (code !== 0) fail(`exit code ${code} after SIGINT`);
if (!output.includes('Parley stopped.')) fail('no clean stop message after SIGINT');
rmSync(dir, { recursive: true, force: true });
console.log(`smoke: OK (health, demo data, dashboard, API docs, clean Ctrl-C) on port ${port}`);
