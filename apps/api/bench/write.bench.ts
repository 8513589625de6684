/**
 * npm run bench -- write: stance events recorded through the real HTTP API at 1, 8 and 32 concurrent
 * clients (autocannon in its own process), on SQLite with the production durability settings (WAL,
 * synchronous=FULL) and, side by side, on PostgreSQL (DATABASE_URL or BENCH_PG_URL; its own schema,
 * dropped afterwards). Baselines measured in the same run:
 * - the same row inserted directly with the driver, one durable transaction per write (same pragmas);
 * - the same, with the waiting inserts group-committed (one transaction, one fsync, as Parley does);
 * - a Fastify endpoint that parses the same body and does no database work.
 * Ends with BENCH_RESULT lines (see tools/bench.mjs).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client, Pool } from 'pg';
import * as sqlite3 from 'sqlite3';
import { freePort } from '../test-scale/cluster';
import { summary } from './stats';
import { SERVER_NODE_FLAGS } from './server-flags';

const ROOT = path.resolve(__dirname, '../../../../..');
const MAIN = path.join(ROOT, 'dist/api/apps/api/src/main.js');
const ADMIN = { email: 'bench@parley.local', password: 'bench-password-1' };
const DURATION = Number(process.env['BENCH_DURATION'] ?? 5);
const CLIENTS = (process.env['BENCH_CLIENTS'] ?? '1,8,32').split(',').map(Number);
const PG_URL = process.env['BENCH_PG_URL'] ?? process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const TARGET = { rate: 1000, p99: 50, clients: 32 };
/**
 * BENCH_WRITE_TEXT=1: every stance carries a quote and a note, so the search index is written with
 * each event (without text, the full-text trigger and the partial index skip the row).
 */
const WITH_TEXT = process.env['BENCH_WRITE_TEXT']
  ? {
      quote: 'We are ready to discuss the security guarantees for Zaporizhzhia and the Donbas line only after a full ceasefire, said the minister in Geneva.',
      note: 'Reported by two outlets; the ministry confirmed the wording the next day.',
    }
  : {};

interface Load {
  ok2xx: number;
  non2xx: number;
  errors: number;
  seconds: number;
  p50: number;
  p99: number;
}

interface Rate {
  perSecond: number;
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

const ROW = () => [randomUUID(), 'n', 'party', 'point', 'accept', 'reported', Date.now(), 'day', Date.now(), 'bench', '[]', 'Reuters'];
const COLUMNS = 'id, negotiation_id, seq, party_id, point_id, position, confidence, effective_at, effective_precision, recorded_at, recorded_by, condition_point_ids, source_outlet';

/** `clients` loops, each issuing one write after another for DURATION seconds. */
async function drive(clients: number, write: () => Promise<void>): Promise<Rate> {
  const latencies: number[] = [];
  const end = Date.now() + DURATION * 1000;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < end) {
        const t0 = performance.now();
        await write();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const s = summary(latencies);
  return { perSecond: latencies.length / ((Date.now() - started) / 1000), p50: s.p50, p99: s.p99 };
}

/** The same row straight through the sqlite3 driver: one connection, WAL, synchronous=FULL. */
async function sqliteDirect(file: string, clients: number, group: boolean): Promise<Rate> {
  const db = new sqlite3.Database(file);
  const run = (sql: string, params: unknown[] = []) => new Promise<void>((ok, fail) => db.run(sql, params, (err) => (err ? fail(err) : ok())));
  await run('PRAGMA journal_mode = WAL');
  await run('PRAGMA synchronous = FULL');
  await run('PRAGMA foreign_keys = ON');
  await run(`CREATE TABLE IF NOT EXISTS stance_events (id TEXT PRIMARY KEY, negotiation_id TEXT, seq INTEGER, party_id TEXT, point_id TEXT, position TEXT,
    confidence TEXT, effective_at INTEGER, effective_precision TEXT, recorded_at INTEGER, recorded_by TEXT, condition_point_ids TEXT, source_outlet TEXT)`);
  const insert = db.prepare(`INSERT INTO stance_events (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  let seq = 0;
  const insertOne = () =>
    new Promise<void>((ok, fail) => {
      const row = ROW();
      insert.run([row[0], row[1], ++seq, ...row.slice(2)], (err) => (err ? fail(err) : ok()));
    });
  let result: Rate;
  if (!group) {
    // One connection: transactions queue behind each other, as they must.
    let chain = Promise.resolve();
    result = await drive(clients, () => {
      chain = chain.then(async () => {
        await run('BEGIN');
        await insertOne();
        await run('COMMIT');
      });
      return chain;
    });
  } else {
    // Group commit: the inserts waiting when a transaction starts share it and its fsync.
    let waiting: { ok: () => void; fail: (e: unknown) => void }[] = [];
    let busy = false;
    const flush = async (): Promise<void> => {
      if (busy) return;
      busy = true;
      while (waiting.length > 0) {
        const group = waiting;
        waiting = [];
        try {
          await run('BEGIN');
          for (let i = 0; i < group.length; i++) await insertOne();
          await run('COMMIT');
          group.forEach((w) => w.ok());
        } catch (err) {
          group.forEach((w) => w.fail(err));
        }
      }
      busy = false;
    };
    result = await drive(clients, () => new Promise<void>((ok, fail) => {
      waiting.push({ ok, fail });
      void flush();
    }));
  }
  await new Promise<void>((ok) => insert.finalize(() => ok()));
  await new Promise<void>((ok) => db.close(() => ok()));
  return result;
}

/** The same row straight through pg: `clients` connections, one autocommitted (durable) INSERT per write. */
async function pgDirect(schema: string, clients: number): Promise<Rate> {
  const pool = new Pool({ connectionString: PG_URL, max: clients, options: `-c search_path=${schema}` });
  await pool.query(`CREATE TABLE IF NOT EXISTS direct_events (id TEXT PRIMARY KEY, negotiation_id TEXT, seq SERIAL, party_id TEXT, point_id TEXT, position TEXT,
    confidence TEXT, effective_at BIGINT, effective_precision TEXT, recorded_at BIGINT, recorded_by TEXT, condition_point_ids TEXT, source_outlet TEXT)`);
  const columns = COLUMNS.replace('seq, ', '');
  const result = await drive(clients, async () => {
    await pool.query(`INSERT INTO direct_events (${columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`, ROW());
  });
  await pool.end();
  return result;
}

interface ApiServer {
  url: string;
  token: string;
  path: string;
  body: string;
  stop: () => Promise<void>;
}

async function startApi(env: Record<string, string>): Promise<ApiServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server: ChildProcess = fork(MAIN, [], {
    cwd: ROOT,
    execArgv: SERVER_NODE_FLAGS,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', LOAD_DEMO: 'never', RATE_LIMIT_PER_MINUTE: '0', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, ...env },
  });
  await waitFor(`${url}/api/health`);
  const call = async (p: string, body: unknown, token?: string) =>
    (await (await fetch(url + p, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) })).json()) as Record<string, string>;
  const { token } = await call('/api/auth/login', ADMIN);
  const negotiation = await call('/api/negotiations', { title: 'Write bench' }, token);
  const party = await call(`/api/negotiations/${negotiation['id']}/parties`, { code: 'AA', name: 'A' }, token);
  const point = await call(`/api/negotiations/${negotiation['id']}/points`, { title: 'P', category: 'military' }, token);
  const body = JSON.stringify({ partyId: party['id'], pointId: point['id'], position: 'accept', confidence: 'reported', effectiveAt: '2025-12-01', source: { outlet: 'Reuters', title: 'A headline' }, ...WITH_TEXT });
  return {
    url,
    token,
    path: `/api/negotiations/${negotiation['id']}/stances`,
    body,
    stop: async () => {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    },
  };
}

async function apiLoad(api: ApiServer, clients: number): Promise<Load & { rate: number }> {
  const result = await load({ url: api.url + api.path, connections: clients, duration: DURATION, method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${api.token}` }, body: api.body });
  return { ...result, rate: result.ok2xx / result.seconds };
}

const n0 = (x: number) => Math.round(x).toLocaleString('en-US');
const f1 = (x: number) => x.toFixed(1);
const ratio = (a: number, b: number) => (a / b).toFixed(2);

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-write-'));
  console.log(`machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; load ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')}; ${DURATION} s per run; absolute figures vary between machines`);
  const barePort = await freePort();
  const bare = fork(path.join(__dirname, 'bare-fastify.js'), [], { stdio: 'ignore', env: { ...process.env, PORT: String(barePort) } });
  await new Promise((r) => bare.once('message', r));

  // SQLite
  const lite = await startApi({ DB_PATH: path.join(dir, 'parley.sqlite'), SQLITE_SYNCHRONOUS: 'FULL' });
  const sqliteRows: string[] = [];
  let at32: { rate: number; p99: number } | null = null;
  console.log('clients | Parley API writes/s (p50 / p99 ms) | sqlite3 1 tx per write (p50 / p99) | sqlite3 group commit (p50 / p99) | bare Fastify req/s (p50 / p99) | API / sqlite3 group | API / Fastify | non-2xx');
  for (const clients of CLIENTS) {
    const api = await apiLoad(lite, clients);
    const single = await sqliteDirect(path.join(dir, `direct-${clients}.sqlite`), clients, false);
    const grouped = await sqliteDirect(path.join(dir, `group-${clients}.sqlite`), clients, true);
    const fastify = await load({ url: `http://127.0.0.1:${barePort}/stances`, connections: clients, duration: DURATION, method: 'POST', headers: { 'content-type': 'application/json' }, body: lite.body });
    const fastifyRate = fastify.ok2xx / fastify.seconds;
    if (clients === TARGET.clients) at32 = { rate: api.rate, p99: api.p99 };
    const row =
      `| ${clients} | ${n0(api.rate)} (${api.p50} / ${api.p99} ms) | ${n0(single.perSecond)} (${f1(single.p50)} / ${f1(single.p99)} ms) | ${n0(grouped.perSecond)} (${f1(grouped.p50)} / ${f1(grouped.p99)} ms) | ` +
      `${n0(fastifyRate)} (${fastify.p50} / ${fastify.p99} ms) | ${ratio(api.rate, grouped.perSecond)} | ${ratio(api.rate, fastifyRate)} | ${api.non2xx + api.errors} |`;
    console.log(row);
    sqliteRows.push(row);
  }
  await lite.stop();

  // PostgreSQL, in its own schema
  const pgRows: string[] = [];
  const schema = `bench_write_${process.pid}`;
  const admin = new Client({ connectionString: PG_URL });
  let pgError: string | null = null;
  try {
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    const pg = await startApi({ DATABASE_URL: PG_URL, DATABASE_SCHEMA: schema, JWT_SECRET: randomUUID() + randomUUID() });
    console.log('clients | Parley API on PostgreSQL writes/s (p50 / p99 ms) | pg direct INSERT (p50 / p99) | API / pg direct | non-2xx');
    for (const clients of CLIENTS) {
      const api = await apiLoad(pg, clients);
      const direct = await pgDirect(schema, clients);
      const row = `| ${clients} | ${n0(api.rate)} (${api.p50} / ${api.p99} ms) | ${n0(direct.perSecond)} (${f1(direct.p50)} / ${f1(direct.p99)} ms) | ${ratio(api.rate, direct.perSecond)} | ${api.non2xx + api.errors} |`;
      console.log(row);
      pgRows.push(row);
    }
    await pg.stop();
  } catch (err) {
    pgError = String(err);
    console.error(`PostgreSQL part skipped: ${pgError}`);
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await admin.end().catch(() => undefined);
  }

  bare.kill('SIGTERM');
  fs.rmSync(dir, { recursive: true, force: true });

  const sqliteTable = [
    '| clients | Parley API writes/s (p50 / p99) | sqlite3, 1 tx per write (p50 / p99) | sqlite3, group commit (p50 / p99) | bare Fastify req/s (p50 / p99) | API / sqlite3 group | API / Fastify | errors |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...sqliteRows,
  ].join('\n');
  console.log(
    `BENCH_RESULT ${JSON.stringify({
      scenario: 'write',
      title: 'SQLite (WAL, synchronous=FULL)',
      markdown: sqliteTable,
      targets: at32
        ? [
            { what: `durable writes/s through the API at ${TARGET.clients} clients`, target: `≥ ${n0(TARGET.rate)}/s`, value: `${n0(at32.rate)}/s`, met: at32.rate >= TARGET.rate },
            { what: `p99 at ${TARGET.clients} clients`, target: `< ${TARGET.p99} ms`, value: `${at32.p99} ms`, met: at32.p99 < TARGET.p99 },
          ]
        : [],
    })}`,
  );
  console.log(
    `BENCH_RESULT ${JSON.stringify({
      scenario: 'write',
      title: 'PostgreSQL (same scenario, own schema)',
      markdown: pgError
        ? `Not measured: ${pgError}`
        : ['| clients | Parley API writes/s (p50 / p99) | pg direct INSERT, autocommit (p50 / p99) | API / pg direct | errors |', '|---:|---:|---:|---:|---:|', ...pgRows].join('\n'),
    })}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
