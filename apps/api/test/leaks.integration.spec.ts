import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { createApp } from '../src/bootstrap';
import { loadConfig } from '../src/config/app-config';
import { ADMIN, freshDatabase, seed, startApp } from './harness';

/** A GET with a Host header of our choosing (fetch does not let a caller set it). */
function getWithHost(url: string, host: string, token: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { host, authorization: `Bearer ${token}` } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
  });
}

describe('the request log: credentials cut out after decoding', () => {
  it('a share token sent as sh%61re=%70ls_… (and %73hare, mixed case) is read by the server but never reaches the log', async () => {
    const logs: string[] = [];
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
    const database = await freshDatabase();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-redact-'));
    const app = await createApp(
      { ...loadConfig({ LOG_LEVEL: 'info', VIEW_ACCESS: 'private', DATA_DIR: dataDir, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password }), database: database.config },
      { logDestination: stream },
    );
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.getHttpServer().address() as { port: number };
      const base = `http://127.0.0.1:${port}`;
      const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
      const session = ((await login.json()) as { token: string }).token;
      const call = (p: string, body?: unknown) =>
        fetch(base + p, { method: body ? 'POST' : 'GET', headers: { authorization: `Bearer ${session}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
      const negotiation = (await (await call('/api/negotiations', { title: 'N' })).json()) as { id: string };
      const share = ((await (await call(`/api/negotiations/${negotiation.id}/share-links`, { label: 'wall' })).json()) as { token: string }).token;
      expect(share).toMatch(/^pls_/);
      const secret = share.slice('pls_'.length);
      const encoded = `%70ls_${secret}`;
      const urls = [
        `/api/negotiations/${negotiation.id}/matrix?sh%61re=${encoded}`,
        `/api/negotiations/${negotiation.id}/matrix?%73hare=${encoded}&asOf=2025-12-01`,
        `/api/negotiations/${negotiation.id}/matrix?%53H%41rE=${share}`,
      ];
      // The server reads the decoded query: the first two are the share link at work (private mode).
      const statuses = [];
      for (const url of urls) statuses.push((await fetch(base + url)).status);
      expect(statuses.slice(0, 2)).toEqual([200, 200]);
      await new Promise((r) => setTimeout(r, 200));
      const logged = logs.join('');
      const requestLines = logged.split('\n').filter((line) => line.includes('/matrix?'));
      expect(requestLines.length).toBeGreaterThanOrEqual(urls.length); // the capture works
      expect(logged).toContain('sh%61re=[redacted]');
      expect(logged).not.toContain(secret);
    } finally {
      await app.close();
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('links in exports: PUBLIC_URL, never the Host header', () => {
  it('without PUBLIC_URL the Markdown digest links relatively, whatever Host the request claims', async () => {
    const t = await startApp();
    try {
      const s = await seed(t);
      const md = await getWithHost(`${t.url}/api/negotiations/${s.negotiationId}/export.md?asOf=2025-12-01`, 'evil.example.com', t.adminToken);
      expect(md.status).toBe(200);
      expect(md.text).not.toContain('evil.example.com');
      expect(md.text).toContain(`[Open the live dashboard](/?n=${s.slug}&asOf=2025-12-01)`);
      for (const format of ['csv', 'json', 'xlsx', 'pdf']) {
        const other = await getWithHost(`${t.url}/api/negotiations/${s.negotiationId}/export.${format}`, 'evil.example.com', t.adminToken);
        expect(other.status).toBe(200);
        expect(other.text).not.toContain('evil.example.com');
      }
    } finally {
      await t.close();
    }
  });

  it('with PUBLIC_URL the links start with it', async () => {
    const t = await startApp({ PUBLIC_URL: 'https://parley.example.org/desk/' });
    try {
      const s = await seed(t);
      const md = await getWithHost(`${t.url}/api/negotiations/${s.negotiationId}/export.md`, 'evil.example.com', t.adminToken);
      expect(md.status).toBe(200);
      expect(md.text).not.toContain('evil.example.com');
      expect(md.text).toContain(`[Open the live dashboard](https://parley.example.org/desk/?n=${s.slug})`);
    } finally {
      await t.close();
    }
  });
});

describe('answers given on a credential are not cached', () => {
  const PRIVATE = 'private, no-store';

  it('VIEW_ACCESS=private: every JSON answer, signed in, by share link or refused, is private and not stored', async () => {
    const t = await startApp({ VIEW_ACCESS: 'private' });
    try {
      const s = await seed(t);
      const share = (await t.post(`/api/negotiations/${s.negotiationId}/share-links`, { label: 'wall' })).body.token as string;
      const apiToken = (await t.post('/api/auth/tokens', { name: 'script' })).body.token as string;
      const answers = [
        await t.get('/api/negotiations'),
        await t.get(`/api/negotiations/${s.negotiationId}/matrix`),
        await t.as(apiToken).get(`/api/negotiations/${s.negotiationId}/parties`),
        await t.as(null).get(`/api/negotiations/${s.negotiationId}/matrix?share=${share}`),
        await t.as(null).get(`/api/negotiations/${s.negotiationId}/export.json?share=${share}`),
        await t.as(null).get(`/api/negotiations/${s.negotiationId}/matrix`),
      ];
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 401]);
      for (const answer of answers) expect(answer.headers.get('cache-control')).toBe(PRIVATE);
    } finally {
      await t.close();
    }
  });

  it('VIEW_ACCESS=public: an answer given on a session, API token or share link is private too', async () => {
    const t = await startApp();
    try {
      const s = await seed(t);
      const share = (await t.post(`/api/negotiations/${s.negotiationId}/share-links`, { label: 'wall' })).body.token as string;
      const apiToken = (await t.post('/api/auth/tokens', { name: 'script' })).body.token as string;
      const answers = [
        await t.get(`/api/negotiations/${s.negotiationId}/matrix`),
        await t.as(apiToken).get(`/api/negotiations/${s.negotiationId}/matrix`),
        await t.as(null).get(`/api/negotiations/${s.negotiationId}/matrix?share=${share}`),
        await t.get('/api/auth/me'),
      ];
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
      for (const answer of answers) expect(answer.headers.get('cache-control')).toBe(PRIVATE);
    } finally {
      await t.close();
    }
  });
});

describe('the data folder and its files are private to the account running Parley', () => {
  // About SQLite's own files, so on SQLite in both runs (also with TEST_DATABASE_URL).
  it('a first start creates the folder 0700 and the database (with -wal, -shm), JWT secret and admin password files 0600', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-modes-'));
    const dataDir = path.join(root, 'data', 'parley');
    const dbPath = path.join(dataDir, 'parley.sqlite');
    const app = await createApp({ ...loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: dataDir, DB_PATH: dbPath }), database: { driver: 'sqlite', path: dbPath, synchronous: 'FULL' } });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.getHttpServer().address() as { port: number };
      expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(200);
      const mode = (file: string) => (fs.statSync(file).mode & 0o777).toString(8);
      expect({ data: mode(dataDir), parent: mode(path.dirname(dataDir)) }).toEqual({ data: '700', parent: '700' });
      const files = ['parley.sqlite', 'parley.sqlite-wal', 'parley.sqlite-shm', 'jwt-secret', 'initial-admin-password.txt'];
      expect(Object.fromEntries(files.map((f) => [f, mode(path.join(dataDir, f))]))).toEqual(Object.fromEntries(files.map((f) => [f, '600'])));
    } finally {
      await app.close();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
