import type { ChangeEntry } from '@parley/contracts';
import { LiveClient } from '@parley/live-client';
import { ADMIN, ApiNode, RedisProcess, clusterEnv, freePort } from './cluster';

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

describe('two API nodes on PostgreSQL + Redis', () => {
  let redis: RedisProcess;
  let a: ApiNode;
  let b: ApiNode;
  let drop: () => Promise<void>;
  let token: string;
  let negotiationId: string;
  let partyIds: string[];
  let pointIds: string[];
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    redis = new RedisProcess(await freePort());
    await redis.start();
    const cluster = await clusterEnv(redis.url);
    drop = cluster.drop;
    a = new ApiNode('node A', await freePort(), cluster.env);
    b = new ApiNode('node B', await freePort(), cluster.env);
    // Both start at once: migrations run once, under the advisory lock.
    await Promise.all([a.start(), b.start()]);
    const login = await fetch(`${a.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
    token = ((await login.json()) as { token: string }).token;
    const n = await call(a.url, 'POST', '/api/negotiations', token, { title: 'Scale-out' });
    negotiationId = n.body.id;
    partyIds = [];
    pointIds = [];
    for (const code of ['AA', 'BB']) partyIds.push((await call(a.url, 'POST', `/api/negotiations/${negotiationId}/parties`, token, { code, name: code })).body.id);
    for (let i = 0; i < 3; i++) pointIds.push((await call(b.url, 'POST', `/api/negotiations/${negotiationId}/points`, token, { title: `P${i}`, category: 'military' })).body.id);
    // The source record() cites inline: each write finds it instead of creating it (one change per write).
    await call(a.url, 'POST', `/api/negotiations/${negotiationId}/sources`, token, { outlet: 'Wire' });
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
    await drop?.();
  });

  const record = (node: ApiNode, i: number) =>
    call(node.url, 'POST', `/api/negotiations/${negotiationId}/stances`, token, {
      partyId: partyIds[i % 2],
      pointId: pointIds[i % 3],
      position: ['accept', 'reject', 'amend'][i % 3],
      confidence: 'reported',
      effectiveAt: '2025-12-01',
      source: { outlet: 'Wire' },
      note: `change ${i}`,
    });

  const viewer = async (node: ApiNode) => {
    const head = (await call(node.url, 'GET', `/api/negotiations/${negotiationId}`, token)).body.seq as number;
    const client = new LiveClient({ url: node.url, negotiationId, sinceSeq: head, token, gapTimeoutMs: 300 });
    const changes: ChangeEntry[] = [];
    client.on('change', (e) => changes.push(e));
    clients.push(client);
    client.start();
    await until(`viewer on ${node.name} live`, () => client.state === 'live');
    return { client, changes, head };
  };

  it('delivers a change made through node A to a viewer on node B, with its sequence number', async () => {
    const onB = await viewer(b);
    const res = await record(a, 0);
    expect(res.status).toBe(201);
    await until('the change on B', () => onB.changes.length === 1, 5_000);
    expect(onB.changes[0]).toMatchObject({ kind: 'stance.recorded', seq: res.body.event.seq });
  });

  it('accepts the WebSocket transport only, so a load balancer needs no sticky sessions', async () => {
    // A long-polling session would live on one node, and the balancer may send its next request to the other.
    const polling = await fetch(`${a.url}/api/socket.io/?EIO=4&transport=polling`);
    expect(polling.status).toBe(400);
    expect(await polling.json()).toMatchObject({ message: 'Transport unknown' });
  });

  it('answers the matrix on node B with the writes made through node A (B catches its index up from the database)', async () => {
    const cellOn = async (node: ApiNode, partyId: string, pointId: string) =>
      (await call(node.url, 'GET', `/api/negotiations/${negotiationId}/matrix`, token)).body.rows.find((r: { point: { id: string } }) => r.point.id === pointId)?.cells[partyId];
    await cellOn(b, partyIds[0], pointIds[0]); // B starts building its index
    await new Promise((r) => setTimeout(r, 500));
    for (let i = 0; i < 6; i++) {
      const res = await record(i % 2 ? b : a, i);
      expect(res.status).toBe(201);
      const { partyId, pointId, position } = res.body.event;
      for (const node of [a, b]) {
        expect(await cellOn(node, partyId, pointId)).toMatchObject({ version: res.body.cell.version, stance: { id: res.body.event.id, position } });
      }
    }
  });

  it('keeps writing through a Redis outage, and every viewer ends with every change exactly once, in order', async () => {
    const onA = await viewer(a);
    const onB = await viewer(b);
    const start = onB.head;
    const acknowledged: number[] = [];
    for (let i = 0; i < 20; i++) acknowledged.push((await record(i % 2 ? a : b, i)).body.event.seq);

    const ready = async (url: string) => {
      const res = await fetch(`${url}/api/health/ready`);
      return { status: res.status, redis: ((await res.json()) as { checks: { redis?: string } }).checks.redis };
    };
    expect(await ready(a.url)).toEqual({ status: 200, redis: 'up' });
    await redis.stop();
    // Not ready while the fan-out is paused (a balancer sends new viewers elsewhere); still alive.
    await until('A not ready without Redis', async () => (await ready(a.url)).status === 503, 10_000);
    expect(await ready(a.url)).toEqual({ status: 503, redis: 'down' });
    expect((await fetch(`${a.url}/api/health/live`)).status).toBe(200);
    for (let i = 20; i < 60; i++) {
      const res = await record(i % 2 ? a : b, i);
      expect(res.status).toBe(201); // writes do not depend on Redis
      acknowledged.push(res.body.event.seq);
    }
    expect(a.alive && b.alive).toBe(true);
    await redis.start();
    await until('both ready again', async () => (await ready(a.url)).status === 200 && (await ready(b.url)).status === 200, 30_000);
    for (let i = 60; i < 80; i++) acknowledged.push((await record(i % 2 ? a : b, i)).body.event.seq);

    const expected = Array.from({ length: 80 }, (_, i) => start + 1 + i);
    expect(acknowledged).toEqual(expected);
    await until('every change on both nodes', () => onA.changes.length >= 80 && onB.changes.length >= 80, 30_000);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(onA.changes.map((c) => c.seq)).toEqual(expected);
    expect(onB.changes.map((c) => c.seq)).toEqual(expected);
    expect((await fetch(`${a.url}/api/health`)).status).toBe(200);
    expect((await fetch(`${b.url}/api/health`)).status).toBe(200);
  });

  it('misses nothing when the viewer’s node is restarted', async () => {
    const onB = await viewer(b);
    const start = onB.head;
    await record(a, 0);
    await until('first change', () => onB.changes.length === 1, 5_000);
    await b.stop();
    await record(a, 1);
    await record(a, 2);
    await b.start();
    await record(a, 3);
    await until('all four after the restart', () => onB.changes.length === 4, 30_000);
    expect(onB.changes.map((c) => c.seq)).toEqual([start + 1, start + 2, start + 3, start + 4]);
  });

  // Last here: it ends node A.
  it('counts the viewers of every node, and drops those of a node that dies (recounted every head interval)', async () => {
    const n = await call(a.url, 'POST', '/api/negotiations', token, { title: 'Presence across nodes' });
    expect(n.status).toBe(201);
    const watch = (node: ApiNode) => {
      const client = new LiveClient({ url: node.url, negotiationId: n.body.id, sinceSeq: 0, token });
      const counts: number[] = [];
      client.on('presence', (p) => counts.push(p.viewers));
      clients.push(client);
      client.start();
      return { client, counts };
    };
    const onA = watch(a);
    await until('the viewer on A counted', () => onA.counts.at(-1) === 1);
    const onB = watch(b);
    await until('both viewers counted on B', () => onB.counts.at(-1) === 2);
    await until('both viewers counted on A', () => onA.counts.at(-1) === 2);
    // Killed: node A pushes nothing about its viewer leaving; node B finds out by counting again.
    await a.stop('SIGKILL');
    await until('the viewer on A no longer counted on B', () => onB.counts.at(-1) === 1, 15_000);
    expect(onB.client.viewers).toBe(1);
    expect(onB.client.state).toBe('live');
  });
});

describe('access revoked on one node closes sockets on the other', () => {
  let redis: RedisProcess;
  let a: ApiNode;
  let b: ApiNode;
  let drop: () => Promise<void>;
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    redis = new RedisProcess(await freePort());
    await redis.start();
    const cluster = await clusterEnv(redis.url);
    drop = cluster.drop;
    // No periodic re-check within the test: what closes the socket on B is the revocation made on A.
    const env = { ...cluster.env, VIEW_ACCESS: 'private', LIVE_HEAD_INTERVAL_MS: '600000' };
    a = new ApiNode('node A', await freePort(), env);
    b = new ApiNode('node B', await freePort(), env);
    await Promise.all([a.start(), b.start()]);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
    await drop?.();
  });

  it('a share link revoked through node A ends its viewer on node B, which cannot join again', async () => {
    const login = await fetch(`${a.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
    const token = ((await login.json()) as { token: string }).token;
    const n = await call(a.url, 'POST', '/api/negotiations', token, { title: 'Revocation across nodes' });
    const link = await call(a.url, 'POST', `/api/negotiations/${n.body.id}/share-links`, token, { label: 'wall' });
    const errors: string[] = [];
    const onB = new LiveClient({ url: b.url, negotiationId: n.body.id, sinceSeq: 0, token: link.body.token });
    onB.on('error', (e) => errors.push(e.code));
    clients.push(onB);
    onB.start();
    await until('the viewer on B live', () => onB.state === 'live');
    expect((await call(a.url, 'DELETE', `/api/negotiations/${n.body.id}/share-links/${link.body.id}`, token)).status).toBe(200);
    await until('the viewer on B refused', () => onB.state === 'offline' && errors.includes('UNAUTHENTICATED'), 10_000);

    const again = new LiveClient({ url: b.url, negotiationId: n.body.id, sinceSeq: 0, token: link.body.token });
    const againErrors: string[] = [];
    again.on('error', (e) => againErrors.push(e.code));
    clients.push(again);
    again.start();
    await until('the new connection refused', () => againErrors.length > 0);
    expect(againErrors).toEqual(['UNAUTHENTICATED']);
  });
});
