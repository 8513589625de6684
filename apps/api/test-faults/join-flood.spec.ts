import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { LIVE_PATH, type ChangeEntry, type ClientToServerEvents, type JoinAck, type ServerToClientEvents } from '@parley/contracts';
import { LiveClient } from '@parley/live-client';
import { io, type Socket } from 'socket.io-client';
import { UKRAINE_2025 } from '../src/demo/ukraine-2025';
import { record } from './figures';
import { call, installation, login, sleep, startNode, stanceBody, until, type ApiNode, type Installation } from './harness';

const FLOOD_SOCKETS = 4;
const JOINS_PER_SOCKET = 2_000;
const BURST = 100;
const BURST_EVERY_MS = 500;
const HONEST_VIEWERS = 3;
/** The bounds the issue sets for the node while it is flooded. */
const MAX_RSS_GROWTH_BYTES = 150 * 1024 * 1024;
const MAX_HEALTH_P99_MS = 250;
/** Stops a broken run; not an assertion on speed. */
const FLOOD_DEADLINE_MS = 180_000;

/** The server process's resident memory (VmRSS), in bytes. */
function rss(pid: number): number {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  if (!line) throw new Error(`no VmRSS for process ${pid}`);
  return Number(line.split(/\s+/)[1]) * 1024;
}

/**
 * Times GET /api/health every 25 ms from a process of its own, so that this process's work (reading
 * the flood's answers) does not count as the server's. stop() resolves with the latencies in ms;
 * every answer must be a 200.
 */
function healthProber(url: string): { ready: Promise<void>; stop: () => Promise<number[]> } {
  const script = `
    const latencies = [];
    let running = true;
    process.stdin.on('data', () => (running = false));
    (async () => {
      // The first fetch of a process loads the HTTP client: not the server's time.
      await (await fetch(process.argv[1] + '/api/health')).arrayBuffer();
      process.stdout.write('ready\\n');
      while (running) {
        const started = performance.now();
        const res = await fetch(process.argv[1] + '/api/health');
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error('/api/health answered ' + res.status);
        latencies.push(performance.now() - started);
        await new Promise((r) => setTimeout(r, 25));
      }
      process.stdout.write(JSON.stringify(latencies) + '\\n');
      process.exit(0);
    })();`;
  const child = spawn(process.execPath, ['-e', script, url], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    ready: until('the health prober ready', () => out.startsWith('ready\n') || child.exitCode !== null),
    stop: async () => {
      child.stdin.write('stop\n');
      const code = await exited;
      if (code !== 0) throw new Error(`the health prober failed (exit ${code})`);
      return JSON.parse(out.slice('ready\n'.length)) as number[];
    },
  };
}

/** CPU time the process has used so far, in ms (utime + stime, in clock ticks of 10 ms on Linux). */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)];

/**
 * What one socket could do to a node before joins were bounded: `join {sinceSeq: 0}` for the demo,
 * 2,000 times, from 4 unauthenticated sockets (VIEW_ACCESS=public, the default). The node must stay
 * small and answer its health check, and honest viewers must go on getting every change.
 */
describe('a flood of joins from seq 0 (SQLite, the demo negotiation)', () => {
  let inst: Installation;
  let node: ApiNode;

  beforeAll(async () => {
    inst = await installation('sqlite', { LOAD_DEMO: 'auto' });
    node = await startNode(inst, 'api-join-flood');
  });

  afterAll(async () => {
    await node?.stop('SIGKILL');
    await inst?.drop();
  });

  it(`${FLOOD_SOCKETS} sockets × ${JOINS_PER_SOCKET} joins: memory and health stay within bounds, honest viewers keep receiving`, async () => {
    const token = await login(node.url);
    const demo = await call(node.url, 'GET', `/api/negotiations/${UKRAINE_2025.negotiation.slug}`, { token });
    expect(demo.status).toBe(200);
    const negotiationId = demo.body.id as string;
    const base = `/api/negotiations/${negotiationId}`;
    const parties = (await call(node.url, 'GET', `${base}/parties`, { token })).body as { id: string }[];
    const points = (await call(node.url, 'GET', `${base}/points`, { token })).body as { id: string }[];
    const pid = node.pid;
    if (pid === undefined) throw new Error('the node is not running');

    const head0 = demo.body.seq as number;
    const honest = Array.from({ length: HONEST_VIEWERS }, () => {
      const client = new LiveClient({ url: node.url, negotiationId, sinceSeq: head0 });
      const seen: { entry: ChangeEntry; at: number }[] = [];
      client.on('change', (entry) => seen.push({ entry, at: Date.now() }));
      client.start();
      return { client, seen };
    });
    const flooders: Socket<ServerToClientEvents, ClientToServerEvents>[] = [];
    try {
      await until('honest viewers live', () => honest.every((v) => v.client.state === 'live'));
      // Warm up the replay path once, so the baseline is a node that has served a join from 0.
      const warm: Socket<ServerToClientEvents, ClientToServerEvents> = io(node.url, { path: LIVE_PATH, transports: ['websocket'], reconnection: false, forceNew: true });
      flooders.push(warm);
      const warmAck = await warm.timeout(30_000).emitWithAck('join', { negotiationId, sinceSeq: 0 });
      expect(warmAck).toMatchObject({ ok: true, replayed: head0 });
      warm.disconnect();
      await sleep(500);
      const baseline = rss(pid);

      let flooding = true;
      let peak = baseline;
      const sampler = (async () => {
        while (flooding) {
          peak = Math.max(peak, rss(pid));
          await sleep(50);
        }
      })();
      const prober = healthProber(node.url);
      await prober.ready;
      const cpuBefore = cpuMs(pid);
      const floodStarted = Date.now();
      const writes: { seq: number; at: number }[] = [];
      const writer = (async () => {
        for (let n = 0; flooding; n++) {
          const res = await call(node.url, 'POST', `${base}/stances`, {
            token,
            body: stanceBody(parties[n % parties.length].id, points[n % points.length].id, `during the flood ${n}`),
          });
          expect(res.status).toBe(201);
          writes.push({ seq: res.body.event.seq as number, at: Date.now() });
          await sleep(100);
        }
      })();

      const acks: JoinAck[] = [];
      let replayedToFlood = 0;
      await Promise.all(
        Array.from({ length: FLOOD_SOCKETS }, async () => {
          const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(node.url, { path: LIVE_PATH, transports: ['websocket'], reconnection: false, forceNew: true });
          flooders.push(socket);
          socket.on('changes', (entries) => (replayedToFlood += entries.length));
          await until('a flooding socket connected', () => socket.connected);
          // In bursts, none waiting for an answer (what the attack did), spread over some seconds so
          // that the budget refills and writes happen meanwhile.
          const answers: Promise<JoinAck>[] = [];
          for (let burst = 0; burst < JOINS_PER_SOCKET / BURST; burst++) {
            for (let i = 0; i < BURST; i++) {
              answers.push(
                socket
                  .timeout(FLOOD_DEADLINE_MS)
                  .emitWithAck('join', { negotiationId, sinceSeq: 0 })
                  .catch((err: Error): JoinAck => ({ ok: false, error: { statusCode: 0, error: 'no answer', code: 'NO_ANSWER', message: err.message } })),
              );
            }
            await sleep(BURST_EVERY_MS);
          }
          acks.push(...(await Promise.all(answers)));
          socket.disconnect();
        }),
      );
      const floodEnded = Date.now();
      const cpuShare = (cpuMs(pid) - cpuBefore) / (floodEnded - floodStarted);
      flooding = false;
      await Promise.all([sampler, writer]);
      const health = await prober.stop();

      const growth = peak - baseline;
      const p99 = percentile(health, 99);
      expect(growth).toBeLessThan(MAX_RSS_GROWTH_BYTES);
      expect(p99).toBeLessThan(MAX_HEALTH_P99_MS);
      expect(health.length).toBeGreaterThanOrEqual(10);

      // Every join was answered: served (a whole replay), replaced by a later join of the socket
      // (CONFLICT), or over the socket's budget (RATE_LIMITED).
      const answered = (code: string) => acks.filter((a) => (a.ok ? 'ok' : a.error.code) === code).length;
      const served = answered('ok');
      const replaced = answered('CONFLICT');
      const refused = answered('RATE_LIMITED');
      expect(served + replaced + refused).toBe(FLOOD_SOCKETS * JOINS_PER_SOCKET);
      expect(served).toBeGreaterThan(0);
      expect(refused).toBeGreaterThan(0);

      // Honest viewers: every change, once, in order, and those recorded well before the flood ended
      // reached them while it still ran.
      const end = (await call(node.url, 'GET', base, { token })).body.seq as number;
      await until('honest viewers caught up', () => honest.every((v) => v.client.lastSeq === end));
      for (const v of honest) {
        expect(v.seen.map((s) => s.entry.seq)).toEqual(Array.from({ length: end - head0 }, (_, i) => head0 + 1 + i));
        const duringFlood = new Set(v.seen.filter((s) => s.at <= floodEnded).map((s) => s.entry.seq));
        const missing = writes.filter((w) => w.at < floodEnded - 1_000 && !duringFlood.has(w.seq));
        expect(missing).toEqual([]);
      }
      expect(writes.length).toBeGreaterThan(0);

      record('join flood', {
        floodJoins: acks.length,
        floodJoinsServed: served,
        floodJoinsReplaced: replaced,
        floodJoinsRefused: refused,
        floodChangesReplayed: replayedToFlood,
        floodWritesDelivered: writes.length * HONEST_VIEWERS,
        floodRssGrowthMB: Math.round(growth / (1024 * 1024)),
        floodHealthP99Ms: Math.round(p99),
        floodServerCpuPercent: Math.round(cpuShare * 100),
      });
    } finally {
      for (const socket of flooders) socket.disconnect();
      await Promise.all(honest.map((v) => v.client.close()));
    }
  });
});
