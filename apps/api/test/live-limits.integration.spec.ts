import { LIVE_PATH } from '@parley/contracts';
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import { io } from 'socket.io-client';
import { LiveGateway } from '../src/live/live.gateway';
import { seed, stance, startApp, type Seeded, type TestApp } from './harness';
import { consecutive, seqsOf, until, watch, type RawSocket } from './live-harness';
import { TcpProxy } from './tcp-proxy';

/**
 * A raw engine.io connection (a WebSocket to the socket.io path that never opens a namespace):
 * resolves with the handshake's HTTP status (101 when accepted) and, for an accepted one, a promise
 * of its close by the server.
 */
function rawEngineConnection(url: string): Promise<{ status: number; body?: string; closed?: Promise<void>; end: () => void }> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${url}${LIVE_PATH}/?EIO=4&transport=websocket`, {
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': randomBytes(16).toString('base64') },
    });
    request.on('upgrade', (res, socket) => {
      const closed = new Promise<void>((done) => socket.once('close', () => done()));
      socket.on('error', () => undefined);
      socket.resume();
      resolve({ status: res.statusCode ?? 0, closed, end: () => socket.destroy() });
    });
    request.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, end: () => request.destroy() }));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('live work one socket can cause', () => {
  const EVENTS_PER_MINUTE = 20;
  const SOCKETS_PER_IP = 20;
  let t: TestApp;
  let s: Seeded;
  let base: string;
  const raws: RawSocket[] = [];
  const rawSocket = (token?: string) => {
    const socket: RawSocket = io(t.url, { path: LIVE_PATH, transports: ['websocket'], reconnection: false, forceNew: true, auth: token ? { token } : {} });
    raws.push(socket);
    return socket;
  };
  const head = async () => (await t.get(base)).body.seq as number;

  beforeAll(async () => {
    t = await startApp({
      LIVE_EVENTS_PER_MINUTE: String(EVENTS_PER_MINUTE),
      LIVE_MAX_SOCKETS_PER_IP: String(SOCKETS_PER_IP),
      LIVE_CONNECT_TIMEOUT_MS: '1000',
      LIVE_RESYNC_LIMIT: '100000',
    });
    s = await seed(t);
    base = `/api/negotiations/${s.negotiationId}`;
    // Over a thousand changes: several pages of replay.
    for (let b = 0; b < 2; b++) {
      const events = Array.from({ length: 600 }, (_, j) => stance(s.parties[j % 3].id, s.points[j % 4].id, { note: `history ${b}:${j}` }));
      expect((await t.post(`${base}/stances/batch`, { events })).status).toBe(201);
    }
  });
  afterEach(() => {
    for (const socket of raws.splice(0)) socket.disconnect();
  });
  afterAll(() => t.close());

  it('refuses a socket’s events over LIVE_EVENTS_PER_MINUTE with RATE_LIMITED in the ack, and serves other sockets', async () => {
    const from = await head();
    const flooder = rawSocket();
    const join = (socket: RawSocket) => socket.timeout(10_000).emitWithAck('join', { negotiationId: s.negotiationId, sinceSeq: from });
    const joins = Array.from({ length: EVENTS_PER_MINUTE + 5 }, () => join(flooder));
    // Every event counts, not only joins.
    const leave = flooder.timeout(5_000).emitWithAck('leave', { negotiationId: s.negotiationId });
    const acks = await Promise.all(joins);
    // Within the budget: served (a join replaced by a later one of the same negotiation is answered 409 CONFLICT).
    expect(acks.slice(0, EVENTS_PER_MINUTE).filter((a) => !a.ok && a.error.code !== 'CONFLICT')).toEqual([]);
    expect(acks[EVENTS_PER_MINUTE - 1]).toEqual({ ok: true, negotiationId: s.negotiationId, seq: from, replayed: 0 });
    const refusal = {
      ok: false,
      error: {
        statusCode: 429,
        error: 'Too Many Requests',
        code: 'RATE_LIMITED',
        message: `Too many live events from this socket (limit ${EVENTS_PER_MINUTE} per minute, LIVE_EVENTS_PER_MINUTE); retry in 3 s`,
        retryAfter: 3,
      },
    };
    expect(acks.slice(EVENTS_PER_MINUTE)).toEqual(Array.from({ length: 5 }, () => refusal));
    expect(await leave).toEqual(refusal);
    // The limit is the socket's: another one from the same address is served, and the refused
    // socket stays open and keeps receiving the changes of what it joined.
    expect(await join(rawSocket())).toMatchObject({ ok: true, seq: from });
    const received: number[] = [];
    flooder.on('change', (entry) => received.push(entry.seq));
    const res = await t.post(`${base}/stances`, stance(s.parties[0].id, s.points[0].id, { note: 'after the refusals' }));
    await until('the change at the refused socket', () => received.includes(res.body.event.seq));
  });

  it('serves a socket’s joins one at a time: joins sent at once replay one after the other, each whole and in order', async () => {
    const last = await head();
    const socket = rawSocket();
    const messages: number[][] = [];
    socket.on('changes', (entries) => messages.push(entries.map((e) => e.seq)));
    socket.on('change', (entry) => messages.push([entry.seq]));
    const join = (negotiationId: string) => socket.timeout(30_000).emitWithAck('join', { negotiationId, sinceSeq: 0 });
    // The same negotiation by id and by slug: two joins, neither replaces the other.
    const acks = await Promise.all([join(s.negotiationId), join(s.slug)]);
    expect(acks).toEqual([1, 2].map(() => ({ ok: true, negotiationId: s.negotiationId, seq: last, replayed: last })));
    // Concurrent replays would interleave their pages; one at a time, the wire holds two whole runs.
    expect(messages.flat()).toEqual([...consecutive(1, last), ...consecutive(1, last)]);
    // Sent in pages, not as one message.
    expect(messages.length).toBeGreaterThanOrEqual(2 * 3);
  });

  it('lets a later join of the same negotiation replace the earlier ones on the socket: they are answered 409, it replays whole', async () => {
    const last = await head();
    const socket = rawSocket();
    const seqs: number[] = [];
    socket.on('changes', (entries) => seqs.push(...entries.map((e) => e.seq)));
    const acks = await Promise.all(Array.from({ length: 5 }, () => socket.timeout(30_000).emitWithAck('join', { negotiationId: s.negotiationId, sinceSeq: 0 })));
    const replaced = {
      ok: false,
      error: { statusCode: 409, error: 'Conflict', code: 'CONFLICT', message: 'A later join of this negotiation on this socket replaced this one; its answer is the one that counts' },
    };
    expect(acks).toEqual([replaced, replaced, replaced, replaced, { ok: true, negotiationId: s.negotiationId, seq: last, replayed: last }]);
    // What the replaced joins sent before they stopped (whole pages, in order), then the whole replay.
    const restart = seqs.lastIndexOf(1);
    expect(seqs.slice(restart)).toEqual(consecutive(1, last));
    expect(seqs.slice(0, restart)).toEqual(consecutive(1, restart));
    expect(restart).toBeLessThan(last);
  });

  it('still delivers every change exactly once and in order to a client that rejoins while changes are written', async () => {
    const v = watch(t, s.negotiationId, 0);
    try {
      for (let i = 0; i < 10; i++) {
        const res = await t.post(`${base}/stances`, stance(s.parties[i % 3].id, s.points[i % 4].id, { note: `during replay ${i}` }));
        expect(res.status).toBe(201);
        // A rejoin (what a gap or head triggers), sent while the replay may still run.
        if (i % 3 === 0) v.client.resetTo(v.client.lastSeq);
      }
      const end = await head();
      await until('caught up', () => v.client.lastSeq === end, 30_000);
      expect(seqsOf(v)).toEqual(consecutive(1, end));
      expect(v.errors).toEqual([]);
    } finally {
      await v.client.close();
    }
  });

  it(`counts raw engine.io connections against LIVE_MAX_SOCKETS_PER_IP (${SOCKETS_PER_IP}) and closes those that open no namespace`, async () => {
    // The sockets of the tests before are gone (their server side closes a moment after the client's).
    const gateway = t.app.get(LiveGateway);
    await until('no live connection left', () => gateway.backlog().connections === 0);
    const attempts = await Promise.all(Array.from({ length: 60 }, () => rawEngineConnection(t.url)));
    try {
      const accepted = attempts.filter((a) => a.status === 101);
      // The limit, and one more that may only be told it is over the limit (RATE_LIMITED on its namespace connect).
      expect(accepted).toHaveLength(SOCKETS_PER_IP + 1);
      // engine.io refuses a WebSocket handshake with a 400 whose body is the reason.
      const refused = { status: 400, body: `Too many live connections from this address (limit ${SOCKETS_PER_IP}, LIVE_MAX_SOCKETS_PER_IP)` };
      expect(attempts.filter((a) => a.status !== 101).map((a) => ({ status: a.status, body: a.body }))).toEqual(Array.from({ length: 60 - SOCKETS_PER_IP - 1 }, () => refused));
      // None opened a namespace: the server closes each after LIVE_CONNECT_TIMEOUT_MS (1 s here).
      await Promise.all(accepted.map((a) => a.closed));
      // Their places are free again.
      const viewer = watch(t, s.negotiationId, await head());
      try {
        await until('live', () => viewer.client.state === 'live');
      } finally {
        await viewer.client.close();
      }
    } finally {
      for (const a of attempts) a.end();
    }
  });
});

describe('live back-pressure: a viewer that stops reading', () => {
  const LIMIT = 2 * 1024 * 1024;
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ LIVE_MAX_BUFFERED_BYTES: String(LIMIT), LIVE_RESYNC_LIMIT: '100000', LIVE_HEAD_INTERVAL_MS: '300' });
  });
  afterAll(() => t.close());

  it('is cut off with what waited for it, while the others go on; it reconnects by itself and gets every change once, in order', async () => {
    const s = await seed(t);
    const base = `/api/negotiations/${s.negotiationId}`;
    const gateway = t.app.get(LiveGateway);
    const start = (await t.get(base)).body.seq as number;
    const proxy = await TcpProxy.start(Number(new URL(t.url).port));
    const healthy = watch(t, s.negotiationId, start);
    const slow = watch(t, s.negotiationId, start, undefined, { url: proxy.url });
    try {
      await until('both live', () => healthy.client.state === 'live' && slow.client.state === 'live');
      await until('both counted', () => healthy.viewers.at(-1) === 2);
      proxy.pauseReading();
      // Large changes (about 10 KB each) until this node gives up on the viewer that does not read:
      // first the kernel's socket buffers fill, then the node's own.
      const note = 'n'.repeat(5_000);
      let batches = 0;
      while (gateway.backlog().connections > 1) {
        if (++batches > 100) throw new Error(`still holding the slow viewer after ${batches} batches: ${JSON.stringify(gateway.backlog())}`);
        const events = Array.from({ length: 50 }, (_, j) => stance(s.parties[j % 3].id, s.points[j % 4].id, { note }));
        expect((await t.post(`${base}/stances/batch`, { events })).status).toBe(201);
        await new Promise((r) => setTimeout(r, 50));
      }
      // Nothing is kept for it: what this node still buffers is the healthy viewer's, under the limit.
      expect(gateway.backlog().connections).toBe(1);
      expect(gateway.backlog().maxBytes).toBeLessThanOrEqual(LIMIT);
      const end = (await t.get(base)).body.seq as number;
      await until('the healthy viewer has everything', () => healthy.client.lastSeq === end);
      expect(healthy.states).not.toContain('reconnecting');
      expect(seqsOf(healthy)).toEqual(consecutive(start + 1, end - start));
      await until('the healthy viewer sees one viewer left', () => healthy.viewers.at(-1) === 1);

      proxy.resumeReading();
      await until('the slow viewer caught up', () => slow.client.lastSeq === end, 30_000);
      expect(slow.states).toEqual(expect.arrayContaining(['reconnecting', 'live']));
      expect(slow.client.state).toBe('live');
      expect(seqsOf(slow)).toEqual(consecutive(start + 1, end - start));
    } finally {
      await Promise.all([healthy.client.close(), slow.client.close()]);
      await proxy.close();
    }
  });
});
