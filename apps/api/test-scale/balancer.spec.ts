import type { ChangeEntry } from '@parley/contracts';
import { LiveClient } from '@parley/live-client';
import * as http from 'node:http';
import { ADMIN, ApiNode, NginxProcess, RedisProcess, clusterEnv, freePort } from './cluster';

const METRICS_TOKEN = 'metrics-token-of-the-balancer-suite';
/** Requests per minute per client address, per node: the suite's own traffic (from 127.0.0.1) stays well under it. */
const RATE_LIMIT = 150;

/** A GET from another loopback address (the client nginx sees), optionally claiming an X-Forwarded-For of its own. */
function getFrom(localAddress: string, url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { localAddress, headers, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

async function until(what: string, predicate: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function call(base: string, method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as any };
}

/** Requests a node answered for one route, read off its own /api/metrics. */
async function answered(node: ApiNode, route: string): Promise<number> {
  const page = await (await fetch(`${node.url}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const series = `parley_http_request_duration_seconds_count{method="GET",route="${route}",status_code="200"} `;
  const line = page.split('\n').find((l) => l.startsWith(series));
  return line ? Number(line.slice(series.length)) : 0;
}

describe('two nodes behind nginx (deploy/nginx.conf)', () => {
  let redis: RedisProcess;
  let nginx: NginxProcess;
  let a: ApiNode;
  let b: ApiNode;
  let drop: () => Promise<void>;
  let token: string;
  let negotiationId: string;
  const partyIds: string[] = [];
  const pointIds: string[] = [];
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    redis = new RedisProcess(await freePort());
    await redis.start();
    const cluster = await clusterEnv(redis.url);
    drop = cluster.drop;
    // nginx is the only trusted proxy: the nodes count the address nginx saw, not one a client claims.
    const env = { ...cluster.env, METRICS_TOKEN, TRUST_PROXY: '127.0.0.1', RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT) };
    a = new ApiNode('node A', await freePort(), env);
    b = new ApiNode('node B', await freePort(), env);
    await Promise.all([a.start(), b.start()]);
    nginx = new NginxProcess(await freePort());
    await nginx.start([a, b]);
    const login = await fetch(`${nginx.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
    token = ((await login.json()) as { token: string }).token;
    negotiationId = (await call(nginx.url, 'POST', '/api/negotiations', token, { title: 'Balanced' })).body.id;
    for (const code of ['AA', 'BB']) partyIds.push((await call(nginx.url, 'POST', `/api/negotiations/${negotiationId}/parties`, token, { code, name: code })).body.id);
    for (let i = 0; i < 3; i++) pointIds.push((await call(nginx.url, 'POST', `/api/negotiations/${negotiationId}/points`, token, { title: `P${i}`, category: 'military' })).body.id);
    await call(nginx.url, 'POST', `/api/negotiations/${negotiationId}/sources`, token, { outlet: 'Wire' });
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await nginx?.stop();
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
    await drop?.();
  });

  const record = (i: number) =>
    call(nginx.url, 'POST', `/api/negotiations/${negotiationId}/stances`, token, {
      partyId: partyIds[i % 2],
      pointId: pointIds[i % 3],
      position: ['accept', 'reject', 'amend'][i % 3],
      confidence: 'reported',
      effectiveAt: '2025-12-01',
      source: { outlet: 'Wire' },
      note: `change ${i}`,
    });

  const viewer = async () => {
    const head = (await call(nginx.url, 'GET', `/api/negotiations/${negotiationId}`, token)).body.seq as number;
    const client = new LiveClient({ url: nginx.url, negotiationId, sinceSeq: head, token, gapTimeoutMs: 300 });
    const changes: ChangeEntry[] = [];
    client.on('change', (e) => changes.push(e));
    clients.push(client);
    client.start();
    await until('the viewer live through nginx', () => client.state === 'live');
    return { client, changes, head };
  };

  it('spreads requests over both nodes, without sticky sessions', async () => {
    const before = await Promise.all([answered(a, '/api/health/live'), answered(b, '/api/health/live')]);
    for (let i = 0; i < 20; i++) expect((await fetch(`${nginx.url}/api/health/live`)).status).toBe(200);
    const after = await Promise.all([answered(a, '/api/health/live'), answered(b, '/api/health/live')]);
    expect(after[0] - before[0]).toBeGreaterThan(0);
    expect(after[1] - before[1]).toBeGreaterThan(0);
    expect(after[0] - before[0] + after[1] - before[1]).toBe(20);
  });

  it('carries the live socket (a WebSocket upgrade) and gives a viewer every change written through it, in order, whichever node took it', async () => {
    const watching = await viewer();
    const writes = [];
    for (let i = 0; i < 10; i++) writes.push(await record(i));
    expect(writes.map((w) => w.status)).toEqual(Array(10).fill(201));
    await until('ten changes through nginx', () => watching.changes.length >= 10, 10_000);
    expect(watching.changes.map((c) => c.seq)).toEqual(writes.map((w) => w.body.event.seq));
  });

  it('limits each client address by what nginx saw (X-Forwarded-For from the trusted balancer), not one budget for all', async () => {
    const health = `${nginx.url}/api/health/live`;
    let limitedAfter = 0;
    for (let i = 1; i <= 2 * RATE_LIMIT + 10 && limitedAfter === 0; i++) if ((await getFrom('127.0.0.2', health)) === 429) limitedAfter = i;
    // Each node counts its own share of the client's requests: the limit bites after about twice its value.
    expect(limitedAfter).toBeGreaterThan(RATE_LIMIT);
    // Claiming another address does not help: nginx appends the one it saw, and only nginx is trusted.
    expect(await getFrom('127.0.0.2', health, { 'x-forwarded-for': '203.0.113.9' })).toBe(429);
    // Another client behind the same balancer has its own budget.
    expect(await getFrom('127.0.0.3', health)).toBe(200);
  });

  it('goes on when a node stops: writes land on the other, and the viewer reconnects through nginx and misses nothing', async () => {
    const watching = await viewer();
    const first = await record(100);
    expect(first.status).toBe(201);
    await until('the first change', () => watching.changes.length === 1, 10_000);

    await a.stop('SIGTERM');
    const during = [];
    for (let i = 0; i < 10; i++) during.push(await record(101 + i));
    expect(during.map((w) => w.status)).toEqual(Array(10).fill(201));

    await a.start();
    const last = await record(111);
    expect(last.status).toBe(201);
    const expected = [first, ...during, last].map((w) => w.body.event.seq);
    await until('every change once, in order', () => watching.changes.length >= expected.length, 20_000);
    expect(watching.changes.map((c) => c.seq)).toEqual(expected);
  });
});
