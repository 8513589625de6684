import {
  CHANGE_KINDS,
  LIVE_PATH,
  type ChangeEntry,
  type ClientToServerEvents,
  type ErrorBody,
  type LiveConnectError,
  type RefusedNotice,
  type ServerToClientEvents,
} from '@parley/contracts';
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import { io, type Socket as ClientSocket } from 'socket.io-client';
import { LiveClient, type ConnectionState } from '@parley/live-client';
import { LiveGateway } from '../src/live/live.gateway';
import { fingerprint, seed, stance, startApp, type Seeded, type TestApp } from './harness';
import { TcpProxy } from './tcp-proxy';

/** Resolves when `predicate` holds, polling; fails with `what` after the timeout. */
async function until(what: string, predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Viewer {
  client: LiveClient;
  changes: ChangeEntry[];
  states: ConnectionState[];
  errors: (ErrorBody | LiveConnectError | RefusedNotice)[];
  viewers: number[];
}

function watch(t: TestApp, negotiationId: string, sinceSeq: number, token?: string, extra: Partial<ConstructorParameters<typeof LiveClient>[0]> = {}): Viewer {
  const client = new LiveClient({ url: t.url, negotiationId, sinceSeq, token, gapTimeoutMs: 300, ...extra });
  const viewer: Viewer = { client, changes: [], states: [], errors: [], viewers: [] };
  client.on('change', (e) => viewer.changes.push(e));
  client.on('state', (s) => viewer.states.push(s));
  client.on('error', (e) => viewer.errors.push(e));
  client.on('presence', (p) => viewer.viewers.push(p.viewers));
  client.start();
  return viewer;
}

/**
 * Installs a trigger that fails the insert of an idempotency key containing ':fail-late': the last
 * statement of a stance write with an Idempotency-Key, run after `ChangeLog.recordMany` appended the
 * change to the log and registered its publication for after the commit (non-stance changes write
 * the audit row before registering it, so a failure there would come too early). Returns its removal.
 * The failure is a unique violation (409), as a concurrent retry under the same key would cause.
 */
async function failLateTrigger(t: TestApp): Promise<() => Promise<void>> {
  const db = t.config.database;
  const run = (statement: string) => t.db.write((tx) => tx.manager.query(statement));
  if (db.driver === 'sqlite') {
    await run(`CREATE TRIGGER fail_late BEFORE INSERT ON idempotency_keys WHEN NEW.scoped_key LIKE '%:fail-late%'
      BEGIN SELECT RAISE(ABORT, 'fail_late: a test trigger'); END`);
    return async () => void (await run('DROP TRIGGER fail_late'));
  }
  const schema = db.schema ?? 'public';
  await run(`CREATE FUNCTION ${schema}.fail_late() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.scoped_key LIKE '%:fail-late%' THEN RAISE EXCEPTION 'fail_late: a test trigger' USING ERRCODE = 'unique_violation'; END IF;
        RETURN NEW;
      END $$`);
  await run(`CREATE TRIGGER fail_late BEFORE INSERT ON ${schema}.idempotency_keys FOR EACH ROW EXECUTE FUNCTION ${schema}.fail_late()`);
  return async () => {
    await run(`DROP TRIGGER fail_late ON ${schema}.idempotency_keys`);
    await run(`DROP FUNCTION ${schema}.fail_late()`);
  };
}

type RawSocket = ClientSocket<ServerToClientEvents, ClientToServerEvents>;

const seqsOf = (v: Viewer) => v.changes.map((c) => c.seq);
const consecutive = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

describe('live updates', () => {
  let t: TestApp;
  let s: Seeded;
  let base: string;
  const open: Viewer[] = [];
  const viewer = (...args: Parameters<typeof watch>) => {
    const v = watch(...args);
    open.push(v);
    return v;
  };
  const head = async () => (await t.get(base)).body.seq as number;

  beforeAll(async () => {
    t = await startApp({ LIVE_HEAD_INTERVAL_MS: '200', LIVE_RESYNC_LIMIT: '1000' });
    s = await seed(t);
    base = `/api/negotiations/${s.negotiationId}`;
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((v) => v.client.close()));
  });
  afterAll(() => t.close());

  it('delivers a stance recorded over HTTP with its sequence number and the new cell', async () => {
    const v = viewer(t, s.slug, await head());
    await until('live', () => v.client.state === 'live');
    const res = await t.post(`${base}/stances`, stance(s.parties[0].id, s.points[0].id, { position: 'conditional' }));
    await until('the change', () => v.changes.length === 1);
    const [entry] = v.changes;
    expect(entry).toMatchObject({ kind: 'stance.recorded', seq: res.body.event.seq, negotiationId: s.negotiationId });
    if (entry.kind !== 'stance.recorded') throw new Error(`not a recorded stance: ${entry.kind}`);
    expect(entry.data.cell).toMatchObject({ version: res.body.cell.version, current: { position: 'conditional', source: { outlet: 'Reuters' } } });
  });

  it('sends every kind of change, each carrying what the HTTP API answered, and the viewer count only when it changes', async () => {
    const created = await t.post('/api/negotiations', { title: 'Every kind' });
    const n = `/api/negotiations/${created.body.id}`;
    // Joined from 0: negotiation.created (seq 1) is replayed, the rest streams live.
    const v = viewer(t, created.body.id, 0);
    await until('live', () => v.client.state === 'live');
    await until('presence', () => v.viewers.includes(1));
    const answers: { kind: string; body: unknown }[] = [{ kind: 'negotiation.created', body: created.body }];
    const write = async (kind: string, res: Promise<{ status: number; body: any }>) => {
      const { status, body } = await res;
      expect([200, 201]).toContain(status);
      answers.push({ kind, body });
      return body;
    };
    const party = await write('party.created', t.post(`${n}/parties`, { code: 'AA', name: 'Party A', actors: [{ name: 'Speaker' }] }));
    await write('party.updated', t.patch(`${n}/parties/${party.id}`, { name: 'Renamed' }));
    const point = await write('point.created', t.post(`${n}/points`, { title: 'Point 1', category: 'territory' }));
    await write('point.updated', t.patch(`${n}/points/${point.id}`, { title: 'Retitled' }));
    const doc = await write('document.created', t.post(`${n}/documents`, { title: 'D', publishedAt: '2025-11-20', provisions: [{ pointId: point.id, number: '1', text: 'Text' }] }));
    await write('document.updated', t.patch(`${n}/documents/${doc.id}`, { title: 'D2' }));
    const milestone = await write('milestone.created', t.post(`${n}/milestones`, { title: 'M', kind: 'meeting', startsAt: '2025-11-23', partyIds: [party.id] }));
    await write('milestone.updated', t.patch(`${n}/milestones/${milestone.id}`, { title: 'M2' }));
    await write('negotiation.updated', t.patch(n, { description: 'edited' }));
    const recorded = await write('stance.recorded', t.post(`${n}/stances`, stance(party.id, point.id)));
    await write('stance.retracted', t.post(`/api/stance-events/${recorded.event.id}/retract`, { reason: 'wrong' }));

    await until(`${answers.length} changes`, () => v.changes.length === answers.length);
    expect(v.changes.map((c) => c.kind)).toEqual(answers.map((a) => a.kind));
    expect(new Set(v.changes.map((c) => c.kind))).toEqual(new Set(CHANGE_KINDS));
    expect(seqsOf(v)).toEqual(consecutive(1, answers.length));
    // The payload of each kind is the entity as the API returned it: a client needs no other request.
    expect(v.changes.map((c) => ({ kind: c.kind, data: c.data }))).toEqual(answers.map((a) => ({ kind: a.kind, data: a.body })));

    // A rejoin (what a gap or a head announcement triggers) changes no count: nothing is pushed.
    v.client.resetTo(v.client.lastSeq);
    await new Promise((r) => setTimeout(r, 600));
    const second = viewer(t, created.body.id, (await t.get(n)).body.seq);
    await until('two viewers counted', () => second.viewers.includes(2) && v.viewers.at(-1) === 2);
    expect(v.viewers).toEqual([1, 2]);
  });

  it('sends a batch as one message of its changes in order, and a viewer applies each of them', async () => {
    const v = viewer(t, s.negotiationId, await head());
    await until('live', () => v.client.state === 'live');
    // A bare socket.io client sees the wire: one 'changes' message for the batch, no 'change' each.
    const raw: ClientSocket = io(t.url, { path: LIVE_PATH, transports: ['websocket'], reconnection: false });
    const messages: { event: string; seqs: number[] }[] = [];
    raw.on('change', (entry: ChangeEntry) => messages.push({ event: 'change', seqs: [entry.seq] }));
    raw.on('changes', (entries: ChangeEntry[]) => messages.push({ event: 'changes', seqs: entries.map((e) => e.seq) }));
    try {
      const from = await head();
      const ack = await raw.timeout(5_000).emitWithAck('join', { negotiationId: s.negotiationId, sinceSeq: from });
      expect(ack).toMatchObject({ ok: true, seq: from, replayed: 0 });
      const events = Array.from({ length: 25 }, (_, j) => stance(s.parties[j % 3].id, s.points[j % 4].id, { note: `one message ${j}` }));
      const batch = await t.post(`${base}/stances/batch`, { events });
      expect(batch.status).toBe(201);
      const seqs = (batch.body.results as { event: { seq: number } }[]).map((r) => r.event.seq);
      await until('the batch on the wire', () => messages.length > 0);
      await until('the batch at the viewer', () => v.changes.length === 25);
      expect(messages).toEqual([{ event: 'changes', seqs }]);
      expect(seqsOf(v)).toEqual(seqs);
      expect(v.changes.map((c) => (c.kind === 'stance.recorded' ? c.data.event.note : null))).toEqual(events.map((_, j) => `one message ${j}`));
    } finally {
      raw.disconnect();
    }
  });

  it('replays all 500 changes made while a viewer’s connection was down, in order, without duplicates', async () => {
    const proxy = await TcpProxy.start(Number(new URL(t.url).port));
    try {
      const v = viewer(t, s.negotiationId, await head(), undefined, { url: proxy.url });
      await until('live', () => v.client.state === 'live');
      const start = v.client.lastSeq;
      proxy.cut();
      await until('reconnecting', () => v.client.state === 'reconnecting');
      for (let i = 0; i < 5; i++) {
        const events = Array.from({ length: 100 }, (_, j) => stance(s.parties[j % 3].id, s.points[j % 4].id, { note: `batch ${i} item ${j}` }));
        expect((await t.post(`${base}/stances/batch`, { events })).status).toBe(201);
      }
      expect(v.changes).toHaveLength(0);
      proxy.restore();
      await until('500 changes', () => v.changes.length >= 500);
      expect(v.client.state).toBe('live');
      expect(seqsOf(v)).toEqual(consecutive(start + 1, 500));
      expect(v.states).toEqual(expect.arrayContaining(['live', 'reconnecting']));
    } finally {
      await proxy.close();
    }
  });

  it('misses nothing across a server restart', async () => {
    const v = viewer(t, s.negotiationId, await head());
    await until('live', () => v.client.state === 'live');
    const start = v.client.lastSeq;
    await t.post(`${base}/stances`, stance(s.parties[0].id, s.points[1].id));
    await until('first change', () => v.changes.length === 1);
    await t.restart();
    await t.post(`${base}/stances`, stance(s.parties[0].id, s.points[2].id));
    await t.post(`${base}/stances`, stance(s.parties[0].id, s.points[3].id));
    await until('reconnected with the changes', () => v.changes.length === 3, 20_000);
    expect(v.states).toContain('reconnecting');
    expect(v.client.state).toBe('live');
    expect(seqsOf(v)).toEqual(consecutive(start + 1, 3));
  });

  it('broadcasts nothing for a write rolled back after its change was recorded, and the next change takes its number', async () => {
    const v = viewer(t, s.negotiationId, await head());
    await until('live', () => v.client.state === 'live');
    const start = v.client.lastSeq;
    const before = await fingerprint(t.db);
    const dropTrigger = await failLateTrigger(t);
    try {
      const failed = await t.post(`${base}/stances`, stance(s.parties[1].id, s.points[1].id, { note: 'rolled back' }), { 'Idempotency-Key': 'fail-late-1' });
      expect(failed.status).toBe(409);
    } finally {
      await dropTrigger();
    }
    // The change log row, the event and the sequence number went with the transaction.
    expect(await fingerprint(t.db)).toEqual(before);
    const ok = await t.post(`${base}/stances`, stance(s.parties[2].id, s.points[1].id, { note: 'committed' }));
    expect(ok.status).toBe(201);
    expect(ok.body.event.seq).toBe(start + 1);
    await until('the committed change', () => v.changes.length > 0);
    // Had the rolled-back change been published, it would have come first, under the same number,
    // and the committed one would have been dropped as its duplicate.
    expect(v.changes.map((c) => ({ seq: c.seq, entityId: c.entityId }))).toEqual([{ seq: start + 1, entityId: ok.body.event.id }]);
    const next = await t.post(`${base}/stances`, stance(s.parties[0].id, s.points[1].id));
    await until('the next change', () => v.changes.length > 1);
    expect(seqsOf(v)).toEqual([start + 1, start + 2]);
    expect(next.body.event.seq).toBe(start + 2);
  });

  it('pushes far fewer viewer counts than joins for a burst of joins, and ends with the right count', async () => {
    const created = await t.post('/api/negotiations', { title: 'A crowd' });
    const id = created.body.id as string;
    const observer = viewer(t, id, 0);
    await until('the observer counted', () => observer.viewers.at(-1) === 1);
    const crowd: { socket: RawSocket; viewers: number[] }[] = Array.from({ length: 10 }, () => {
      const socket: RawSocket = io(t.url, { path: LIVE_PATH, transports: ['websocket'], reconnection: false });
      const member = { socket, viewers: [] as number[] };
      socket.on('presence', (notice) => member.viewers.push(notice.viewers));
      return member;
    });
    try {
      await until('the crowd connected', () => crowd.every((m) => m.socket.connected));
      const pushedBefore = observer.viewers.length;
      // Ten joins at once.
      const acks = await Promise.all(crowd.map((m) => m.socket.timeout(5_000).emitWithAck('join', { negotiationId: id, sinceSeq: 1 })));
      expect(acks.every((ack) => ack.ok)).toBe(true);
      await until('everyone sees 11 viewers', () => observer.viewers.at(-1) === 11 && crowd.every((m) => m.viewers.at(-1) === 11));
      const pushes = observer.viewers.length - pushedBefore;
      expect(pushes).toBeGreaterThan(0);
      expect(pushes).toBeLessThanOrEqual(crowd.length / 2);
    } finally {
      for (const m of crowd) m.socket.disconnect();
    }
    await until('the observer alone again', () => observer.viewers.at(-1) === 1);
  });

  it('keeps rooms apart: a viewer of one negotiation never receives another’s changes', async () => {
    const other = await seed(t, 'Other negotiation');
    const mine = viewer(t, s.negotiationId, await head());
    const theirs = viewer(t, other.negotiationId, (await t.get(`/api/negotiations/${other.negotiationId}`)).body.seq);
    await until('both live', () => mine.client.state === 'live' && theirs.client.state === 'live');
    await t.post(`/api/negotiations/${other.negotiationId}/stances`, stance(other.parties[0].id, other.points[0].id));
    await t.post(`${base}/stances`, stance(s.parties[0].id, s.points[0].id));
    await until('each its own change', () => mine.changes.length === 1 && theirs.changes.length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(mine.changes.map((c) => c.negotiationId)).toEqual([s.negotiationId]);
    expect(theirs.changes.map((c) => c.negotiationId)).toEqual([other.negotiationId]);
  });

  it('answers a malformed or unknown join with a clear error', async () => {
    const bad = viewer(t, 'no-such-negotiation', 0);
    await until('error', () => bad.errors.length > 0);
    expect(bad.errors[0]).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    expect(bad.client.state).toBe('offline');
    const negative = viewer(t, s.negotiationId, -5);
    await until('error', () => negative.errors.length > 0);
    expect(negative.errors[0]).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', details: [{ field: 'sinceSeq' }] });
  });
});

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

describe('live access (VIEW_ACCESS=private)', () => {
  let t: TestApp;
  let s: Seeded;
  beforeAll(async () => {
    t = await startApp({ VIEW_ACCESS: 'private' });
    s = await seed(t);
  });
  afterAll(() => t.close());

  it('refuses a socket without credentials with a clear error, and accepts a share link for its negotiation only', async () => {
    const anonymous = watch(t, s.negotiationId, 0);
    await until('refusal', () => anonymous.errors.length > 0);
    expect(anonymous.errors[0]).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(anonymous.client.state).toBe('offline');
    await anonymous.client.close();

    const forged = watch(t, s.negotiationId, 0, 'pls_forged');
    await until('refusal', () => forged.errors.length > 0);
    expect(forged.errors[0]).toMatchObject({ code: 'UNAUTHENTICATED' });
    await forged.client.close();

    const link = await t.post(`/api/negotiations/${s.negotiationId}/share-links`, { label: 'wall' });
    const head = (await t.get(`/api/negotiations/${s.negotiationId}`)).body.seq;
    const shared = watch(t, s.negotiationId, head, link.body.token);
    await until('live', () => shared.client.state === 'live');
    await t.post(`/api/negotiations/${s.negotiationId}/stances`, stance(s.parties[0].id, s.points[0].id));
    await until('change', () => shared.changes.length === 1);
    await shared.client.close();

    const other = await seed(t, 'Elsewhere');
    const wrongRoom = watch(t, other.negotiationId, 0, link.body.token);
    await until('refusal', () => wrongRoom.errors.length > 0);
    expect(wrongRoom.errors[0]).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
    await wrongRoom.client.close();
  });

  it('refuses a share link’s join for a negotiation it does not open alike whether that one exists or not, as HTTP does', async () => {
    const link = await t.post(`/api/negotiations/${s.negotiationId}/share-links`, { label: 'probe' });
    expect(link.status).toBe(201);
    const other = await seed(t, 'Not shared');
    const missing = ['no-such-negotiation', '00000000-0000-4000-8000-000000000000'];
    const socket: RawSocket = io(t.url, { path: LIVE_PATH, transports: ['websocket'], reconnection: false, forceNew: true, auth: { token: link.body.token } });
    try {
      const answers = [];
      for (const negotiationId of [other.negotiationId, other.slug, ...missing]) {
        answers.push(await socket.timeout(5_000).emitWithAck('join', { negotiationId, sinceSeq: 0 }));
        const overHttp = await t.as(link.body.token).get(`/api/negotiations/${negotiationId}`);
        expect({ status: overHttp.status, code: overHttp.body.code, message: overHttp.body.message }).toEqual({ status: 403, code: 'FORBIDDEN', message: 'This share link opens another negotiation' });
      }
      const refusal = { ok: false, error: { statusCode: 403, error: 'Forbidden', code: 'FORBIDDEN', message: 'This share link opens another negotiation' } };
      expect(answers).toEqual([refusal, refusal, refusal, refusal]);
      // Its own negotiation still opens.
      expect(await socket.timeout(5_000).emitWithAck('join', { negotiationId: s.negotiationId, sinceSeq: 0 })).toMatchObject({ ok: true, negotiationId: s.negotiationId });
    } finally {
      socket.disconnect();
    }
  });

  it('takes `?share=` on the socket by the HTTP rule: a share link’s token, and nothing else', async () => {
    const link = await t.post(`/api/negotiations/${s.negotiationId}/share-links`, { label: 'embed' });
    expect(link.status).toBe(201);
    // A session token in a URL is no credential over HTTP…
    expect((await t.as(null).get(`/api/negotiations/${s.negotiationId}?share=${t.adminToken}`)).status).toBe(401);
    // …nor on the socket, and neither is any other value: the socket has no credentials and is refused.
    const viewers: Viewer[] = [];
    try {
      for (const share of [t.adminToken, 'not-a-share-link']) {
        const bogus = watch(t, s.negotiationId, 0, undefined, { socket: { query: { share } } });
        viewers.push(bogus);
        await until('refusal', () => bogus.errors.length > 0 && bogus.client.state === 'offline');
        expect(bogus.errors).toEqual([{ code: 'UNAUTHENTICATED', message: 'Sign in or use a share link to watch negotiations' }]);
      }
      const head = (await t.get(`/api/negotiations/${s.negotiationId}`)).body.seq as number;
      const shared = watch(t, s.negotiationId, head, undefined, { socket: { query: { share: link.body.token } } });
      viewers.push(shared);
      await until('live', () => shared.client.state === 'live');
      const res = await t.post(`/api/negotiations/${s.negotiationId}/stances`, stance(s.parties[1].id, s.points[1].id));
      await until('change', () => shared.changes.length === 1);
      expect(shared.changes[0].seq).toBe(res.body.event.seq);
    } finally {
      await Promise.all(viewers.map((v) => v.client.close()));
    }
  });
});

describe('live access that ends while a socket is open (VIEW_ACCESS=private)', () => {
  let t: TestApp;
  let s: Seeded;
  let base: string;
  const open: Viewer[] = [];
  const viewer = (...args: Parameters<typeof watch>) => {
    const v = watch(...args);
    open.push(v);
    return v;
  };
  const head = async () => (await t.get(base)).body.seq as number;
  /** The viewer was told why (before the close), is offline, and does not come back by itself. */
  const refused = async (v: Viewer, code: 'UNAUTHENTICATED' | 'FORBIDDEN') => {
    await until(`refusal of ${code}`, () => v.errors.some((e) => e.code === code) && v.client.state === 'offline');
    expect(v.errors.find((e) => e.code === code)?.message).toMatch(/invalid, expired or revoked|no longer open/);
  };
  /** A new connection with the same credentials is refused too. */
  const cannotRejoin = async (token: string) => {
    const again = viewer(t, s.negotiationId, 0, token);
    await until('refusal', () => again.errors.length > 0 && again.client.state === 'offline');
    expect(again.errors[0]).toMatchObject({ code: 'UNAUTHENTICATED' });
  };
  /** A viewer with other credentials is not disturbed: it stays live and gets the next change. */
  const unaffected = async (v: Viewer) => {
    const res = await t.post(`${base}/stances`, stance(s.parties[0].id, s.points[0].id));
    await until('the next change', () => v.changes.some((c) => c.seq === res.body.event.seq));
    expect(v.client.state).toBe('live');
  };

  beforeAll(async () => {
    // Head announcements (and the periodic re-check) far apart: what happens here is the revocation itself.
    t = await startApp({ VIEW_ACCESS: 'private', LIVE_HEAD_INTERVAL_MS: '600000' });
    s = await seed(t);
    base = `/api/negotiations/${s.negotiationId}`;
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((v) => v.client.close()));
  });
  afterAll(() => t.close());

  it('closes the sockets of a share link when it is revoked', async () => {
    const link = await t.post(`${base}/share-links`, { label: 'wall' });
    const wall = viewer(t, s.negotiationId, await head(), link.body.token);
    const admin = viewer(t, s.negotiationId, await head(), t.adminToken);
    await until('live', () => wall.client.state === 'live' && admin.client.state === 'live');
    expect((await t.delete(`${base}/share-links/${link.body.id}`)).status).toBe(200);
    await refused(wall, 'UNAUTHENTICATED');
    await cannotRejoin(link.body.token);
    await unaffected(admin);
  });

  it('closes the sockets of an API token when it is revoked, and of a session at logout', async () => {
    const user = await t.user('viewer');
    const token = await t.as(user.token).post('/api/auth/tokens', { name: 'screen' });
    expect(token.status).toBe(201);
    const script = viewer(t, s.negotiationId, await head(), token.body.token);
    const browser = viewer(t, s.negotiationId, await head(), user.token);
    await until('live', () => script.client.state === 'live' && browser.client.state === 'live');
    expect((await t.as(user.token).delete(`/api/auth/tokens/${token.body.id}`)).status).toBe(200);
    await refused(script, 'UNAUTHENTICATED');
    await cannotRejoin(token.body.token);
    await unaffected(browser);

    expect((await t.as(user.token).post('/api/auth/logout')).status).toBe(204);
    await refused(browser, 'UNAUTHENTICATED');
    await cannotRejoin(user.token);
  });

  it('closes the sockets of a user’s other sessions when they change their password, and keeps the rest', async () => {
    const user = await t.user('viewer');
    const laptop = await t.as(null).post('/api/auth/login', { email: user.email, password: user.password });
    const token = await t.as(user.token).post('/api/auth/tokens', { name: 'screen' });
    const onLaptop = viewer(t, s.negotiationId, await head(), laptop.body.token);
    const here = viewer(t, s.negotiationId, await head(), user.token);
    const script = viewer(t, s.negotiationId, await head(), token.body.token);
    await until('live', () => [onLaptop, here, script].every((v) => v.client.state === 'live'));
    const changed = await t.as(user.token).post('/api/auth/password', { currentPassword: user.password, newPassword: 'a-brand-new-password' });
    expect(changed.status).toBe(204);
    await refused(onLaptop, 'UNAUTHENTICATED');
    await cannotRejoin(laptop.body.token);
    // The session that made the change stays signed in, and API tokens keep working.
    await unaffected(here);
    await unaffected(script);
  });

  it('closes every socket of a user who is disabled', async () => {
    const user = await t.user('analyst');
    const token = await t.as(user.token).post('/api/auth/tokens', { name: 'screen' });
    const other = await t.user('viewer');
    const script = viewer(t, s.negotiationId, await head(), token.body.token);
    const browser = viewer(t, s.negotiationId, await head(), user.token);
    const someoneElse = viewer(t, s.negotiationId, await head(), other.token);
    await until('live', () => [script, browser, someoneElse].every((v) => v.client.state === 'live'));
    expect((await t.patch(`/api/users/${user.id}`, { disabled: true })).status).toBe(200);
    await refused(script, 'UNAUTHENTICATED');
    await refused(browser, 'UNAUTHENTICATED');
    await cannotRejoin(token.body.token);
    await unaffected(someoneElse);
  });

  it('closes the socket of a token an admin revokes, and of every token of a user an admin gives a new password', async () => {
    const user = await t.user('viewer');
    const one = await t.as(user.token).post('/api/auth/tokens', { name: 'wall' });
    const two = await t.as(user.token).post('/api/auth/tokens', { name: 'script' });
    const wall = viewer(t, s.negotiationId, await head(), one.body.token);
    const script = viewer(t, s.negotiationId, await head(), two.body.token);
    await until('live', () => [wall, script].every((v) => v.client.state === 'live'));
    expect((await t.delete(`/api/users/${user.id}/tokens/${one.body.id}`)).status).toBe(200);
    await refused(wall, 'UNAUTHENTICATED');
    await cannotRejoin(one.body.token);
    await unaffected(script);
    expect((await t.patch(`/api/users/${user.id}`, { password: 'taken-back-password-1' })).status).toBe(200);
    await refused(script, 'UNAUTHENTICATED');
    await cannotRejoin(two.body.token);
  });
});

describe('live access that expires while a socket is open', () => {
  it('closes the socket of a share link once it expires (checked every head interval)', async () => {
    const t = await startApp({ VIEW_ACCESS: 'private', LIVE_HEAD_INTERVAL_MS: '200' });
    const viewers: Viewer[] = [];
    try {
      const s = await seed(t);
      const link = await t.post(`/api/negotiations/${s.negotiationId}/share-links`, { label: 'briefing', expiresAt: new Date(Date.now() + 1_500).toISOString() });
      expect(link.status).toBe(201);
      const v = watch(t, s.negotiationId, 0, link.body.token);
      viewers.push(v);
      await until('live', () => v.client.state === 'live');
      await until('refused after the expiry', () => v.errors.some((e) => e.code === 'UNAUTHENTICATED') && v.client.state === 'offline');
      const again = watch(t, s.negotiationId, 0, link.body.token);
      viewers.push(again);
      await until('refusal', () => again.errors.length > 0);
      expect(again.errors[0]).toMatchObject({ code: 'UNAUTHENTICATED' });
    } finally {
      await Promise.all(viewers.map((v) => v.client.close()));
      await t.close();
    }
  });
});

describe('live resync', () => {
  it('tells a viewer too far behind to reload a snapshot, and continues from it', async () => {
    const t = await startApp({ LIVE_RESYNC_LIMIT: '5' });
    try {
      const s = await seed(t);
      const v = watch(t, s.negotiationId, 0);
      let notice: { seq: number; reason: string } | null = null;
      v.client.on('resync', (n) => (notice = n));
      await until('resync', () => notice !== null);
      expect(notice).toMatchObject({ reason: 'too-far-behind', seq: (await t.get(`/api/negotiations/${s.negotiationId}`)).body.seq });
      v.client.resetTo(notice!.seq);
      await t.post(`/api/negotiations/${s.negotiationId}/stances`, stance(s.parties[0].id, s.points[0].id));
      await until('the next change', () => v.changes.length === 1);
      expect(v.changes[0].seq).toBe(notice!.seq + 1);
      await v.client.close();
    } finally {
      await t.close();
    }
  });
});
