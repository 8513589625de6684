import * as http from 'node:http';
import { beginShutdown } from '../src/bootstrap';
import { ADMIN, seed, stance, startApp, type Seeded, type TestApp } from './harness';

describe('API happy paths', () => {
  let t: TestApp;
  let s: Seeded;
  let base: string;

  beforeAll(async () => {
    t = await startApp();
    s = await seed(t);
    base = `/api/negotiations/${s.negotiationId}`;
  });
  afterAll(() => t.close());

  it('reports health with the database up and no pending migration', async () => {
    const res = await t.get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', database: 'up', migrations: { pending: 0 } });
    expect(res.body.migrations.applied).toBeGreaterThan(0);
  });

  it('answers liveness and readiness apart, and is not ready once it begins to stop (still alive)', async () => {
    const other = await startApp();
    try {
      expect((await other.get('/api/health/live')).body).toMatchObject({ status: 'ok' });
      const ready = await other.get('/api/health/ready');
      // No REDIS_URL: no Redis check at all.
      expect({ status: ready.status, body: ready.body }).toEqual({ status: 200, body: { status: 'ok', checks: { database: 'up', migrations: 'applied', shutdown: 'running' } } });
      beginShutdown(other.app);
      // The drain ends kept-alive connections: ask on a new one each time.
      const fresh = (p: string) =>
        new Promise<{ status: number; body: unknown }>((resolve, reject) => {
          http
            .get(`${other.url}${p}`, { agent: false }, (res) => {
              let text = '';
              res.on('data', (c: Buffer) => (text += c.toString()));
              res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
            })
            .on('error', reject);
        });
      expect(await fresh('/api/health/ready')).toEqual({ status: 503, body: { status: 'error', checks: { database: 'up', migrations: 'applied', shutdown: 'stopping' } } });
      expect((await fresh('/api/health/live')).status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('serves the OpenAPI document generated from the shared schemas', async () => {
    const res = await t.get('/api/docs-json');
    expect(res.status).toBe(200);
    const stances = res.body.paths['/api/negotiations/{negotiationId}/stances'].post;
    const schema = stances.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(expect.arrayContaining(['partyId', 'pointId', 'position', 'confidence', 'effectiveAt', 'source']));
    expect(schema.properties.position.enum).toEqual(['accept', 'conditional', 'amend', 'unclear', 'reject', 'red_line']);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/negotiations/{negotiationId}/matrix',
        '/api/negotiations/{negotiationId}/changes',
        '/api/negotiations/{negotiationId}/metrics',
        '/api/negotiations/{negotiationId}/documents/compare',
        '/api/stance-events/{eventId}/retract',
      ]),
    );
    const ui = await t.get('/api/docs');
    expect(ui.status).toBe(200);
    expect(String(ui.body)).toContain('swagger');
  });

  it('lists, gets by id and by slug, and patches a negotiation with an optimistic lock', async () => {
    const list = await t.get('/api/negotiations');
    expect(list.body.map((n: { id: string }) => n.id)).toContain(s.negotiationId);
    const bySlug = await t.get(`/api/negotiations/${s.slug}`);
    expect(bySlug.body.id).toBe(s.negotiationId);
    const patched = await t.patch(base, { status: 'suspended', expectedVersion: 1 });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ status: 'suspended', version: 2 });
    const stale = await t.patch(base, { title: 'Other', expectedVersion: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('VERSION_CONFLICT');
    expect(stale.body.current).toMatchObject({ version: 2, title: 'Test negotiation' });
  });

  it('creates a party with a parent and edits its actors (left-out actors are retired, not deleted)', async () => {
    const parent = s.parties[0];
    const child = await t.post(`${base}/parties`, { code: 'E3', name: 'E3', kind: 'bloc', parentId: parent.id, actors: [{ name: 'A' }, { name: 'B' }] });
    expect(child.status).toBe(201);
    expect(child.body.parentId).toBe(parent.id);
    const [a] = child.body.actors;
    const patched = await t.patch(`${base}/parties/${child.body.id}`, { actors: [{ id: a.id, name: 'A renamed', role: 'Envoy' }], expectedVersion: 1 });
    expect(patched.status).toBe(200);
    expect(patched.body.actors).toEqual([
      { id: a.id, name: 'A renamed', role: 'Envoy', retired: false },
      expect.objectContaining({ name: 'B', retired: true }),
    ]);
    const cycle = await t.patch(`${base}/parties/${parent.id}`, { parentId: child.body.id });
    expect(cycle.status).toBe(400);
    expect(cycle.body.details[0].field).toBe('parentId');
    const listed = await t.get(`${base}/parties`);
    expect(listed.body).toHaveLength(4);
  });

  it('creates points with split lineage and patches them', async () => {
    const split = await t.post(`${base}/points`, {
      title: 'Split part',
      category: 'security_guarantees',
      derivedFrom: [{ pointId: s.points[0].id, kind: 'split' }],
    });
    expect(split.status).toBe(201);
    expect(split.body.derivedFrom).toEqual([{ pointId: s.points[0].id, kind: 'split' }]);
    expect(split.body.code).toBe('p05');
    const patched = await t.patch(`${base}/points/${split.body.id}`, { title: 'Renamed', expectedVersion: 1 });
    expect(patched.body).toMatchObject({ title: 'Renamed', version: 2, derivedFrom: [{ pointId: s.points[0].id, kind: 'split' }] });
    const got = await t.get(`${base}/points/${split.body.id}`);
    expect(got.body.title).toBe('Renamed');
  });

  it('creates documents with provisions, compares them point by point, and patches provisions', async () => {
    const [p1, p2, p3, p4] = s.points;
    const a = await t.post(`${base}/documents`, {
      title: 'Draft A',
      publishedAt: '2025-11-20',
      authorPartyId: s.parties[2].id,
      provisions: [
        { pointId: p1.id, number: '1', text: 'Borders are frozen on the line of contact.' },
        { pointId: p2.id, number: '2', text: 'Army capped at 600,000.' },
        { pointId: p3.id, number: '3', text: 'Unchanged text.' },
      ],
    });
    expect(a.status).toBe(201);
    const b = await t.post(`${base}/documents`, {
      title: 'Draft B',
      publishedAt: '2025-11-23T10:00:00Z',
      provisions: [
        { pointId: p3.id, number: '1', text: 'Unchanged text.' },
        { pointId: p2.id, number: '2', text: 'Army capped at 800,000 in peacetime.' },
        { pointId: p4.id, number: '10', text: 'Prisoners are exchanged all for all.' },
      ],
    });
    expect(b.body.publishedPrecision).toBe('time');
    const cmp = await t.get(`${base}/documents/compare?a=${a.body.id}&b=${b.body.id}`);
    expect(cmp.status).toBe(200);
    expect(cmp.body.summary).toEqual({ same: 1, changed: 1, only_a: 1, only_b: 1 });
    const rowOf = (id: string) => cmp.body.rows.find((r: { pointId: string }) => r.pointId === id);
    expect(rowOf(p3.id)).toMatchObject({ status: 'same', renumbered: true });
    expect(rowOf(p2.id).status).toBe('changed');
    expect(rowOf(p2.id).diff).toEqual(expect.arrayContaining([{ op: 'delete', text: '600,000.' }]));
    expect(rowOf(p1.id).status).toBe('only_a');
    const patched = await t.patch(`${base}/documents/${b.body.id}`, {
      provisions: [{ pointId: p1.id, number: '1', text: 'New text' }],
      expectedVersion: 1,
    });
    expect(patched.body.provisions).toEqual([{ pointId: p1.id, number: '1', text: 'New text' }]);
    expect((await t.get(`${base}/documents`)).body).toHaveLength(2);
  });

  it('creates and patches milestones', async () => {
    const m = await t.post(`${base}/milestones`, {
      title: 'Talks',
      kind: 'meeting',
      startsAt: '2025-11-23',
      endsAt: '2025-11-24',
      partyIds: [s.parties[0].id, s.parties[1].id],
    });
    expect(m.status).toBe(201);
    expect(m.body).toMatchObject({ startsAt: '2025-11-23T00:00:00.000Z', startsPrecision: 'day', endsAt: '2025-11-24T00:00:00.000Z' });
    const p = await t.patch(`${base}/milestones/${m.body.id}`, { title: 'Geneva talks', endsAt: null });
    expect(p.body).toMatchObject({ title: 'Geneva talks', endsAt: null, version: 2 });
    expect((await t.get(`${base}/milestones`)).body).toHaveLength(1);
  });

  it("lists a milestone's stances in the change log (its page in the dashboard)", async () => {
    const o = await seed(t, 'Milestone stances');
    const ob = `/api/negotiations/${o.negotiationId}`;
    const m = await t.post(`${ob}/milestones`, { title: 'Talks', kind: 'meeting', startsAt: '2025-11-23' });
    const linked = await t.post(`${ob}/stances`, stance(o.parties[2].id, o.points[3].id, { milestoneId: m.body.id, effectiveAt: '2025-11-23' }));
    expect(linked.status).toBe(201);
    expect((await t.post(`${ob}/stances`, stance(o.parties[2].id, o.points[2].id, { effectiveAt: '2025-11-23' }))).status).toBe(201);
    const changes = await t.get(`${ob}/changes?milestoneId=${m.body.id}`);
    expect(changes.body.items.map((i: { event: { id: string } }) => i.event.id)).toEqual([linked.body.event.id]);
    const none = await t.get(`${ob}/changes?milestoneId=00000000-0000-4000-8000-000000000099`);
    expect({ status: none.status, items: none.body.items }).toEqual({ status: 200, items: [] });
  });

  it('records stances, serves the matrix, history, changes and metrics', async () => {
    const [aa, bb, cc] = s.parties;
    const [p1, p2] = s.points;
    const first = await t.post(`${base}/stances`, stance(aa.id, p1.id, { position: 'red_line', effectiveAt: '2025-11-21', actorId: aa.actors[0].id, quote: 'Never.' }));
    expect(first.status).toBe(201);
    expect(first.body.cell).toMatchObject({ version: 1, current: { id: first.body.event.id, position: 'red_line', score: -2 } });
    expect(first.body.event).toMatchObject({ recordedBy: ADMIN.email, effectivePrecision: 'day', source: { outlet: 'Reuters' } });
    const second = await t.post(`${base}/stances`, stance(aa.id, p1.id, { position: 'conditional', effectiveAt: '2025-12-02', expectedVersion: 1, conditions: { text: 'if point 2 holds', pointIds: [p2.id] } }));
    expect(second.status).toBe(201);
    await t.post(`${base}/stances`, stance(bb.id, p1.id, { position: 'accept', effectiveAt: '2025-11-25' }));
    await t.post(`${base}/stances`, stance(cc.id, p2.id, { position: 'reject', effectiveAt: '2025-11-22' }));

    const now = await t.get(`${base}/matrix`);
    expect(now.status).toBe(200);
    const row1 = now.body.rows.find((r: { point: { id: string } }) => r.point.id === p1.id);
    expect(row1.cells[aa.id]).toMatchObject({ version: 2, stance: { position: 'conditional', conditions: { pointIds: [p2.id] } } });
    expect(row1.summary).toMatchObject({ agreed: true, blocked: false, stated: 2, spread: 1 });

    const before = await t.get(`${base}/matrix?asOf=2025-11-30`);
    const row1Before = before.body.rows.find((r: { point: { id: string } }) => r.point.id === p1.id);
    expect(row1Before.cells[aa.id].stance.position).toBe('red_line');
    expect(row1Before.summary.blocked).toBe(true);
    const earliest = await t.get(`${base}/matrix?asOf=2025-11-20`);
    expect(earliest.body.rows.every((r: { summary: { stated: number } }) => r.summary.stated === 0)).toBe(true);

    const history = await t.get(`${base}/points/${p1.id}/history`);
    expect(history.body.events.map((e: { position: string }) => e.position)).toEqual(['red_line', 'accept', 'conditional']);
    expect(history.body.provisions.length).toBeGreaterThan(0);

    const changes = await t.get(`${base}/changes?sinceSeq=0`);
    expect(changes.body.items).toHaveLength(4);
    const seqs = changes.body.items.map((i: { seq: number }) => i.seq);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    const forParty = await t.get(`${base}/changes?partyId=${cc.id}`);
    expect(forParty.body.items).toHaveLength(1);
    const paged = await t.get(`${base}/changes?limit=3`);
    expect(paged.body.items).toHaveLength(3);
    expect(paged.body.nextSinceSeq).toBe(paged.body.items[2].seq);

    // By the time of recording: a date-time bound is exact (since: strictly after; until: at or
    // before); a day means the whole day on either side.
    const all = changes.body.items as { seq: number; recordedAt: string }[];
    const seqsOf = (r: { body: { items: { seq: number }[] } }) => r.body.items.map((i) => i.seq);
    const pivot = all[1];
    const at = encodeURIComponent(pivot.recordedAt);
    expect(seqsOf(await t.get(`${base}/changes?since=${at}`))).toEqual(all.filter((i) => i.recordedAt > pivot.recordedAt).map((i) => i.seq));
    expect(seqsOf(await t.get(`${base}/changes?until=${at}`))).toEqual(all.filter((i) => i.recordedAt <= pivot.recordedAt).map((i) => i.seq));
    const day = pivot.recordedAt.slice(0, 10);
    const dayMs = Date.parse(day);
    const nextDay = new Date(dayMs + 86_400_000).toISOString().slice(0, 10);
    const previousDay = new Date(dayMs - 86_400_000).toISOString().slice(0, 10);
    expect(seqsOf(await t.get(`${base}/changes?since=${day}`))).toEqual(all.filter((i) => i.recordedAt >= day).map((i) => i.seq));
    expect(seqsOf(await t.get(`${base}/changes?since=${day}`))).toContain(pivot.seq);
    expect(seqsOf(await t.get(`${base}/changes?until=${day}`))).toEqual(all.filter((i) => i.recordedAt < nextDay).map((i) => i.seq));
    expect(seqsOf(await t.get(`${base}/changes?since=${nextDay}`))).toEqual([]);
    expect(seqsOf(await t.get(`${base}/changes?until=${previousDay}`))).toEqual([]);
    expect(seqsOf(await t.get(`${base}/changes?since=${previousDay}&until=${day}&partyId=${cc.id}`))).toEqual(
      all.filter((i) => i.recordedAt < nextDay && forParty.body.items.some((f: { seq: number }) => f.seq === i.seq)).map((i) => i.seq),
    );

    const metrics = await t.get(`${base}/metrics?from=2025-11-20&to=2025-12-05`);
    expect(metrics.status).toBe(200);
    expect(metrics.body.series).toHaveLength(16);
    expect(metrics.body.series[0]).toMatchObject({ agreed: 0, blocked: 0, addressed: 0 });
    const dec3 = metrics.body.series.find((p: { date: string }) => p.date.startsWith('2025-12-03'));
    expect(dec3).toMatchObject({ agreed: 1, blocked: 0, addressed: 2 });
    const nov26 = metrics.body.series.find((p: { date: string }) => p.date.startsWith('2025-11-26'));
    expect(nov26).toMatchObject({ agreed: 0, blocked: 1, addressed: 2 });
    const pair = metrics.body.distances.find((d: { a: string; b: string }) => d.a === aa.id && d.b === bb.id);
    expect(pair).toEqual({ a: aa.id, b: bb.id, distance: 1, sharedPoints: 1 });
  });

  it('retracts an event: the previous stance comes back, and knownAt shows what was known before', async () => {
    const p3 = s.points[2];
    const bb = s.parties[1];
    const old = await t.post(`${base}/stances`, stance(bb.id, p3.id, { position: 'amend', effectiveAt: '2025-11-21' }));
    const wrong = await t.post(`${base}/stances`, stance(bb.id, p3.id, { position: 'red_line', effectiveAt: '2025-11-28' }));
    const beforeRetraction = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    const retracted = await t.post(`/api/stance-events/${wrong.body.event.id}/retract`, { reason: 'Misquoted' });
    expect(retracted.status).toBe(201);
    expect(retracted.body.event.retraction).toMatchObject({ reason: 'Misquoted', recordedBy: ADMIN.email });
    expect(retracted.body.cell).toMatchObject({ version: 3, current: { id: old.body.event.id } });
    const again = await t.post(`/api/stance-events/${wrong.body.event.id}/retract`, { reason: 'twice' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_RETRACTED');

    const cellNow = (await t.get(`${base}/matrix`)).body.rows.find((r: { point: { id: string } }) => r.point.id === p3.id).cells[bb.id];
    expect(cellNow.stance.position).toBe('amend');
    const known = await t.get(`${base}/matrix?knownAt=${encodeURIComponent(beforeRetraction)}`);
    const cellThen = known.body.rows.find((r: { point: { id: string } }) => r.point.id === p3.id).cells[bb.id];
    expect(cellThen.stance).toMatchObject({ position: 'red_line', retraction: null });
    const changes = await t.get(`${base}/changes?pointId=${p3.id}`);
    expect(changes.body.items.map((i: { kind: string }) => i.kind)).toEqual(['stance.recorded', 'stance.recorded', 'stance.retracted']);
    const event = await t.get(`/api/stance-events/${wrong.body.event.id}`);
    expect(event.body.retraction.reason).toBe('Misquoted');
  });

  it('scopes the matrix rows to a chosen document: its points only, numbered and ordered as in it', async () => {
    const docs = (await t.get(`${base}/documents`)).body;
    const draftA = docs.find((d: { title: string }) => d.title === 'Draft A');
    const res = await t.get(`${base}/matrix?documentId=${draftA.id}`);
    expect(res.body.documentId).toBe(draftA.id);
    expect(res.body.rows.map((r: { number: string }) => r.number)).toEqual(draftA.provisions.map((p: { number: string }) => p.number));
    expect(res.body.rows.map((r: { point: { id: string } }) => r.point.id)).toEqual(draftA.provisions.map((p: { pointId: string }) => p.pointId));
  });
});
