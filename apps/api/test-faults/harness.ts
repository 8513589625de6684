import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import * as sqlite3 from 'sqlite3';
import { cellKey, cellVersions, currentStances, type StanceFact } from '@parley/domain';
import { ApiNode, PG_URL, freePort } from '../test-scale/cluster';

export { ApiNode, PG_URL, RedisProcess, freePort } from '../test-scale/cluster';

export const ADMIN = { email: 'admin@faults.local', password: 'faults-admin-password' };
export type Driver = 'sqlite' | 'postgres';

/** A deterministic random source (xorshift), seeded per test, so a failing run can be replayed. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4_294_967_296;
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until the predicate holds; the bound only stops a broken run, it is not an assertion on speed. */
export async function until(what: string, predicate: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

export interface Answer {
  /** 0: no answer (connection refused or cut, e.g. the process was killed). */
  status: number;
  body: any;
  headers?: Headers;
}

/** One HTTP call; a refused or cut connection is an answer of status 0, not an exception. */
export async function call(base: string, method: string, p: string, options: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string | Buffer } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...(options.headers ?? {}) };
  let body: string | Buffer | undefined = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  try {
    const res = await fetch(base + p, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  } catch {
    return { status: 0, body: undefined };
  }
}

/** Direct read access to the node's database, for checks the API does not expose (and a fingerprint). */
export interface Probe {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** One node's installation: a fresh SQLite folder or PostgreSQL schema, and the environment to run it. */
export interface Installation {
  driver: Driver;
  env: Record<string, string>;
  dir: string;
  schema?: string;
  probe(): Promise<Probe>;
  drop(): Promise<void>;
}

/**
 * A PostgreSQL installation whose node logs in as a role of its own, so that a test can refuse and
 * cut that node's connections — and only its — and then let it back in.
 */
export interface OwnRoleDatabase {
  installation: Installation;
  /** The role may no longer log in, and its open connections are terminated; resolves to how many were. */
  refuse(): Promise<number>;
  /** The role may log in again. */
  allow(): Promise<void>;
  /** Drops the installation and the role (stop the node first). */
  drop(): Promise<void>;
}

export async function ownRoleDatabase(prefix: string): Promise<OwnRoleDatabase> {
  const role = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE ROLE ${role} LOGIN`);
  const url = new URL(PG_URL);
  url.username = role;
  const inst = await installation('postgres', { DATABASE_URL: url.toString() });
  await admin.query(`ALTER SCHEMA ${inst.schema} OWNER TO ${role}`);
  return {
    installation: inst,
    refuse: async () => {
      await admin.query(`ALTER ROLE ${role} NOLOGIN`);
      const terminated = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [role]);
      return terminated.rowCount ?? 0;
    },
    allow: async () => {
      await admin.query(`ALTER ROLE ${role} LOGIN`);
    },
    drop: async () => {
      await inst.drop();
      await admin.query(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
      await admin.end();
    },
  };
}

export async function installation(driver: Driver, extra: Record<string, string> = {}, dir?: string): Promise<Installation> {
  const folder = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'parley-faults-'));
  const env: Record<string, string> = {
    DATA_DIR: folder,
    JWT_SECRET: randomBytes(32).toString('hex'),
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    LOAD_DEMO: 'never',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '0',
    LIVE_HEAD_INTERVAL_MS: '500',
    DASHBOARD_DIR: path.join(folder, 'no-dashboard'),
    SHUTDOWN_TIMEOUT_MS: '20000',
    ...extra,
  };
  if (driver === 'sqlite') {
    env['DB_PATH'] = path.join(folder, 'parley.sqlite');
    return {
      driver,
      env,
      dir: folder,
      probe: () => sqliteProbe(env['DB_PATH']),
      drop: async () => fs.rmSync(folder, { recursive: true, force: true }),
    };
  }
  const schema = `t_faults_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  env['DATABASE_URL'] = extra['DATABASE_URL'] ?? PG_URL;
  env['DATABASE_SCHEMA'] = schema;
  return {
    driver,
    env,
    dir: folder,
    schema,
    probe: () => pgProbe(schema),
    drop: async () => {
      const c = new Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
      fs.rmSync(folder, { recursive: true, force: true });
    },
  };
}

async function sqliteProbe(file: string): Promise<Probe> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const d = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (err) => (err ? reject(err) : resolve(d)));
  });
  db.configure('busyTimeout', 10_000);
  return {
    query: <T>(sql: string, params: unknown[] = []) =>
      new Promise<T[]>((resolve, reject) => db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows as T[])))),
    close: () => new Promise<void>((resolve) => db.close(() => resolve())),
  };
}

async function pgProbe(schema: string): Promise<Probe> {
  const client = new Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
  await client.connect();
  return {
    query: async <T>(sql: string, params: unknown[] = []) => {
      let i = 0;
      return (await client.query(sql.replace(/\?/g, () => `$${++i}`), params)).rows as T[];
    },
    close: () => client.end(),
  };
}

/** Row counts of every table and every negotiation's sequence: equal fingerprints = nothing was written. */
export async function fingerprint(probe: Probe, driver: Driver): Promise<Record<string, string | number>> {
  const tables = await probe.query<{ name: string }>(
    driver === 'sqlite'
      ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
      : 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name',
  );
  const out: Record<string, string | number> = {};
  for (const { name } of tables) out[name] = Number((await probe.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM "${name}"`))[0].n);
  const seqs = await probe.query<{ id: string; seq: number | string; version: number | string }>('SELECT id, seq, version FROM negotiations ORDER BY id');
  out['seqs'] = seqs.map((s) => `${s.id}:${s.seq}:${s.version}`).join(',');
  return out;
}

/** The stored current-stance projection compared with a rebuild from the append-only events (libs/domain). */
export async function projectionMismatches(probe: Probe): Promise<string[]> {
  const facts: StanceFact[] = (
    await probe.query<Record<string, string | number | null>>(
      `SELECT e.id, e.party_id, e.point_id, e.position, e.effective_at, e.recorded_at, e.seq, r.recorded_at AS retracted_at
         FROM stance_events e LEFT JOIN stance_retractions r ON r.event_id = e.id`,
    )
  ).map((r) => ({
    id: String(r['id']),
    partyId: String(r['party_id']),
    pointId: String(r['point_id']),
    position: r['position'] as StanceFact['position'],
    effectiveAt: Number(r['effective_at']),
    recordedAt: Number(r['recorded_at']),
    seq: Number(r['seq']),
    retractedAt: r['retracted_at'] === null ? null : Number(r['retracted_at']),
  }));
  const rebuilt = currentStances(facts, {});
  const versions = cellVersions(facts);
  const stored = await probe.query<{ party_id: string; point_id: string; event_id: string | null; version: number | string }>(
    'SELECT party_id, point_id, event_id, version FROM current_stances',
  );
  const problems: string[] = [];
  if (stored.length !== versions.size) problems.push(`${stored.length} stored cells, ${versions.size} cells with events`);
  for (const row of stored) {
    const key = cellKey(row.party_id, row.point_id);
    const want = { event: rebuilt.get(key)?.id ?? null, version: versions.get(key) };
    if (row.event_id !== want.event || Number(row.version) !== want.version) {
      problems.push(`${key}: stored ${row.event_id}@${row.version}, rebuilt ${want.event}@${want.version}`);
    }
  }
  return problems;
}

/** Every sequence number of a negotiation's change log, in order. */
export async function changeLogSeqs(probe: Probe, negotiationId: string): Promise<{ seq: number; entityId: string; kind: string }[]> {
  const rows = await probe.query<{ seq: number | string; entity_id: string; kind: string }>(
    'SELECT seq, entity_id, kind FROM change_log WHERE negotiation_id = ? ORDER BY seq',
    [negotiationId],
  );
  return rows.map((r) => ({ seq: Number(r.seq), entityId: r.entity_id, kind: r.kind }));
}

/** A running node with a signed-in admin and a small negotiation to write to. */
export interface Stage {
  node: ApiNode;
  token: string;
  negotiationId: string;
  parties: string[];
  points: string[];
}

export async function startNode(inst: Installation, name = 'api'): Promise<ApiNode> {
  const node = new ApiNode(name, await freePort(), inst.env);
  await node.start();
  return node;
}

export async function login(base: string): Promise<string> {
  const res = await call(base, 'POST', '/api/auth/login', { body: ADMIN });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token as string;
}

export async function stage(node: ApiNode, parties = 4, points = 6): Promise<Stage> {
  const token = await login(node.url);
  const n = await call(node.url, 'POST', '/api/negotiations', { token, body: { title: `Faults ${randomBytes(3).toString('hex')}` } });
  if (n.status !== 201) throw new Error(`negotiation: ${JSON.stringify(n.body)}`);
  const base = `/api/negotiations/${n.body.id}`;
  const partyIds: string[] = [];
  const pointIds: string[] = [];
  for (let i = 0; i < parties; i++) partyIds.push((await call(node.url, 'POST', `${base}/parties`, { token, body: { code: `P${i}`, name: `Party ${i}` } })).body.id);
  for (let i = 0; i < points; i++) pointIds.push((await call(node.url, 'POST', `${base}/points`, { token, body: { title: `Point ${i}`, category: 'military' } })).body.id);
  // The source stanceBody cites inline: a stance write finds it instead of creating it (one change each, as before sources were records).
  const source = await call(node.url, 'POST', `${base}/sources`, { token, body: { outlet: 'Faults' } });
  if (source.status !== 201) throw new Error(`source: ${JSON.stringify(source.body)}`);
  return { node, token, negotiationId: n.body.id, parties: partyIds, points: pointIds };
}

export const POSITIONS = ['accept', 'conditional', 'amend', 'unclear', 'reject', 'red_line'] as const;

export function stanceBody(partyId: string, pointId: string, note: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { partyId, pointId, position: 'accept', confidence: 'reported', effectiveAt: '2025-12-01', source: { outlet: 'Faults' }, note, ...extra };
}

/** All stance changes through the public API (GET …/changes), following its pages. */
export async function allChanges(base: string, negotiationId: string, token: string): Promise<{ seq: number; kind: string; event: { id: string; note?: string | null } }[]> {
  const out: { seq: number; kind: string; event: { id: string; note?: string | null } }[] = [];
  let since = 0;
  for (;;) {
    const page = await call(base, 'GET', `/api/negotiations/${negotiationId}/changes?sinceSeq=${since}&limit=1000`, { token });
    if (page.status !== 200) throw new Error(`changes: ${page.status} ${JSON.stringify(page.body)}`);
    out.push(...page.body.items);
    if (page.body.nextSinceSeq === null) return out;
    since = page.body.nextSinceSeq;
  }
}

/** The errors a node logged for 5xx answers (type: message), to show why a test saw one. */
export function loggedErrors(node: ApiNode): string[] {
  return node.output
    .split('\n')
    .filter((line) => line.includes('"context":"Errors"'))
    .map((line) => {
      try {
        const entry = JSON.parse(line) as { err?: { type?: string; message?: string } };
        return `${entry.err?.type}: ${entry.err?.message}`;
      } catch {
        return line.slice(0, 300);
      }
    });
}
