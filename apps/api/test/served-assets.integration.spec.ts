import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { brotliCompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { seed, startApp, type TestApp } from './harness';

/** A GET without fetch's transparent decompression: the bytes and headers as sent. */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

/** A dashboard build as Vite and the precompress plugin leave it: index.html, a hashed script with its .br/.gz copies and its map. */
function fakeBuild(): { dir: string; script: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-dashboard-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  const script = `console.log(${JSON.stringify('parley '.repeat(400))});\n`;
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div><script type="module" src="/assets/index-Ab12Cd34.js"></script>');
  fs.writeFileSync(path.join(dir, 'assets/index-Ab12Cd34.js'), script);
  fs.writeFileSync(path.join(dir, 'assets/index-Ab12Cd34.js.br'), brotliCompressSync(script));
  fs.writeFileSync(path.join(dir, 'assets/index-Ab12Cd34.js.gz'), gzipSync(script));
  fs.writeFileSync(path.join(dir, 'assets/index-Ab12Cd34.js.map'), '{"version":3,"sources":["secret.ts"]}');
  return { dir, script };
}

describe('the dashboard as served', () => {
  const build = fakeBuild();
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ DASHBOARD_DIR: build.dir });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(build.dir, { recursive: true, force: true });
  });

  it('sends the build’s precompressed copy the client accepts, cached for a year as immutable', async () => {
    const br = await rawGet(`${t.url}/assets/index-Ab12Cd34.js`, { 'accept-encoding': 'br, gzip' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.body.equals(fs.readFileSync(path.join(build.dir, 'assets/index-Ab12Cd34.js.br')))).toBe(true);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers['vary']).toMatch(/accept-encoding/i);

    const gz = await rawGet(`${t.url}/assets/index-Ab12Cd34.js`, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(build.script);

    const plain = await rawGet(`${t.url}/assets/index-Ab12Cd34.js`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(build.script);
  });

  it('revalidates the page on every load, also at a deep link', async () => {
    for (const url of ['/', '/some/dashboard/route']) {
      const page = await rawGet(`${t.url}${url}`);
      expect(page.status).toBe(200);
      expect(page.body.toString()).toContain('<div id="root">');
      expect(page.headers['cache-control']).toBe('no-cache');
    }
  });

  it('keeps source maps private unless SERVE_SOURCE_MAPS=true, and answers a missing file with a 404, never the page', async () => {
    for (const file of ['/assets/index-Ab12Cd34.js.map', '/assets/index-OldBuild.js']) {
      const res = await rawGet(`${t.url}${file}`);
      expect(res.status).toBe(404);
      expect(res.body.toString()).not.toContain('<div id="root">');
    }
    const open = await startApp({ DASHBOARD_DIR: build.dir, SERVE_SOURCE_MAPS: 'true' });
    try {
      const map = await rawGet(`${open.url}/assets/index-Ab12Cd34.js.map`);
      expect(map.status).toBe(200);
      expect(map.body.toString()).toContain('secret.ts');
    } finally {
      await open.close();
    }
  });

  it('compresses JSON answers of 1 KB and more for clients that accept it, and leaves small ones alone', async () => {
    const s = await seed(t);
    const matrix = await rawGet(`${t.url}/api/negotiations/${s.negotiationId}/matrix`, { 'accept-encoding': 'gzip' });
    expect(matrix.status).toBe(200);
    expect(matrix.headers['content-encoding']).toBe('gzip');
    const json = JSON.parse(gunzipSync(matrix.body).toString()) as { rows: unknown[] };
    expect(json.rows.length).toBe(4);

    const same = await rawGet(`${t.url}/api/negotiations/${s.negotiationId}/matrix`);
    expect(same.headers['content-encoding']).toBeUndefined();

    const small = await rawGet(`${t.url}/api/health/live`, { 'accept-encoding': 'gzip, br' });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.body.toString())).toMatchObject({ status: 'ok' });
  });
});
