/**
 * npm run bench -- write: stance events recorded through the real HTTP API on SQLite with the
 * production durability settings (WAL, synchronous=FULL), at 1, 8 and 32 concurrent clients, against
 * two baselines measured in the same run: the same inserts done directly with the sqlite3 driver
 * (one durable transaction per write, same pragmas) and a Fastify endpoint doing no database work.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as sqlite3 from 'sqlite3';
import { freePort } from '../test-scale/cluster';
import { summary } from './stats';

const ROOT = path.resolve(__dirname, '../../../../..');
const MAIN = path.join(ROOT, 'dist/api/apps/api/src/main.js');
const ADMIN = { email: 'bench@parley.local', password: 'bench-password-1' };
const DURATION = Number(process.env['BENCH_DURATION'] ?? 8);
const CLIENTS = (process.env['BENCH_CLIENTS'] ?? '1,8,32').split(',').map(Number);

interface Load {
  ok2xx: number;
  non2xx: number;
  errors: number;
  seconds: number;
  p50: number;
  p99: number;
}

function load(request: object): Promise<Load> {
  const child = fork(path.join(__dirname, 'load.js'), [], { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('message', (m: Load & { error?: string }) => {
      child.kill();
      if (m.error) reject(new Error(m.error));
      else resolve(m);
    });
    child.send(request);
  });
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer`);
}

/** The same row, inserted straight through the driver, one durable transaction per write. */
async function sqliteBaseline(file: string, clients: number): Promise<{ perSecond: number; p50: number; p99: number }> {
  const db = new sqlite3.Database(file);
  const run = (sql: string, params: unknown[] = []) => new Promise<void>((ok, fail) => db.run(sql, params, (err) => (err ? fail(err) : ok())));
  await run('PRAGMA journal_mode = WAL');
  await run('PRAGMA synchronous = FULL');
  await run('PRAGMA foreign_keys = ON');
  await run(`CREATE TABLE IF NOT EXISTS stance_events (id TEXT PRIMARY KEY, negotiation_id TEXT, seq INTEGER, party_id TEXT, point_id TEXT, position TEXT,
    confidence TEXT, effective_at INTEGER, effective_precision TEXT, recorded_at INTEGER, recorded_by TEXT, condition_point_ids TEXT, source_outlet TEXT)`);
  let seq = 0;
  let chain = Promise.resolve();
  const latencies: number[] = [];
  const end = Date.now() + DURATION * 1000;
  const insertOne = () => {
    const started = performance.now();
    // One connection: transactions queue behind each other, as they must.
    const done = chain.then(async () => {
      await run('BEGIN');
      await run('INSERT INTO stance_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
        randomUUID(), 'n', ++seq, 'party', 'point', 'accept', 'reported', Date.now(), 'day', Date.now(), 'bench', '[]', 'Reuters',
      ]);
      await run('COMMIT');
    });
    chain = done;
    return done.then(() => latencies.push(performance.now() - started));
  };
  const started = Date.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < end) await insertOne();
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  await new Promise<void>((ok) => db.close(() => ok()));
  const s = summary(latencies);
  return { perSecond: latencies.length / seconds, p50: s.p50, p99: s.p99 };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-write-'));
  console.log(`machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; ${DURATION} s per run; absolute figures vary between machines`);

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server: ChildProcess = fork(MAIN, [], {
    cwd: ROOT,
    stdio: 'ignore',
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DB_PATH: path.join(dir, 'parley.sqlite'), LOG_LEVEL: 'warn', LOAD_DEMO: 'never', RATE_LIMIT_PER_MINUTE: '0', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password },
  });
  await waitFor(`${url}/api/health`);
  const call = async (p: string, body: unknown, token?: string) =>
    (await (await fetch(url + p, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) })).json()) as any;
  const { token } = await call('/api/auth/login', ADMIN);
  const negotiation = await call('/api/negotiations', { title: 'Write bench' }, token);
  const party = await call(`/api/negotiations/${negotiation.id}/parties`, { code: 'AA', name: 'A' }, token);
  const point = await call(`/api/negotiations/${negotiation.id}/points`, { title: 'P', category: 'military' }, token);
  const body = JSON.stringify({ partyId: party.id, pointId: point.id, position: 'accept', confidence: 'reported', effectiveAt: '2025-12-01', source: { outlet: 'Reuters', title: 'A headline' } });

  const barePort = await freePort();
  const bare = fork(path.join(__dirname, 'bare-fastify.js'), [], { stdio: 'ignore', env: { ...process.env, PORT: String(barePort) } });
  await new Promise((r) => bare.once('message', r));

  console.log('clients | Parley API writes/s (p50 / p99 ms) | sqlite3 direct writes/s (p50 / p99) | bare Fastify req/s (p50 / p99) | Parley / sqlite3 | Parley / Fastify | non-2xx');
  for (const clients of CLIENTS) {
    const api = await load({ url: `${url}/api/negotiations/${negotiation.id}/stances`, connections: clients, duration: DURATION, method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
    const direct = await sqliteBaseline(path.join(dir, `direct-${clients}.sqlite`), clients);
    const fastify = await load({ url: `http://127.0.0.1:${barePort}/stances`, connections: clients, duration: DURATION, method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const apiRate = api.ok2xx / api.seconds;
    const fastifyRate = fastify.ok2xx / fastify.seconds;
    console.log(
      `${clients} | ${apiRate.toFixed(0)} (${api.p50} / ${api.p99}) | ${direct.perSecond.toFixed(0)} (${direct.p50.toFixed(1)} / ${direct.p99.toFixed(1)}) | ${fastifyRate.toFixed(0)} (${fastify.p50} / ${fastify.p99}) | ` +
        `${(apiRate / direct.perSecond).toFixed(2)} | ${(apiRate / fastifyRate).toFixed(2)} | ${api.non2xx + api.errors}`,
    );
  }
  server.kill('SIGTERM');
  bare.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
