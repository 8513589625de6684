// npm run bench:dashboard — the dashboard on a 200-point × 50-party negotiation in real Chromium:
// time until the matrix is on screen, and for live updates the time from the HTTP ack of a stance
// to the changed cell in the DOM and to the next frame after it (style, layout and paint done), with
// the main-thread long tasks (> 50 ms) seen meanwhile.
// Needs the built app (npm run build) and Debian's chromium. Absolute figures vary between machines.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const POINTS = Number(process.env.BENCH_POINTS ?? 200);
const PARTIES = Number(process.env.BENCH_PARTIES ?? 50);
const UPDATES = Number(process.env.BENCH_UPDATES ?? 20);
const ADMIN = { email: 'bench@parley.local', password: 'bench-password-1' };
const POSITIONS = ['accept', 'conditional', 'amend', 'unclear', 'reject', 'red_line'];

const port = await new Promise((ok) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => ok(p));
  });
});
const url = `http://127.0.0.1:${port}`;
const dir = mkdtempSync(join(tmpdir(), 'parley-bench-dash-'));
const server = spawn(process.execPath, ['dist/api/apps/api/src/main.js'], {
  env: { ...process.env, PORT: String(port), DB_PATH: join(dir, 'p.sqlite'), LOG_LEVEL: 'warn', LOAD_DEMO: 'never', RATE_LIMIT_PER_MINUTE: '0', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password },
  stdio: 'ignore',
});
for (let i = 0; i < 300; i++) {
  try {
    if ((await fetch(`${url}/api/health`)).ok) break;
  } catch {}
  await new Promise((r) => setTimeout(r, 100));
}
const call = async (method, path, body, token) => {
  const res = await fetch(url + path, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body ? JSON.stringify(body) : undefined });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${JSON.stringify(json)}`);
  return json;
};
const { token } = await call('POST', '/api/auth/login', ADMIN);
const n = await call('POST', '/api/negotiations', { title: 'Dashboard bench', slug: 'dash-bench' }, token);
const parties = [];
for (let i = 0; i < PARTIES; i++) parties.push(await call('POST', `/api/negotiations/${n.id}/parties`, { code: `P${i}`, name: `Party ${i}` }, token));
const points = [];
for (let i = 0; i < POINTS; i++) points.push(await call('POST', `/api/negotiations/${n.id}/points`, { title: `Point number ${i}`, category: 'military' }, token));
const events = [];
for (const point of points) for (const party of parties) events.push({ partyId: party.id, pointId: point.id, position: POSITIONS[(events.length * 7) % 6], confidence: 'reported', effectiveAt: '2025-12-01', source: { outlet: 'Wire' } });
for (let i = 0; i < events.length; i += 1000) await call('POST', `/api/negotiations/${n.id}/stances/batch`, { events: events.slice(i, i + 1000) }, token);

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'] });
const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
await page.addInitScript(() => {
  window.__longTasks = [];
  new PerformanceObserver((list) => list.getEntries().forEach((e) => window.__longTasks.push(e.duration))).observe({ type: 'longtask', buffered: true });
});
const started = Date.now();
await page.goto(`${url}/?n=dash-bench`);
// The matrix is on screen when the table knows all its rows (aria-rowcount) and its first rows have
// their cells; above a size it renders only the rows near the screen, so not every cell is awaited.
await page.waitForFunction(
  ({ points, parties }) =>
    document.querySelectorAll('td[data-point]').length >= Math.min(points, 10) * parties &&
    // (a build from before the windowing has no aria-rowcount: there, every cell)
    (document.querySelector('table.matrix')?.getAttribute('aria-rowcount') === String(points + 1) ||
      document.querySelectorAll('td[data-point]').length >= points * parties),
  { points: POINTS, parties: PARTIES },
  { timeout: 120_000 },
);
const firstRender = Date.now() - started;
// Until the frame that shows it has been produced (the style and layout of the whole table).
await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
const firstPaint = Date.now() - started;
await page.waitForSelector('text=Live', { timeout: 30_000 });
const loadLongTasks = await page.evaluate(() => window.__longTasks.splice(0));
const cellsInDom = await page.evaluate(() => document.querySelectorAll('td[data-point]').length);
// When the matrix JSON had arrived (from navigation start): what is left of the first render is the page's own work.
const matrixArrived = await page.evaluate(() => Math.round(performance.getEntriesByType('resource').find((e) => /\/matrix(\?|$)/.test(e.name))?.responseEnd ?? Number.NaN));

const cdp = process.env.BENCH_PROFILE ? await page.context().newCDPSession(page) : null;
if (cdp) {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.start');
}
const latencies = [];
const painted = [];
for (let i = 0; i < UPDATES; i++) {
  // Cells in the first rows: on screen, so rendered whether or not the matrix is windowed.
  const point = points[(i * 7) % Math.min(POINTS, 12)];
  const party = parties[(i * 11) % PARTIES];
  const selector = `td[data-point="${point.id}"][data-party="${party.id}"]`;
  const before = await page.getAttribute(selector, 'data-position');
  const next = POSITIONS[(POSITIONS.indexOf(before) + 1) % 6];
  await call('POST', `/api/negotiations/${n.id}/stances`, { partyId: party.id, pointId: point.id, position: next, confidence: 'reported', effectiveAt: '2025-12-02', source: { outlet: 'Wire' } }, token);
  const acked = Date.now();
  // Timed inside the page by a MutationObserver, so polling by the test harness does not add to it.
  // "painted": the task after the next animation frame, i.e. once the frame with the change is
  // produced (style recalculation, layout and paint of the table included).
  const { shownAt, paintedAt } = await page.evaluate(
    ({ selector, next }) =>
      new Promise((resolve, reject) => {
        const done = () => document.querySelector(selector)?.getAttribute('data-position') === next;
        const finish = () => {
          const shownAt = Date.now();
          requestAnimationFrame(() => setTimeout(() => resolve({ shownAt, paintedAt: Date.now() }), 0));
        };
        if (done()) return finish();
        const observer = new MutationObserver(() => {
          if (done()) {
            observer.disconnect();
            finish();
          }
        });
        observer.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-position'], childList: true });
        setTimeout(() => reject(new Error('cell did not change within 10 s')), 10_000);
      }),
    { selector, next },
  );
  latencies.push(shownAt - acked);
  painted.push(paintedAt - acked);
}
const updateLongTasks = await page.evaluate(() => window.__longTasks.splice(0));
// The browser's own cost of one changed cell, apart from the network and the machine's load: change
// a cell's label and position class as a live update does, and time the forced style + layout.
const cellLayout = await page.evaluate(() => {
  const times = [];
  const cells = [...document.querySelectorAll('td[data-point]')].filter((td) => td.querySelector('.cell__label'));
  document.body.offsetHeight;
  for (let i = 0; i < 15; i++) {
    const td = cells[(i * 7) % Math.min(cells.length, 150)]; // in the first rows: on screen
    const label = td.querySelector('.cell__label');
    const t0 = performance.now();
    label.textContent = i % 2 ? 'Reject' : 'Conditional';
    td.className = i % 2 ? 'cell cell--reject' : 'cell cell--unclear';
    document.body.offsetHeight;
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
});
if (cdp) {
  const { profile } = await cdp.send('Profiler.stop');
  const self = new Map();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const key = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/').pop()}:${node.callFrame.lineNumber}:${node.callFrame.columnNumber}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${(us / 1000).toFixed(1).padStart(8)} ms  ${key}`);
}
await browser.close();
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
rmSync(dir, { recursive: true, force: true });

latencies.sort((a, b) => a - b);
painted.sort((a, b) => a - b);
const pct = (p, xs = latencies) => xs[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
console.log(`machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ${POINTS} points × ${PARTIES} parties, ${events.length} stances`);
console.log(`first render: ${firstRender} ms to the cells in the DOM, ${firstPaint} ms to the first frame (long tasks: ${loadLongTasks.length}, longest ${Math.round(Math.max(0, ...loadLongTasks))} ms); ${cellsInDom} cells rendered; matrix JSON received at ${matrixArrived} ms`);
console.log(`live update, HTTP ack → cell in the DOM over ${UPDATES} updates: p50 ${pct(50)} ms, p95 ${pct(95)} ms, max ${latencies.at(-1)} ms`);
console.log(`live update, HTTP ack → next frame produced: p50 ${pct(50, painted)} ms, p95 ${pct(95, painted)} ms, max ${painted.at(-1)} ms`);
console.log(`style + layout of one changed cell (in-page, forced): median ${cellLayout[7].toFixed(1)} ms, max ${cellLayout.at(-1).toFixed(1)} ms`);
console.log(`long tasks during the updates: ${updateLongTasks.length} (total ${Math.round(sum(updateLongTasks))} ms, longest ${Math.round(Math.max(0, ...updateLongTasks))} ms)`);
