/**
 * npm run bench:live — N viewers (default 100, 1,000, 5,000) watching one negotiation through the
 * real client, one writer recording stances over HTTP at a steady rate. Prints the delivery latency
 * from the writer's HTTP ack to receipt at every viewer, deliveries per second and server memory
 * (resident and peak, read while the viewers are still connected), and the same for a bare
 * socket.io server broadcasting the same payload, with the ratio.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../test-scale/cluster';
import { SERVER_NODE_FLAGS } from './server-flags';

const ROOT = path.resolve(__dirname, '../../../../..');
const BENCH_DIR = __dirname;
const MAIN = path.join(ROOT, 'dist/api/apps/api/src/main.js');
const ADMIN = { email: 'bench@parley.local', password: 'bench-password-1' };
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Results {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  delivered: number;
  missing: number;
  seconds: number;
}

function request<T>(child: ChildProcess, message: object, reply: string): Promise<T> {
  return new Promise((resolve) => {
    const listener = (m: { type: string } & Record<string, unknown>) => {
      if (m.type !== reply) return;
      child.off('message', listener);
      resolve(m as T);
    };
    child.on('message', listener);
    child.send(message);
  });
}

interface Memory {
  /** Resident set size now (MB). */
  rss: number;
  /** Highest resident set size of the process so far (VmHWM, MB). */
  peak: number;
}

function memory(pid: number | undefined): Memory {
  if (!pid) return { rss: NaN, peak: NaN };
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const mb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN) / 1024;
  return { rss: mb('VmRSS'), peak: mb('VmHWM') };
}

async function waitForHealth(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      /* not yet */
    }
    await sleep(100);
  }
  throw new Error('server did not start');
}

/**
 * Connects the fleet, writes at the rate, and reads the server's memory (`serverPid`) after the last
 * delivery while every viewer is still connected: what N viewers cost, not what is left after them.
 */
async function runFleet(
  mode: 'parley' | 'bare',
  url: string,
  count: number,
  setup: { negotiationId: string; sinceSeq: number; token: string },
  write: (i: number) => Promise<number>,
  messages: number,
  rate: number,
  serverPid: number | undefined,
): Promise<{ results: Results; memory: Memory }> {
  const fleet = fork(path.join(BENCH_DIR, 'live-fleet.js'), [], { stdio: 'inherit' });
  await request(fleet, { type: 'connect', mode, url, count, ...setup }, 'ready');
  await sleep(500);
  const acks: Record<string, number> = {};
  const interval = 1000 / rate;
  const started = now();
  for (let i = 0; i < messages; i++) {
    const due = started + i * interval;
    const wait = due - now();
    if (wait > 0) await sleep(wait);
    const seq = await write(i);
    acks[seq] = now();
  }
  await sleep(2_000);
  const used = memory(serverPid);
  const { results } = await request<{ results: Results }>(fleet, { type: 'acks', acks }, 'results');
  fleet.send({ type: 'close' });
  await new Promise((r) => fleet.once('exit', r));
  return { results, memory: used };
}

async function main(): Promise<void> {
  const sizes = (process.env['BENCH_LIVE_VIEWERS'] ?? '100,1000,5000').split(',').map(Number);
  const messages = Number(process.env['BENCH_LIVE_MESSAGES'] ?? 100);
  const rate = Number(process.env['BENCH_LIVE_RATE'] ?? 20);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-live-'));
  console.log(`machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; ${messages} stances at ${rate}/s per run; absolute figures vary between machines`);
  console.log('viewers | parley p50 / p95 / p99 (ms) | bare p50 / p95 / p99 (ms) | p99 ratio | deliveries/s parley / bare | missing | server RSS / peak with the viewers connected, parley · bare (MB)');
  const rows: string[] = [];
  const targets: { what: string; target: string; value: string; met: boolean }[] = [];

  for (const count of sizes) {
    // Parley, as deployed: built server, SQLite with synchronous=FULL.
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const server = fork(MAIN, [], {
      cwd: ROOT,
      execArgv: SERVER_NODE_FLAGS,
      stdio: 'ignore',
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DB_PATH: path.join(dir, `live-${count}.sqlite`),
        LOG_LEVEL: 'warn',
        LOAD_DEMO: 'never',
        RATE_LIMIT_PER_MINUTE: '0',
        // The whole fleet connects from 127.0.0.1: the per-address socket limit (2,000 by default)
        // would refuse the 5,000-viewer run, which then waited forever for its viewers.
        LIVE_MAX_SOCKETS_PER_IP: String(count + 100),
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
      },
    });
    await waitForHealth(url);
    const api = async (method: string, p: string, token: string | null, body?: unknown) => {
      const res = await fetch(url + p, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return (await res.json()) as any;
    };
    const { token } = await api('POST', '/api/auth/login', null, ADMIN);
    const negotiation = await api('POST', '/api/negotiations', token, { title: `Live bench ${count}` });
    const party = await api('POST', `/api/negotiations/${negotiation.id}/parties`, token, { code: 'AA', name: 'A' });
    const point = await api('POST', `/api/negotiations/${negotiation.id}/points`, token, { title: 'P', category: 'military' });
    // The source each write cites inline: found, not created, so that every message is one stance change.
    await api('POST', `/api/negotiations/${negotiation.id}/sources`, token, { outlet: 'Reuters', title: 'A headline of ordinary length for the benchmark' });
    const sinceSeq = (await api('GET', `/api/negotiations/${negotiation.id}`, token)).seq as number;
    let payload: unknown = null;
    const { results: parley, memory: parleyMemory } = await runFleet(
      'parley',
      url,
      count,
      { negotiationId: negotiation.id, sinceSeq, token },
      async (i) => {
        const result = await api('POST', `/api/negotiations/${negotiation.id}/stances`, token, {
          partyId: party.id,
          pointId: point.id,
          position: i % 2 ? 'accept' : 'reject',
          confidence: 'reported',
          effectiveAt: '2025-12-01',
          source: { outlet: 'Reuters', title: 'A headline of ordinary length for the benchmark' },
        });
        payload ??= { negotiationId: negotiation.id, kind: 'stance.recorded', entityId: result.event.id, recordedAt: result.event.recordedAt, recordedBy: ADMIN.email, data: result };
        return result.event.seq as number;
      },
      messages,
      rate,
      server.pid,
    );
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));

    // Baseline: bare socket.io broadcasting the same payload.
    const barePort = await freePort();
    const bare = fork(path.join(BENCH_DIR, 'bare-server.js'), [], { stdio: 'ignore', env: { ...process.env, PORT: String(barePort) } });
    await new Promise((r) => bare.once('message', r));
    const bareUrl = `http://127.0.0.1:${barePort}`;
    const { results: baseline, memory: bareMemory } = await runFleet(
      'bare',
      bareUrl,
      count,
      { negotiationId: '', sinceSeq: 0, token: '' },
      async (i) => {
        const seq = i + 1;
        await fetch(`${bareUrl}/emit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...(payload as object), seq }) });
        return seq;
      },
      messages,
      rate,
      bare.pid,
    );
    bare.kill('SIGTERM');
    await new Promise((r) => bare.once('exit', r));

    const f = (x: number) => x.toFixed(1);
    const row =
      `${count} | ${f(parley.p50)} / ${f(parley.p95)} / ${f(parley.p99)} | ${f(baseline.p50)} / ${f(baseline.p95)} / ${f(baseline.p99)} | ${(parley.p99 / baseline.p99).toFixed(2)} | ` +
      `${Math.round(parley.delivered / parley.seconds)} / ${Math.round(baseline.delivered / baseline.seconds)} | ${parley.missing} / ${baseline.missing} | ` +
      `${parleyMemory.rss.toFixed(0)} / ${parleyMemory.peak.toFixed(0)} · ${bareMemory.rss.toFixed(0)} / ${bareMemory.peak.toFixed(0)}`;
    console.log(row);
    rows.push(`| ${row} |`);
    if (count === 1000) {
      targets.push({ what: 'p99 at 1,000 viewers', target: '< 100 ms', value: `${f(parley.p99)} ms (bare socket.io: ${f(baseline.p99)} ms)`, met: parley.p99 < 100 });
      targets.push({ what: 'p99 over bare socket.io at 1,000 viewers', target: '< 1.5×', value: `${(parley.p99 / baseline.p99).toFixed(2)}×`, met: parley.p99 / baseline.p99 < 1.5 });
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  // The machine-readable summary for `npm run bench` (see tools/bench.mjs).
  const markdown = [
    '| viewers | Parley p50 / p95 / p99 (ms) | bare socket.io p50 / p95 / p99 (ms) | p99 ratio | deliveries/s Parley / bare | missing | server RSS / peak with the viewers connected, Parley · bare (MB) |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
  console.log(`BENCH_RESULT ${JSON.stringify({ scenario: 'live', markdown, targets })}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
