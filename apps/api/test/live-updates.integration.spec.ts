import { CHANGE_KINDS, LIVE_PATH, type ChangeEntry } from '@parley/contracts';
import { io, type Socket as ClientSocket } from 'socket.io-client';
import { fingerprint, seed, stance, startApp, type Seeded, type TestApp } from './harness';
import { consecutive, seqsOf, until, watch, type RawSocket, type Viewer } from './live-harness';
import { TcpProxy } from './tcp-proxy';

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
    const source = await write('source.created', t.post(`${n}/sources`, { outlet: 'Reuters', title: 'A headline' }));
    await write('source.updated', t.patch(`${n}/sources/${source.id}`, { language: 'en' }));
    const recorded = await write('stance.recorded', t.post(`${n}/stances`, stance(party.id, point.id, { source: { id: source.id } })));
    await write('stance.retracted', t.post(`/api/stance-events/${recorded.event.id}/retract`, { reason: 'wrong' }));
    const again = await write('stance.recorded', t.post(`${n}/stances`, stance(party.id, point.id, { source: { id: source.id } })));
    await write('stance.corrected', t.post(`${n}/stances/${again.event.id}/correct`, { ...stance(party.id, point.id, { source: { id: source.id }, position: 'reject' }), reason: 'misquoted', expectedVersion: again.cell.version }));

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
