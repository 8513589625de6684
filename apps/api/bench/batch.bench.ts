/**
 * npm run bench -- batch: 100,000 stance events (BENCH_BATCH_EVENTS) into a 200-point × 50-party
 * negotiation on the built server (SQLite, WAL, synchronous=FULL), three ways, each timed from the
 * first request sent to the last answer received:
 * - the batch endpoint, batches of 1,000, one after another (whole answers, then `Prefer: return=minimal`), then
 *   from BENCH_BATCH_CLIENTS (4) clients at once;
 * - one CSV import (text/csv, kind=stances) of the same rows;
 * - one JSON dump import (into an empty server) of the negotiation the batches wrote: its events and
 *   their change log.
 * Baseline in the same run: the same number of event rows inserted directly with the sqlite3 driver
 * into a table with the same columns and indexes, in one durable transaction (a prepared statement).
 * Ends with a BENCH_RESULT line (see tools/bench.mjs).
 */
import '../src/register-paths';
import { POSITIONS } from '@parley/contracts';
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as sqlite3 from 'sqlite3';
import { newOrderedId } from '../src/common/ids';
import { freePort } from '../test-scale/cluster';
import { prng } from './synthetic';
import { SERVER_NODE_FLAGS } from './server-flags';

const ROOT = path.resolve(__dirname, '../../../../..');
const MAIN = path.join(ROOT, 'dist/api/apps/api/src/main.js');
const ADMIN = { email: 'bench@parley.local', password: 'bench-password-1' };
const EVENTS = Number(process.env['BENCH_BATCH_EVENTS'] ?? 100_000);
const BATCH = 1_000;
const POINTS = 200;
const PARTIES = 50;
const TARGET_S = 10;
const CLIENTS = Number(process.env['BENCH_BATCH_CLIENTS'] ?? 4);

interface Server {
  url: string;
  token: string;
  stop: () => Promise<void>;
}

const children = new Set<ChildProcess>();

async function start(dbPath: string, env: Record<string, string> = {}): Promise<Server> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = fork(MAIN, [], {
    cwd: ROOT,
    execArgv: SERVER_NODE_FLAGS,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DB_PATH: dbPath, SQLITE_SYNCHRONOUS: 'FULL', LOG_LEVEL: 'warn', LOAD_DEMO: 'never', RATE_LIMIT_PER_MINUTE: '0', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, ...env },
  });
  children.add(child);
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      /* not yet */
    }
    if (i > 300) throw new Error('the server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  const { token } = (await (await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) })).json()) as { token: string };
  return {
    url,
    token,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      children.delete(child);
    },
  };
}

async function request(s: Server, method: string, p: string, body: string, type = 'application/json', extra: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  const res = await fetch(s.url + p, { method, headers: { 'content-type': type, authorization: `Bearer ${s.token}`, ...extra }, body });
  const json = await res.json();
  if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
  return { status: res.status, json };
}

/** A negotiation with POINTS points (one CSV import) and PARTIES parties; returns their ids and codes. */
async function negotiation(s: Server, title: string) {
  const n = (await request(s, 'POST', '/api/negotiations', JSON.stringify({ title }))).json as { id: string };
  const csv = ['code,title,category', ...Array.from({ length: POINTS }, (_, i) => `p${i},Point ${i},military`)].join('\n');
  await request(s, 'POST', `/api/negotiations/import?negotiation=${n.id}&kind=points`, csv, 'text/csv');
  const points = (await (await fetch(`${s.url}/api/negotiations/${n.id}/points`, { headers: { authorization: `Bearer ${s.token}` } })).json()) as { id: string; code: string }[];
  const parties: { id: string; code: string }[] = [];
  for (let i = 0; i < PARTIES; i++) parties.push((await request(s, 'POST', `/api/negotiations/${n.id}/parties`, JSON.stringify({ code: `P${i}`, name: `Party ${i}` }))).json);
  return { id: n.id, points, parties };
}

/** Deterministic rows: party, point, position, effective day. */
function rows(count: number): { party: number; point: number; position: string; day: string }[] {
  const random = prng(7);
  const start = Date.UTC(2024, 0, 1);
  return Array.from({ length: count }, () => ({
    party: Math.floor(random() * PARTIES),
    point: Math.floor(random() * POINTS),
    position: POSITIONS[Math.floor(random() * POSITIONS.length)],
    day: new Date(start + Math.floor(random() * 730) * 86_400_000).toISOString().slice(0, 10),
  }));
}

async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const t0 = performance.now();
  const value = await work();
  return { seconds: (performance.now() - t0) / 1000, value };
}

/** The floor: the same number of rows, same columns and indexes, one transaction, straight through the driver. */
async function sqliteDirect(file: string): Promise<number> {
  const db = new sqlite3.Database(file);
  const run = (sql: string, params: unknown[] = []) => new Promise<void>((ok, fail) => db.run(sql, params, (err) => (err ? fail(err) : ok())));
  await run('PRAGMA journal_mode = WAL');
  await run('PRAGMA synchronous = FULL');
  await run(`CREATE TABLE stance_events (id varchar PRIMARY KEY, negotiation_id varchar, seq integer, party_id varchar, point_id varchar, position varchar, confidence varchar,
    effective_at bigint, effective_precision varchar, recorded_at bigint, recorded_by varchar, conditions_text text, condition_point_ids text, note text, quote text,
    actor_id varchar, source_url varchar, source_outlet varchar, source_title varchar, source_published_at bigint, document_id varchar, milestone_id varchar)`);
  await run('CREATE INDEX ix_events_point_party_time ON stance_events (point_id, party_id, effective_at, recorded_at, seq)');
  await run('CREATE UNIQUE INDEX uq_events_seq ON stance_events (negotiation_id, seq)');
  await run('CREATE INDEX ix_events_recorded ON stance_events (negotiation_id, recorded_at)');
  const parties = Array.from({ length: PARTIES }, () => randomUUID());
  const points = Array.from({ length: POINTS }, () => randomUUID());
  const data = rows(EVENTS);
  const { seconds } = await timed(async () => {
    const insert = db.prepare(`INSERT INTO stance_events VALUES (${Array(22).fill('?').join(', ')})`);
    await run('BEGIN');
    await Promise.all(
      data.map(
        (r, i) =>
          new Promise<void>((ok, fail) =>
            insert.run(
              [newOrderedId(), 'n', i + 1, parties[r.party], points[r.point], r.position, 'reported', Date.parse(r.day), 'day', Date.now(), 'bench', null, '[]', null, null, null, null, 'Bench', null, null, null, null],
              (err) => (err ? fail(err) : ok()),
            ),
          ),
      ),
    );
    await new Promise<void>((ok) => insert.finalize(() => ok()));
    await run('COMMIT');
  });
  await new Promise<void>((ok) => db.close(() => ok()));
  return seconds;
}

const s1 = (x: number) => x.toFixed(1);
const rate = (x: number) => Math.round(EVENTS / x).toLocaleString('en-US');

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-batch-'));
  console.log(`machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; load ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')}; ${EVENTS} events; absolute figures vary between machines`);
  const data = rows(EVENTS);

  const server = await start(path.join(dir, 'parley.sqlite'));
  // 1. The batch endpoint: one client sending the batches one after another, then CLIENTS clients
  // sharing them (each into its own negotiation).
  const batchRuns: { clients: number; minimal: boolean; seconds: number; negotiationId: string }[] = [];
  for (const [clients, minimal] of [[1, false], [1, true], [CLIENTS, false]] as const) {
    const a = await negotiation(server, `Batch endpoint, ${clients} client(s)${minimal ? ', minimal answers' : ''}`);
    const batches: string[] = [];
    for (let i = 0; i < data.length; i += BATCH) {
      const events = data.slice(i, i + BATCH).map((r) => ({
        partyId: a.parties[r.party].id, pointId: a.points[r.point].id, position: r.position, confidence: 'reported', effectiveAt: r.day, source: { outlet: 'Bench' },
      }));
      batches.push(JSON.stringify({ events }));
    }
    let next = 0;
    const run = await timed(() =>
      Promise.all(
        Array.from({ length: clients }, async () => {
          while (next < batches.length) await request(server, 'POST', `/api/negotiations/${a.id}/stances/batch`, batches[next++], 'application/json', minimal ? { prefer: 'return=minimal' } : {});
        }),
      ),
    );
    batchRuns.push({ clients, minimal, seconds: run.seconds, negotiationId: a.id });
    console.log(`batch endpoint, ${clients} client(s)${minimal ? ', Prefer: return=minimal' : ''}: ${s1(run.seconds)} s (${rate(run.seconds)} events/s)`);
  }
  const [batch, batchMinimal, batchParallel] = batchRuns;

  // 2. The CSV import.
  const b = await negotiation(server, 'CSV import');
  const csv = ['party,point,position,confidence,effectiveAt,sourceOutlet', ...data.map((r) => `P${r.party},p${r.point},${r.position},reported,${r.day},Bench`)].join('\n');
  const csvRun = await timed(() => request(server, 'POST', `/api/negotiations/import?negotiation=${b.id}&kind=stances`, csv, 'text/csv'));
  const created = (csvRun.value.json as { counts: { stanceEvents: { created: number } } }).counts.stanceEvents.created;
  console.log(`CSV import: ${s1(csvRun.seconds)} s (${created} created)`);

  // 3. The JSON dump import: the negotiation of step 1 (its events and their change log), exported and
  // imported into an empty server (whose import limit is raised to the dump's size).
  const dump = await (await fetch(`${server.url}/api/negotiations/${batch.negotiationId}/export.json`, { headers: { authorization: `Bearer ${server.token}` } })).text();
  await server.stop();
  const target = await start(path.join(dir, 'target.sqlite'), { IMPORT_LIMIT_BYTES: String(dump.length * 2) });
  const dumpRun = await timed(() => request(target, 'POST', '/api/negotiations/import', dump));
  console.log(`JSON dump import: ${s1(dumpRun.seconds)} s (${(dump.length / 2 ** 20).toFixed(0)} MB)`);
  await target.stop();

  const direct = await sqliteDirect(path.join(dir, 'direct.sqlite'));
  console.log(`sqlite3 direct: ${s1(direct)} s`);
  fs.rmSync(dir, { recursive: true, force: true });

  const line = (what: string, seconds: number) => `| ${what} | ${s1(seconds)} s | ${rate(seconds)} | ${s1(direct)} s | ${(seconds / direct).toFixed(1)}× |`;
  const markdown = [
    `| ${EVENTS.toLocaleString('en-US')} events through | time | events/s | sqlite3 direct, same rows in one transaction | Parley / direct |`,
    '|---|---:|---:|---:|---:|',
    line(`the batch endpoint (${EVENTS / BATCH} × ${BATCH.toLocaleString('en-US')}, one client, one after another; each answer has the events and cells in full, ~1.3 MB)`, batch.seconds),
    line('the batch endpoint (the same with `Prefer: return=minimal`: a summary per item, ~0.15 MB)', batchMinimal.seconds),
    line(`the batch endpoint (the same, ${CLIENTS} clients at once)`, batchParallel.seconds),
    line('one CSV import (text/csv, kind=stances)', csvRun.seconds),
    line(`one JSON dump import (${(dump.length / 2 ** 20).toFixed(0)} MB)`, dumpRun.seconds),
  ].join('\n');
  const target_ = (what: string, seconds: number) => ({ what: `${EVENTS.toLocaleString('en-US')} events through ${what}`, target: `< ${TARGET_S} s`, value: `${s1(seconds)} s`, met: seconds < TARGET_S });
  console.log(
    `BENCH_RESULT ${JSON.stringify({
      scenario: 'batch',
      markdown,
      targets: [
        target_('the batch endpoint, one client, whole answers', batch.seconds),
        target_('the batch endpoint, one client, minimal answers', batchMinimal.seconds),
        target_(`the batch endpoint, ${CLIENTS} clients`, batchParallel.seconds), target_('the CSV import', csvRun.seconds), target_('the JSON dump import', dumpRun.seconds)],
      data: { events: EVENTS, batchSeconds: batch.seconds, batchMinimalSeconds: batchMinimal.seconds, batchParallelSeconds: batchParallel.seconds, csvSeconds: csvRun.seconds, dumpSeconds: dumpRun.seconds, directSeconds: direct },
    })}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  for (const child of children) child.kill('SIGKILL');
  process.exit(1);
});
