import type { ChangeEntry, ChangesPage, CorrectStanceResult, MatrixView, PointHistory, Proposal } from '@parley/contracts';
import { ChangeLog } from '../src/changes/change-log.service';
import { MatrixService } from '../src/matrix/matrix.service';
import { seed, stance, startApp, type Seeded, type TestApp } from './harness';
import { until, watch, type Viewer } from './live-harness';

/*
 * Issue 18, item 3: one-step correction (`POST …/stances/:eventId/correct`): the retraction and the
 * new stance in one transaction and ONE change (`stance.corrected`: one seq, one change-log row, one
 * live message), so a viewer goes straight from the old stance to the new one; under review, a
 * proposal of kind `correction`; and the negotiation setting `requireExpectedVersion`.
 */
describe('one-step correction', () => {
  let t: TestApp;
  let s: Seeded;
  let n: string;
  const viewers: Viewer[] = [];

  const record = async (partyIndex: number, pointIndex: number, extra: Record<string, unknown> = {}) => {
    const res = await t.post(`${n}/stances`, stance(s.parties[partyIndex].id, s.points[pointIndex].id, extra));
    expect(res.status).toBe(201);
    return res.body as { event: { id: string; seq: number }; cell: { version: number } };
  };
  // A 201 (CorrectStanceResult) or an error body.
  const correct = (eventId: string, body: Record<string, unknown>, headers?: Record<string, string>) =>
    t.post<any>(`${n}/stances/${eventId}/correct`, { position: 'reject', confidence: 'official', effectiveAt: '2025-11-21', source: {}, reason: 'misquoted', ...body }, headers);
  const head = async () => (await t.get(n)).body.seq as number;

  beforeAll(async () => {
    t = await startApp({ RATE_LIMIT_PER_MINUTE: '0' });
    s = await seed(t);
    n = `/api/negotiations/${s.negotiationId}`;
  });
  afterAll(async () => {
    await Promise.all(viewers.map((v) => v.client.close()));
    await t.close();
  });

  it('publishes the retraction and the new stance as one change: a live viewer gets exactly one message and never the state between', async () => {
    const old = await record(0, 0, { position: 'accept' });
    const before = await head();
    const viewer = watch(t, s.negotiationId, before);
    viewers.push(viewer);
    await until('the viewer is live', () => viewer.states.includes('live'));

    const res = await correct(old.event.id, { expectedVersion: 1, quote: 'We reject it.' });
    expect(res.status).toBe(201);
    const seq = before + 1;
    expect(res.body.retracted).toMatchObject({ id: old.event.id, position: 'accept', retraction: { seq, reason: 'misquoted' } });
    expect(res.body.event).toMatchObject({ seq, position: 'reject', quote: 'We reject it.', partyId: s.parties[0].id, pointId: s.points[0].id, retraction: null });
    expect(res.body.cell).toMatchObject({ version: 3, current: { id: res.body.event.id, position: 'reject' } });
    expect(await head()).toBe(seq);

    // A marker after it: once the viewer has it, everything before it has arrived.
    const marker = await record(1, 3);
    await until('the viewer has the marker', () => viewer.changes.some((c) => c.seq === marker.event.seq));
    expect(viewer.changes.map((c) => [c.seq, c.kind])).toEqual([
      [seq, 'stance.corrected'],
      [marker.event.seq, 'stance.recorded'],
    ]);
    const change = viewer.changes[0] as ChangeEntry<'stance.corrected'>;
    expect(change.entityId).toBe(res.body.event.id);
    expect(change.data).toEqual(res.body);
    // No message ever showed the cell without a stance, or with the old one after the correction.
    expect(viewer.changes.filter((c) => c.kind.startsWith('stance.') && (c.data as CorrectStanceResult).cell.pointId === s.points[0].id).map((c) => (c.data as CorrectStanceResult).cell.current?.position)).toEqual(['reject']);

    // Replay (a viewer joining later, from the stored log) gives the same entry.
    const replayed = await t.app.get(ChangeLog).read(t.db.read, s.negotiationId, before, 10);
    expect(replayed).toHaveLength(2);
    expect(replayed[0]).toEqual(change);
    const late = watch(t, s.negotiationId, before);
    viewers.push(late);
    await until('the late viewer has replayed both', () => late.changes.length >= 2);
    expect(late.changes[0]).toEqual(change);
  });

  it('shows the correction in /changes, the history, the matrix (now and known-at before it) and the as-of index equal to the SQL path', async () => {
    const old = await record(2, 1, { position: 'amend', effectiveAt: '2025-11-20' });
    const beforeCorrection = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    // Build the as-of index now, so it follows the correction from the change stream.
    expect((await t.get(`${n}/matrix`)).status).toBe(200);
    const res = await correct(old.event.id, { expectedVersion: 1, position: 'red_line', effectiveAt: '2025-11-20' });
    expect(res.status).toBe(201);

    const changes = (await t.get<ChangesPage>(`${n}/changes?sinceSeq=${res.body.event.seq - 1}`)).body;
    expect(changes.items).toHaveLength(1);
    expect(changes.items[0]).toMatchObject({ kind: 'stance.corrected', seq: res.body.event.seq, event: { id: res.body.event.id }, retracted: { id: old.event.id, retraction: { reason: 'misquoted' } }, reason: 'misquoted' });

    const history = (await t.get<PointHistory>(`${n}/points/${s.points[1].id}/history?partyId=${s.parties[2].id}`)).body;
    expect(history.events.map((e) => [e.id, e.seq, e.retraction?.seq ?? null])).toEqual([
      [old.event.id, old.event.seq, res.body.event.seq],
      [res.body.event.id, res.body.event.seq, null],
    ]);
    const knownBefore = (await t.get<PointHistory>(`${n}/points/${s.points[1].id}/history?partyId=${s.parties[2].id}&knownAt=${beforeCorrection}`)).body;
    expect(knownBefore.events.map((e) => [e.id, e.retraction])).toEqual([[old.event.id, null]]);

    const cell = async (query = '') => (await t.get<MatrixView>(`${n}/matrix${query}`)).body.rows.find((r) => r.point.id === s.points[1].id)?.cells[s.parties[2].id];
    expect(await cell()).toMatchObject({ version: 3, stance: { id: res.body.event.id, position: 'red_line' } });
    expect(await cell(`?knownAt=${beforeCorrection}`)).toMatchObject({ stance: { id: old.event.id, position: 'amend' } });
    const matrix = t.app.get(MatrixService);
    for (const [asOf, knownAt] of [[undefined, undefined], [undefined, Date.parse(beforeCorrection)], [Date.parse('2025-11-20T12:00:00Z'), undefined]] as const) {
      const fromTables = (await matrix.cellsFromTables(s.negotiationId, asOf, knownAt)).get(s.points[1].id)?.[s.parties[2].id];
      const params = new URLSearchParams();
      if (asOf !== undefined) params.set('asOf', new Date(asOf).toISOString());
      if (knownAt !== undefined) params.set('knownAt', new Date(knownAt).toISOString());
      const viaIndex = (await t.get<MatrixView>(`${n}/matrix?${params.toString()}`)).body.rows.find((r) => r.point.id === s.points[1].id)?.cells[s.parties[2].id];
      expect({ version: viaIndex?.version, stance: viaIndex?.stance?.id ?? null }).toEqual({ version: fromTables?.version, stance: fromTables?.stance?.id ?? null });
    }
  });

  it('refuses a stale expectedVersion (409 with the cell), an event already retracted (409), unknown events and other negotiations’ events (404), and changes nothing', async () => {
    const old = await record(1, 0);
    const seq = await head();
    const stale = await correct(old.event.id, { expectedVersion: 0 });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', current: { partyId: s.parties[1].id, pointId: s.points[0].id, version: 1, current: { id: old.event.id } } });
    expect(await head()).toBe(seq);

    expect((await t.post(`/api/stance-events/${old.event.id}/retract`, { reason: 'wrong' })).status).toBe(201);
    const again = await correct(old.event.id, { expectedVersion: 2 });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_RETRACTED');
    expect((await correct('0190a0a0-0000-7000-8000-000000000000', { expectedVersion: 0 })).status).toBe(404);
    expect((await correct('not-an-id', { expectedVersion: 0 })).status).toBe(404);

    const other = await seed(t, 'Another negotiation');
    const elsewhere = await t.post(`/api/negotiations/${other.negotiationId}/stances`, stance(other.parties[0].id, other.points[0].id));
    expect(elsewhere.status).toBe(201);
    const cross = await correct(elsewhere.body.event.id, { expectedVersion: 1 });
    expect(cross.status).toBe(404);
    expect(await head()).toBe(seq + 1);
  });

  it('takes partyId/pointId only when they name the event’s cell, and requires reason and expectedVersion (400 naming each)', async () => {
    const old = await record(2, 2);
    const wrong = await correct(old.event.id, { expectedVersion: 1, partyId: s.parties[0].id, pointId: s.points[2].id });
    expect(wrong.status).toBe(400);
    expect(wrong.body.details.map((d: { field: string }) => d.field)).toEqual(['partyId']);
    const same = await correct(old.event.id, { expectedVersion: 1, partyId: s.parties[2].id, pointId: s.points[2].id, reason: 'typo' });
    expect(same.status).toBe(201);
    const missing = await t.post(`${n}/stances/${same.body.event.id}/correct`, { position: 'reject', confidence: 'official', effectiveAt: '2025-11-21', source: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['expectedVersion', 'reason']);
  });

  it('with an Idempotency-Key, a retry gets the first answer and records nothing more', async () => {
    const old = await record(0, 2);
    const key = { 'idempotency-key': `correct-${old.event.id}` };
    const first = await correct(old.event.id, { expectedVersion: 1 }, key);
    expect(first.status).toBe(201);
    const seq = await head();
    const retry = await correct(old.event.id, { expectedVersion: 1 }, key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await head()).toBe(seq);
    const other = await correct(old.event.id, { expectedVersion: 1, position: 'accept' }, key);
    expect(other.status).toBe(422);
  });

  it('creates a new inline source in the same transaction (its own change, published with the correction)', async () => {
    const old = await record(1, 2);
    const before = await head();
    const res = await correct(old.event.id, { expectedVersion: 1, source: { outlet: 'TASS', title: 'A correction source' } });
    expect(res.status).toBe(201);
    expect(res.body.event.source).toMatchObject({ outlet: 'TASS', title: 'A correction source' });
    const log = await t.app.get(ChangeLog).read(t.db.read, s.negotiationId, before, 10);
    expect(log.map((c) => c.kind)).toEqual(['source.created', 'stance.corrected']);
    expect(res.body.event.seq).toBe(before + 2);
  });
});

describe('requireExpectedVersion', () => {
  let t: TestApp;
  let s: Seeded;
  let n: string;
  const head = async () => (await t.get(n)).body.seq as number;

  beforeAll(async () => {
    t = await startApp({ RATE_LIMIT_PER_MINUTE: '0' });
    s = await seed(t);
    n = `/api/negotiations/${s.negotiationId}`;
  });
  afterAll(() => t.close());

  it('is off by default, set by admins only, audited, and in the negotiation’s JSON and change', async () => {
    expect((await t.get(n)).body.requireExpectedVersion).toBe(false);
    const analyst = await t.user('analyst');
    expect((await t.as(analyst.token).patch(n, { requireExpectedVersion: true })).status).toBe(403);
    const before = await head();
    const res = await t.patch(n, { requireExpectedVersion: true });
    expect(res.status).toBe(200);
    expect(res.body.requireExpectedVersion).toBe(true);
    expect((await t.get(n)).body.requireExpectedVersion).toBe(true);
    const [change] = await t.app.get(ChangeLog).read(t.db.read, s.negotiationId, before, 1);
    expect(change).toMatchObject({ kind: 'negotiation.updated', data: { requireExpectedVersion: true } });
    const audit = (await t.get('/api/audit?limit=50')).body.items as { action: string; entityId: string; before: { requireExpectedVersion?: boolean } | null; after: { requireExpectedVersion?: boolean } }[];
    const entry = audit.find((a) => a.action === 'negotiation.updated' && a.entityId === s.negotiationId);
    expect(entry).toMatchObject({ before: { requireExpectedVersion: false }, after: { requireExpectedVersion: true } });
  });

  it('refuses every stance write without expectedVersion (400 naming the field) and changes nothing; with it, writes go through', async () => {
    const [p0, p1] = s.points;
    const [a, b] = s.parties;
    const seq = await head();
    const single = await t.post(`${n}/stances`, stance(a.id, p0.id));
    expect(single.status).toBe(400);
    expect(single.body.details).toEqual([{ field: 'expectedVersion', message: expect.stringMatching(/requireExpectedVersion/) }]);
    const batch = await t.post(`${n}/stances/batch`, { events: [stance(a.id, p1.id, { expectedVersion: 0 }), stance(b.id, p1.id)] });
    expect(batch.status).toBe(400);
    expect(batch.body.details.map((d: { field: string }) => d.field)).toEqual(['events.1.expectedVersion']);
    const csv = `party,point,position,effectiveAt\nAA,${p0.code},accept,2025-11-24\n`;
    const imported = await t.request('POST', `/api/negotiations/import?negotiation=${s.slug}&kind=stances`, csv, { 'content-type': 'text/csv' });
    expect(imported.status).toBe(400);
    expect(imported.body.details[0]).toMatchObject({ field: 'expectedVersion' });
    expect(await head()).toBe(seq);

    const ok = await t.post(`${n}/stances`, stance(a.id, p0.id, { expectedVersion: 0 }));
    expect(ok.status).toBe(201);
    const okBatch = await t.post(`${n}/stances/batch`, { events: [stance(a.id, p1.id, { expectedVersion: 0 }), stance(b.id, p1.id, { expectedVersion: 0 })] });
    expect(okBatch.status).toBe(201);

    const retract = await t.post(`/api/stance-events/${ok.body.event.id}/retract`, { reason: 'wrong' });
    expect(retract.status).toBe(400);
    expect(retract.body.details[0]).toMatchObject({ field: 'expectedVersion' });
    const staleRetract = await t.post(`/api/stance-events/${ok.body.event.id}/retract`, { reason: 'wrong', expectedVersion: 0 });
    expect(staleRetract.status).toBe(409);
    expect(staleRetract.body).toMatchObject({ code: 'VERSION_CONFLICT', current: { version: 1 } });
    expect((await t.post(`/api/stance-events/${ok.body.event.id}/retract`, { reason: 'wrong', expectedVersion: 1 })).status).toBe(201);
  });

  it('under review too: a proposal without expectedVersion is refused (400), with it a proposal is made', async () => {
    await t.patch(n, { reviewPolicy: 'required' });
    const analyst = await t.user('analyst');
    const refused = await t.as(analyst.token).post(`${n}/stances`, stance(s.parties[2].id, s.points[3].id));
    expect(refused.status).toBe(400);
    expect(refused.body.details[0]).toMatchObject({ field: 'expectedVersion' });
    const made = await t.as(analyst.token).post(`${n}/stances`, stance(s.parties[2].id, s.points[3].id, { expectedVersion: 0 }));
    expect(made.status).toBe(202);
    // An approval publishes without the author's expectedVersion (checked against the proposal's base).
    const approved = await t.post(`${n}/proposals/${made.body.id}/decision`, { decision: 'approve' });
    expect(approved.status).toBe(200);
    await t.patch(n, { reviewPolicy: 'off', requireExpectedVersion: false });
    expect((await t.post(`${n}/stances`, stance(s.parties[2].id, s.points[2].id))).status).toBe(201);
  });
});

describe('correction proposals (review policy required)', () => {
  let t: TestApp;
  let s: Seeded;
  let n: string;
  let a: { email: string; token: string };
  let b: { email: string; token: string };

  beforeAll(async () => {
    t = await startApp({ RATE_LIMIT_PER_MINUTE: '0' });
    s = await seed(t);
    n = `/api/negotiations/${s.negotiationId}`;
    a = await t.user('analyst');
    b = await t.user('analyst');
  });
  afterAll(() => t.close());

  it('makes a proposal of kind correction; approval publishes it as one change (recorded at approval, approvedBy the reviewer)', async () => {
    const old = await t.post(`${n}/stances`, stance(s.parties[0].id, s.points[0].id));
    expect(old.status).toBe(201);
    await t.patch(n, { reviewPolicy: 'required' });
    const seq = (await t.get(n)).body.seq as number;
    const proposed = await t.as(a.token).post(`${n}/stances/${old.body.event.id}/correct`, {
      position: 'reject', confidence: 'official', effectiveAt: '2025-11-22', source: {}, reason: 'misread', expectedVersion: 1,
    });
    expect(proposed.status).toBe(202);
    const p = proposed.body as Proposal;
    expect(p).toMatchObject({
      kind: 'correction', status: 'open', author: a.email, baseVersion: 1, partyId: s.parties[0].id, pointId: s.points[0].id,
      retraction: { eventId: old.body.event.id, reason: 'misread' }, stance: { position: 'reject', partyId: s.parties[0].id, pointId: s.points[0].id },
    });
    // Nothing public yet.
    expect((await t.get(n)).body.seq).toBe(seq);
    expect((await t.get(`${n}/changes?sinceSeq=${seq}`)).body.items).toEqual([]);

    // The author edits the reason only; the stance stays.
    const edited = await t.as(a.token).patch(`${n}/proposals/${p.id}`, { reason: 'misread the statement' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ retraction: { reason: 'misread the statement' }, stance: { position: 'reject' } });

    const decidedFrom = Date.now();
    const approved = await t.as(b.token).post(`${n}/proposals/${p.id}/decision`, { decision: 'approve' });
    expect(approved.status).toBe(200);
    const published = approved.body.published as CorrectStanceResult;
    expect(published.retracted).toMatchObject({ id: old.body.event.id, retraction: { seq: seq + 1, reason: 'misread the statement', recordedBy: a.email } });
    expect(published.event).toMatchObject({ seq: seq + 1, position: 'reject', recordedBy: a.email, approvedBy: b.email });
    expect(Date.parse(published.event.recordedAt)).toBeGreaterThanOrEqual(decidedFrom);
    expect(published.cell).toMatchObject({ version: 3, current: { id: published.event.id } });
    expect(approved.body.proposal).toMatchObject({ status: 'approved', published: { eventId: published.event.id, seq: seq + 1 } });
    const changes = (await t.get<ChangesPage>(`${n}/changes?sinceSeq=${seq}`)).body.items;
    expect(changes.map((c) => [c.kind, c.seq])).toEqual([['stance.corrected', seq + 1]]);
  });

  it('a cell that moved on is a REVIEW_CONFLICT on approval; an event already retracted is refused when proposing', async () => {
    await t.patch(n, { reviewPolicy: 'off' });
    const old = await t.post(`${n}/stances`, stance(s.parties[1].id, s.points[1].id));
    await t.patch(n, { reviewPolicy: 'required' });
    const body = { position: 'amend', confidence: 'official', effectiveAt: '2025-11-22', source: {}, reason: 'wrong', expectedVersion: 1 };
    const first = (await t.as(a.token).post(`${n}/stances/${old.body.event.id}/correct`, body)).body as Proposal;
    const other = (await t.as(a.token).post(`${n}/stances`, stance(s.parties[1].id, s.points[1].id, { position: 'reject', effectiveAt: '2025-11-23' }))).body as Proposal;
    expect((await t.as(b.token).post(`${n}/proposals/${other.id}/decision`, { decision: 'approve' })).status).toBe(200);
    const seq = (await t.get(n)).body.seq as number;
    const conflict = await t.as(b.token).post(`${n}/proposals/${first.id}/decision`, { decision: 'approve' });
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ code: 'REVIEW_CONFLICT', current: { proposal: { id: first.id }, cell: { version: 2 } } });
    expect((await t.get(n)).body.seq).toBe(seq);
    // With rebase it publishes over the current stance, still as one change.
    const rebased = await t.as(b.token).post(`${n}/proposals/${first.id}/decision`, { decision: 'approve', rebase: true });
    expect(rebased.status).toBe(200);
    expect((await t.get<ChangesPage>(`${n}/changes?sinceSeq=${seq}`)).body.items.map((c) => c.kind)).toEqual(['stance.corrected']);
    const refused = await t.as(a.token).post(`${n}/stances/${old.body.event.id}/correct`, { ...body, expectedVersion: 4 });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('ALREADY_RETRACTED');
  });
});

describe('a dump with corrections', () => {
  let source: TestApp;
  let target: TestApp;

  beforeAll(async () => {
    source = await startApp({ RATE_LIMIT_PER_MINUTE: '0' });
    target = await startApp({ RATE_LIMIT_PER_MINUTE: '0' });
  });
  afterAll(async () => {
    await source.close();
    await target.close();
  });

  it('exports, imports elsewhere and exports again to the same bytes; the imported matrix and changes show the correction', async () => {
    const s = await seed(source);
    const n = `/api/negotiations/${s.negotiationId}`;
    const old = await source.post(`${n}/stances`, stance(s.parties[0].id, s.points[0].id));
    const corrected = await source.post(`${n}/stances/${old.body.event.id}/correct`, {
      position: 'reject', confidence: 'official', effectiveAt: '2025-11-21', source: { outlet: 'New outlet', title: 'New title' }, reason: 'misquoted', expectedVersion: 1,
    });
    expect(corrected.status).toBe(201);
    expect((await source.patch(n, { requireExpectedVersion: true })).status).toBe(200);
    const dump = await fetch(`${source.url}${n}/export.json`, { headers: { authorization: `Bearer ${source.adminToken}` } });
    expect(dump.status).toBe(200);
    const text = await dump.text();
    expect(JSON.parse(text).negotiation.requireExpectedVersion).toBe(true);

    const imported = await target.post('/api/negotiations/import', text);
    expect({ status: imported.status, errors: imported.body.errors }).toEqual({ status: 200, errors: [] });
    const again = await fetch(`${target.url}${n}/export.json`, { headers: { authorization: `Bearer ${target.adminToken}` } });
    expect(await again.text()).toBe(text);
    const cell = (await target.get<MatrixView>(`${n}/matrix`)).body.rows.find((r) => r.point.id === s.points[0].id)?.cells[s.parties[0].id];
    expect(cell).toMatchObject({ version: 3, stance: { id: corrected.body.event.id, position: 'reject' } });
    expect((await target.get<ChangesPage>(`${n}/changes`)).body.items.map((c) => c.kind)).toEqual(['stance.recorded', 'stance.corrected']);
    expect((await target.get(n)).body.requireExpectedVersion).toBe(true);
  });

  it('refuses a dump whose correction does not name its retraction', async () => {
    const s = await seed(source, 'Tampered');
    const n = `/api/negotiations/${s.negotiationId}`;
    const old = await source.post(`${n}/stances`, stance(s.parties[0].id, s.points[0].id));
    await source.post(`${n}/stances/${old.body.event.id}/correct`, { position: 'reject', confidence: 'official', effectiveAt: '2025-11-21', source: {}, reason: 'x', expectedVersion: 1 });
    const dump = JSON.parse(await (await fetch(`${source.url}${n}/export.json`, { headers: { authorization: `Bearer ${source.adminToken}` } })).text());
    const c = dump.changes.find((x: { kind: string }) => x.kind === 'stance.corrected');
    c.data.retracted.id = s.points[1].id;
    const res = await target.post('/api/negotiations/import?dryRun=true', JSON.stringify(dump));
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining([expect.stringMatching(/^retractions\.0\.seq$/)]));
  });
});
