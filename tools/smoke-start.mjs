// Starts Parley as a new user does and checks what they see, and that Ctrl-C stops it cleanly:
// 1. `npm start` itself (build, migrate, demo, serve) on a fresh data folder: the health check, the
//    demo negotiation, the dashboard page and the API docs; then Ctrl-C as a terminal sends it (SIGINT
//    to the whole process group: npm and the server), and a SIGTERM on top: npm must exit 0.
// 2. Ctrl-C while the first start loads the demo: a clean exit 0, and the next start has the whole
//    demo (one transaction: loaded entirely or not at all, never a partial one).
//    The first start's last lines are the banner (address, first admin, its password file), after
//    Nest's own lines; no route-mapping lines at the default log level (info). A later start ends
//    with where the password file still is.
// 3. A DB_PATH under a regular file: exit 1 with one clear line naming DB_PATH, no stack trace.
// 4. A PORT in use: exit 1 with one line naming PORT, before anything is written (no data folder).
// 5. In a terminal (util-linux `script` gives it one): readable log lines, not JSON.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dirs = [];
const running = new Set();

function fail(message, output = '') {
  console.error(`smoke: FAIL ${message}\n--- output ---\n${output}`);
  for (const child of running) kill(child, 'SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  process.exit(1);
}

function freshDir() {
  const dir = mkdtempSync(join(tmpdir(), 'parley-smoke-'));
  dirs.push(dir);
  return dir;
}

/** Like a terminal's Ctrl-C: the signal goes to the whole process group (npm, sh, node). */
function kill(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}

/** Ports fetch() refuses to reach (the Fetch standard's "bad ports") in the ranges used here. */
const BAD_PORTS = new Set([4045, 4190, 5060, 5061]);

/** A random port in [from, from + 1000) that fetch() may reach. */
function randomPort(from) {
  for (;;) {
    const port = from + Math.floor(Math.random() * 1000);
    if (!BAD_PORTS.has(port)) return port;
  }
}

/** Starts a command in its own process group, as a terminal runs a foreground job. */
function start(command, args, dir, env = { LOG_LEVEL: 'warn' }) {
  const port = randomPort(4000);
  const child = spawn(command, args, {
    env: { ...process.env, PORT: String(port), DB_PATH: join(dir, 'parley.sqlite'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running.add(child);
  const run = { child, port, base: `http://127.0.0.1:${port}`, output: '' };
  child.stdout.on('data', (chunk) => (run.output += chunk));
  child.stderr.on('data', (chunk) => (run.output += chunk));
  run.exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  return run;
}

/** Waits for a line of output; the bound only stops a broken run (npm start builds first). */
async function waitFor(run, text, what, seconds = 300) {
  for (let i = 0; i < seconds * 4; i++) {
    if (run.output.includes(text)) return;
    if (run.child.exitCode !== null || run.child.signalCode !== null) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  fail(`${what} (waited for "${text}")`, run.output);
}

async function expectCleanExit(run, after) {
  const { code, signal } = await run.exited;
  if (code !== 0) fail(`exit code ${code}${signal ? ` (signal ${signal})` : ''} after ${after}`, run.output);
  if (!run.output.includes('Parley stopped.')) fail(`no clean stop message after ${after}`, run.output);
}

const node = (dir) => start(process.execPath, ['dist/api/apps/api/src/main.js'], dir);

const PASSWORD_FILE_LINE = /^The first admin's password is in \S*initial-admin-password\.txt /;

/** The output's last lines must be `expected` (regular expressions), in that order. */
function expectLastLines(output, expected, what) {
  const lines = output.trimEnd().split('\n').map((line) => line.replace(/\r$/, ''));
  const last = lines.slice(-expected.length);
  if (!expected.every((re, i) => re.test(last[i] ?? ''))) fail(`${what}: the last lines are not ${expected.join(', ')}`, output);
}

// 1. npm start (at the default log level), then Ctrl-C.
{
  const run = start('npm', ['start'], freshDir(), { LOG_LEVEL: 'info' });
  await waitFor(run, "The first admin's password is in", 'npm start did not print its banner');
  // Nothing was asked of the server yet: the banner must be the end of what it printed.
  expectLastLines(run.output, [new RegExp(`^Parley is running at http://localhost:${run.port} `), /^Created the first admin account: admin@parley\.local \/ \S{12,}$/, PASSWORD_FILE_LINE], 'npm start');
  if (/Mapped \{|RoutesResolver|dependencies initialized/.test(run.output)) fail("Nest's route and module lines are printed at the default log level", run.output);
  const health = await fetch(`${run.base}/api/health`).then((r) => r.json());
  if (health.status !== 'ok') fail(`health: ${JSON.stringify(health)}`, run.output);
  const negotiations = await fetch(`${run.base}/api/negotiations`).then((r) => r.json());
  if (!Array.isArray(negotiations) || negotiations[0]?.slug !== 'ukraine-peace-2025') fail('the demo negotiation is missing', run.output);
  const page = await fetch(`${run.base}/`).then((r) => r.text());
  if (!page.includes('<div id="root">')) fail('the dashboard page is not served at /', run.output);
  // The built assets: the script precompressed at build time and cached for good, the page revalidated, no source maps.
  const script = /src="(\/assets\/[^"]+\.js)"/.exec(page)?.[1];
  if (!script) fail('the dashboard page names no script under /assets/', run.output);
  const asset = await fetch(`${run.base}${script}`, { headers: { 'accept-encoding': 'br' } });
  if (asset.status !== 200 || asset.headers.get('content-encoding') !== 'br') fail(`${script} is not sent Brotli-compressed (${asset.status}, ${asset.headers.get('content-encoding')})`, run.output);
  if (!/immutable/.test(asset.headers.get('cache-control') ?? '')) fail(`${script} is not cached as immutable: ${asset.headers.get('cache-control')}`, run.output);
  if ((await fetch(`${run.base}/`)).headers.get('cache-control') !== 'no-cache') fail('the dashboard page is not sent with cache-control: no-cache', run.output);
  if ((await fetch(`${run.base}${script}.map`)).status !== 404) fail('a source map is served without SERVE_SOURCE_MAPS=true', run.output);
  const deepLink = await fetch(`${run.base}/some/dashboard/route`);
  if (deepLink.status !== 200 || !(await deepLink.text()).includes('<div id="root">')) fail('a dashboard deep link does not serve the page', run.output);
  const docs = await fetch(`${run.base}/api/docs`);
  if (docs.status !== 200) fail('/api/docs is not served', run.output);
  kill(run.child, 'SIGINT');
  // Another signal while it drains must not cut the stop short. Two signals sent back to back may
  // reach the server in either order: whichever comes second is answered with "still stopping".
  kill(run.child, 'SIGTERM');
  await expectCleanExit(run, 'Ctrl-C and SIGTERM to npm start');
  if (!/(SIGINT|SIGTERM): still stopping/.test(run.output)) fail('the second signal was not answered with "still stopping"', run.output);
}

// 2. Ctrl-C during the first demo load, then start again.
{
  const dir = freshDir();
  const first = node(dir);
  await waitFor(first, 'Loading the demo negotiation', 'the first start did not begin loading the demo');
  kill(first.child, 'SIGINT');
  await expectCleanExit(first, 'Ctrl-C during the demo load');

  const second = node(dir);
  await waitFor(second, "The first admin's password is in", 'the second start did not remind where the first password is');
  expectLastLines(second.output, [new RegExp(`^Parley is running at http://localhost:${second.port} `), PASSWORD_FILE_LINE], 'a later start');
  const base = `${second.base}/api/negotiations/ukraine-peace-2025`;
  const negotiations = await fetch(`${second.base}/api/negotiations`).then((r) => r.json());
  const parties = await fetch(`${base}/parties`).then((r) => r.json());
  const documents = await fetch(`${base}/documents`).then((r) => r.json());
  const changes = await fetch(`${base}/changes?limit=1000`).then((r) => r.json());
  const kinds = new Set((changes.items ?? []).map((c) => c.kind));
  const complete = negotiations.length === 1 && parties.length === 5 && documents.length === 4 && kinds.has('stance.recorded') && kinds.has('stance.retracted');
  if (!complete) {
    fail(
      `the demo is not complete after Ctrl-C during its load and a restart: ${negotiations.length} negotiations, ${parties.length} parties, ${documents.length} documents, changes ${[...kinds].join('/') || 'none'}`,
      first.output + second.output,
    );
  }
  kill(second.child, 'SIGINT');
  await expectCleanExit(second, 'Ctrl-C');
}

// 3. DB_PATH under a file.
{
  const dir = freshDir();
  writeFileSync(join(dir, 'hostname'), 'a file\n');
  const dbPath = join(dir, 'hostname', 'parley.sqlite');
  const bad = spawn(process.execPath, ['dist/api/apps/api/src/main.js'], { env: { ...process.env, DB_PATH: dbPath, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  bad.stdout.on('data', (chunk) => (output += chunk));
  bad.stderr.on('data', (chunk) => (output += chunk));
  const code = await new Promise((resolve) => bad.on('exit', resolve));
  const expected = `Cannot open the database DB_PATH=${dbPath}: a part of its folder path is a file, not a folder (${join(dir, 'hostname')}) (EEXIST).`;
  if (code !== 1 || !output.startsWith(expected) || output.trim().split('\n').length !== 1) fail(`DB_PATH under a file: exit ${code}, expected one line starting "${expected}"`, output);
}

// 4. PORT in use.
{
  const holder = createServer();
  await new Promise((resolve) => holder.listen({ port: 0, host: '0.0.0.0' }, resolve));
  const { port } = holder.address();
  const dataDir = join(freshDir(), 'data');
  const busy = spawn(process.execPath, ['dist/api/apps/api/src/main.js'], { env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  busy.stdout.on('data', (chunk) => (output += chunk));
  busy.stderr.on('data', (chunk) => (output += chunk));
  const code = await new Promise((resolve) => busy.on('exit', resolve));
  holder.close();
  const expected = new RegExp(`^PORT ${port} is in use; set PORT=\\d+`);
  if (code !== 1 || !expected.test(output) || output.trim().split('\n').length !== 1) fail(`PORT in use: exit ${code}, expected one line matching ${expected}`, output);
  if (existsSync(dataDir)) fail('PORT in use: the refused start created the data folder (database, first admin)', output);
}

// 5. In a terminal.
{
  if (spawnSync('script', ['--version']).status !== 0) fail('util-linux `script` is needed to give the server a terminal');
  const dir = freshDir();
  const port = randomPort(5000);
  const command = `PORT=${port} DB_PATH=${join(dir, 'parley.sqlite')} LOG_LEVEL=info LOAD_DEMO=never exec ${process.execPath} dist/api/apps/api/src/main.js`;
  const run = start('script', ['-qec', command, '/dev/null'], dir, {});
  await waitFor(run, "The first admin's password is in", 'the start in a terminal did not print its banner');
  if (!/INFO.*\[NestApplication\] Nest application successfully started/.test(run.output)) fail('in a terminal, the log lines are not readable ones', run.output);
  if (/^\{"level"/m.test(run.output)) fail('in a terminal, the log lines are JSON', run.output);
  kill(run.child, 'SIGTERM');
  await run.exited;
}

for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
console.log(
  "smoke: OK (npm start: the banner last, no route lines, health, demo data, dashboard, API docs, clean Ctrl-C with exit 0; Ctrl-C during the demo load, then a complete demo and the password file's reminder; DB_PATH under a file and PORT in use: one clear line, nothing written; readable logs in a terminal)",
);
