import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { createApp } from '../src/bootstrap';
import { loadConfig, type AppConfig, type DatabaseConfig } from '../src/config/app-config';
import { Db } from '../src/database/db.service';

/** Set TEST_DATABASE_URL=postgres://… to run the same suites on PostgreSQL (each suite in its own schema). */
export const PG_URL = process.env['TEST_DATABASE_URL'];
export const DRIVER: 'sqlite' | 'postgres' = PG_URL ? 'postgres' : 'sqlite';

export interface TestDatabase {
  config: DatabaseConfig;
  drop(): Promise<void>;
}

/** A fresh, empty database: a temp SQLite file, or a new PostgreSQL schema. */
export async function freshDatabase(): Promise<TestDatabase> {
  if (PG_URL) {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const client = new Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.end();
    return {
      config: { driver: 'postgres', url: PG_URL, schema },
      drop: async () => {
        const c = new Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await c.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-test-'));
  return {
    config: { driver: 'sqlite', path: path.join(dir, 'parley.sqlite'), synchronous: 'FULL' },
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export interface Response<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export const ADMIN = { email: 'admin@test.local', password: 'admin-password-1' };

export interface HttpClient {
  request<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response<T>>;
  get<T = any>(path: string): Promise<Response<T>>;
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>): Promise<Response<T>>;
  patch<T = any>(path: string, body?: unknown): Promise<Response<T>>;
  delete<T = any>(path: string): Promise<Response<T>>;
}

/** The app, and an HTTP client signed in as the first admin (the default for set-up and writes). */
export interface TestApp extends HttpClient {
  app: NestFastifyApplication;
  db: Db;
  url: string;
  config: AppConfig;
  adminToken: string;
  /** Stops the app and starts a new one on the same database and port (a server restart). */
  restart(): Promise<void>;
  /** A client with the given bearer token, or anonymous with null. */
  as(token: string | null): HttpClient;
  /** Creates a user with this role and signs them in. */
  user(role: 'admin' | 'analyst' | 'viewer'): Promise<{ id: string; email: string; password: string; token: string }>;
  close(): Promise<void>;
}

/** Boots the real app (real migrations, real HTTP on a loopback port) on a fresh database. */
export async function startApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await freshDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-data-'));
  const config: AppConfig = {
    ...loadConfig({
      LOG_LEVEL: 'silent',
      DASHBOARD_DIR: path.join(os.tmpdir(), 'parley-no-dashboard'),
      DATA_DIR: dataDir,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      ...env,
    }),
    database: database.config,
  };
  let app = await createApp(config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const port = address.port;
  const url = `http://127.0.0.1:${port}`;
  const send = async <T>(token: string | null, method: string, p: string, body?: unknown, extra: Record<string, string> = {}): Promise<Response<T>> => {
    const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra };
    const res = await fetch(url + p, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  };
  const client = (token: string | null): HttpClient => ({
    request: (method, p, body, headers) => send(token, method, p, body, headers),
    get: (p) => send(token, 'GET', p),
    post: (p, body, headers) => send(token, 'POST', p, body, headers),
    patch: (p, body) => send(token, 'PATCH', p, body),
    delete: (p) => send(token, 'DELETE', p),
  });
  const login = await send<{ token: string }>(null, 'POST', '/api/auth/login', ADMIN);
  if (login.status !== 200) throw new Error(`admin login failed: ${JSON.stringify(login.body)}`);
  const adminToken = login.body.token;
  const admin = client(adminToken);
  let users = 0;
  return {
    ...admin,
    get app() {
      return app;
    },
    get db() {
      return app.get(Db);
    },
    url,
    config,
    adminToken,
    restart: async () => {
      await app.close();
      app = await createApp(config);
      await app.listen({ port, host: '127.0.0.1' });
    },
    as: client,
    user: async (role) => {
      const email = `${role}${++users}@test.local`;
      const password = `${role}-password-${users}`;
      const created = await admin.post('/api/users', { email, name: `${role} ${users}`, role, password });
      if (created.status !== 201) throw new Error(`user creation failed: ${JSON.stringify(created.body)}`);
      const signedIn = await send<{ token: string }>(null, 'POST', '/api/auth/login', { email, password });
      return { id: created.body.id, email, password, token: signedIn.body.token };
    },
    close: async () => {
      await app.close();
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const TABLES = [
  'negotiations',
  'parties',
  'actors',
  'points',
  'point_lineage',
  'documents',
  'provisions',
  'milestones',
  'sources',
  'source_archives',
  'stance_events',
  'stance_retractions',
  'current_stances',
  'change_log',
  'idempotency_keys',
  'users',
  'api_tokens',
  'share_links',
  'audit_log',
];

/** Row counts of every table and the sequence numbers: equal fingerprints = nothing was written. */
export async function fingerprint(db: Db): Promise<Record<string, number | string>> {
  const out: Record<string, number | string> = {};
  for (const table of TABLES) {
    const rows: { n: number | string }[] = await db.read.query(`SELECT COUNT(*) AS n FROM ${table}`);
    out[table] = Number(rows[0].n);
  }
  const seqs: { id: string; seq: number | string; version: number | string }[] = await db.read.query(
    'SELECT id, seq, version FROM negotiations ORDER BY id',
  );
  out['seqs'] = seqs.map((s) => `${s.id}:${s.seq}:${s.version}`).join(',');
  const cells: { v: number | string | null }[] = await db.read.query('SELECT SUM(version) AS v FROM current_stances');
  out['cellVersions'] = Number(cells[0].v ?? 0);
  return out;
}

export interface Seeded {
  negotiationId: string;
  slug: string;
  parties: { id: string; code: string; actors: { id: string }[] }[];
  points: { id: string; code: string }[];
}

/** A small negotiation made through the API: 3 parties (the first with two actors), 4 points (all in force from 2025-01-01), and the source `stance()` cites. */
export async function seed(t: TestApp, title = 'Test negotiation'): Promise<Seeded> {
  const n = await t.post('/api/negotiations', { title, description: 'for tests' });
  expect(n.status).toBe(201);
  const base = `/api/negotiations/${n.body.id}`;
  const parties = [];
  for (const [i, code] of ['AA', 'BB', 'CC'].entries()) {
    const res = await t.post(`${base}/parties`, {
      code,
      name: `Party ${code}`,
      actors: i === 0 ? [{ name: 'First Speaker', role: 'President' }, { name: 'Second Speaker' }] : [],
      effectiveAt: '2025-01-01',
    });
    expect(res.status).toBe(201);
    parties.push(res.body);
  }
  const points = [];
  for (const [i, category] of (['territory', 'military', 'economy', 'humanitarian'] as const).entries()) {
    // Tabled before any stance a test records (from 2025-11), so as-of matrices list them.
    const res = await t.post(`${base}/points`, { title: `Point ${i + 1}`, category, effectiveAt: '2025-01-01' });
    expect(res.status).toBe(201);
    points.push(res.body);
  }
  // The source `stance()` cites inline, so that a stance write finds it instead of creating it (one change, not two).
  expect((await t.post(`${base}/sources`, { outlet: 'Reuters', title: 'A headline' })).status).toBe(201);
  return { negotiationId: n.body.id, slug: n.body.slug, parties, points };
}

export const stance = (partyId: string, pointId: string, extra: Record<string, unknown> = {}) => ({
  partyId,
  pointId,
  position: 'accept',
  confidence: 'reported',
  effectiveAt: '2025-11-21',
  source: { outlet: 'Reuters', title: 'A headline' },
  ...extra,
});

/** Waits `ms` milliseconds (a token's lifetime, a lockout's end). */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
