import { Point as PointSchema, type MatrixView, type MetricsView, type Party, type PlanDocument, type Point } from '@parley/contracts';
import { ChangeEntity } from '../src/changes/change.entity';
import { PlanVersionEntity } from '../src/changes/plan-version.entity';
import { Db } from '../src/database/db.service';
import { seed, startApp, type Seeded, type TestApp } from './harness';

const iso = (ms: number) => new Date(ms).toISOString();
const before = (at: string) => encodeURIComponent(iso(Date.parse(at) - 1));

/** Points, parties and documents keep their history: asOf/knownAt show them as they were (issue 18, item 1). */
describe('the plan is bitemporal', () => {
  let t: TestApp;
  let s: Seeded;
  let base: string;

  beforeAll(async () => {
    t = await startApp();
    s = await seed(t);
    base = `/api/negotiations/${s.negotiationId}`;
  });
  afterAll(() => t.close());

  const matrix = async (query: string) => {
    const res = await t.get<MatrixView>(`${base}/matrix?${query}`);
    expect(res.status).toBe(200);
    return res.body;
  };
  const rowTitle = (m: MatrixView, pointId: string) => m.rows.find((r) => r.point.id === pointId)?.point.title;

  it('a renamed point: knownAt before the rename shows the old title, everywhere the point is read', async () => {
    const made = await t.post<Point>(`${base}/points`, { title: 'Ceasefire line', category: 'territory', effectiveAt: '2025-11-01' });
    expect(made.status).toBe(201);
    const renamed = await t.patch<Point>(`${base}/points/${made.body.id}`, { title: 'Line of contact', expectedVersion: 1 });
    expect(renamed.status).toBe(200);
    const knownBefore = before(renamed.body.updatedAt);

    expect((await t.get<Point>(`${base}/points/${made.body.id}?knownAt=${knownBefore}`)).body.title).toBe('Ceasefire line');
    expect((await t.get<Point>(`${base}/points/${made.body.id}?knownAt=${encodeURIComponent(renamed.body.updatedAt)}`)).body.title).toBe('Line of contact');
    expect((await t.get<Point>(`${base}/points/${made.body.id}`)).body.title).toBe('Line of contact');
    const listed = (await t.get<Point[]>(`${base}/points?knownAt=${knownBefore}`)).body.find((p) => p.id === made.body.id);
    expect(listed).toMatchObject({ title: 'Ceasefire line', version: 1 });
    expect(rowTitle(await matrix(`knownAt=${knownBefore}`), made.body.id)).toBe('Ceasefire line');
    expect(rowTitle(await matrix(''), made.body.id)).toBe('Line of contact');
    // Before it was recorded at all, Parley did not know the point.
    const knownBeforeCreation = before(made.body.createdAt);
    expect((await t.get(`${base}/points/${made.body.id}?knownAt=${knownBeforeCreation}`)).status).toBe(404);
    expect((await matrix(`knownAt=${knownBeforeCreation}`)).rows.some((r) => r.point.id === made.body.id)).toBe(false);
  });

  it('a rename with its effective date: asOf before it shows the old title, after it the new one', async () => {
    const made = await t.post<Point>(`${base}/points`, { title: 'Army cap 600,000', category: 'military', effectiveAt: '2025-11-20' });
    const renamed = await t.patch<Point>(`${base}/points/${made.body.id}`, { title: 'Army cap 800,000', effectiveAt: '2025-12-10' });
    expect(renamed.status).toBe(200);
    expect((await t.get<Point>(`${base}/points/${made.body.id}?asOf=2025-12-09`)).body.title).toBe('Army cap 600,000');
    expect((await t.get<Point>(`${base}/points/${made.body.id}?asOf=2025-12-10`)).body.title).toBe('Army cap 800,000');
    expect(rowTitle(await matrix('asOf=2025-12-09'), made.body.id)).toBe('Army cap 600,000');
    expect(rowTitle(await matrix('asOf=2025-12-10'), made.body.id)).toBe('Army cap 800,000');
    // As known before the rename was recorded, even a later asOf shows the old title.
    expect(rowTitle(await matrix(`asOf=2025-12-31&knownAt=${before(renamed.body.updatedAt)}`), made.body.id)).toBe('Army cap 600,000');
  });

  it('a point tabled later is absent from the matrix, the metrics and the point list as of an earlier date', async () => {
    const later = await t.post<Point>(`${base}/points`, { title: 'Free economic zone', category: 'territory', effectiveAt: '2025-12-20' });
    expect(later.status).toBe(201);
    const early = await matrix('asOf=2025-12-03');
    expect(early.rows.map((r) => r.point.id)).not.toContain(later.body.id);
    expect(early.rows.map((r) => r.point.id)).toEqual(expect.arrayContaining(s.points.map((p) => p.id)));
    expect((await matrix('asOf=2025-12-20')).rows.map((r) => r.point.id)).toContain(later.body.id);
    expect((await matrix('')).rows.map((r) => r.point.id)).toContain(later.body.id);
    const metrics = (await t.get<MetricsView>(`${base}/metrics?asOf=2025-12-03&from=2025-12-01`)).body;
    expect(metrics.points.map((p) => p.pointId)).not.toContain(later.body.id);
    expect((await t.get<MetricsView>(`${base}/metrics?asOf=2025-12-21&from=2025-12-01`)).body.points.map((p) => p.pointId)).toContain(later.body.id);
    expect((await t.get<Point[]>(`${base}/points?asOf=2025-12-03`)).body.map((p) => p.id)).not.toContain(later.body.id);
    const missing = await t.get(`${base}/points/${later.body.id}?asOf=2025-12-03`);
    expect(missing.status).toBe(404);
  });

  it('a renamed party: its name as of a date, and as known before the rename', async () => {
    const party = s.parties[1];
    const renamed = await t.patch<Party>(`${base}/parties/${party.id}`, { name: 'Party B (renamed)', effectiveAt: '2025-12-10' });
    expect(renamed.status).toBe(200);
    const nameIn = (m: MatrixView) => m.parties.find((p) => p.id === party.id)?.name;
    expect((await t.get<Party[]>(`${base}/parties?asOf=2025-12-09`)).body.find((p) => p.id === party.id)?.name).toBe('Party BB');
    expect((await t.get<Party>(`${base}/parties/${party.id}?asOf=2025-12-10`)).body.name).toBe('Party B (renamed)');
    expect(nameIn(await matrix('asOf=2025-12-09'))).toBe('Party BB');
    expect(nameIn(await matrix(`knownAt=${before(renamed.body.updatedAt)}`))).toBe('Party BB');
    expect(nameIn(await matrix(''))).toBe('Party B (renamed)');
    // In force from 2025-01-01 (the seed): not yet a party before.
    expect((await t.get(`${base}/parties/${party.id}?asOf=2024-12-31`)).status).toBe(404);
    expect((await t.get<Party[]>(`${base}/parties?asOf=2024-12-31`)).body).toEqual([]);
  });

  it("a document's provisions as of a date: the text in force then, in GET and in the matrix numbered by it", async () => {
    const [a, b] = s.points;
    const made = await t.post<PlanDocument>(`${base}/documents`, {
      title: 'Draft',
      publishedAt: '2025-11-20',
      provisions: [
        { pointId: a.id, number: '1', text: 'First wording.' },
        { pointId: b.id, number: '2', text: 'Untouched.' },
      ],
    });
    expect(made.status).toBe(201);
    const edited = await t.patch<PlanDocument>(`${base}/documents/${made.body.id}/provisions`, { set: [{ pointId: a.id, text: 'Second wording.' }], effectiveAt: '2025-12-01' });
    expect(edited.status).toBe(200);
    const textOf = (d: PlanDocument) => d.provisions.find((p) => p.pointId === a.id)?.text;
    expect(textOf((await t.get<PlanDocument>(`${base}/documents/${made.body.id}?asOf=2025-11-25`)).body)).toBe('First wording.');
    expect(textOf((await t.get<PlanDocument>(`${base}/documents/${made.body.id}?asOf=2025-12-01`)).body)).toBe('Second wording.');
    expect(textOf((await t.get<PlanDocument>(`${base}/documents/${made.body.id}?knownAt=${before(edited.body.updatedAt)}`)).body)).toBe('First wording.');
    const m = await matrix(`asOf=2025-11-25&documentId=${made.body.id}`);
    expect(m.rows.find((r) => r.point.id === a.id)?.text).toBe('First wording.');
    expect((await matrix(`documentId=${made.body.id}`)).rows.find((r) => r.point.id === a.id)?.text).toBe('Second wording.');
    // Not published yet on 19 Nov; listed from its date.
    expect((await t.get<PlanDocument[]>(`${base}/documents?asOf=2025-11-19`)).body.map((d) => d.id)).not.toContain(made.body.id);
    expect((await t.get<PlanDocument[]>(`${base}/documents?asOf=2025-11-20`)).body.map((d) => d.id)).toContain(made.body.id);
  });

  it('each write appends its version in its own change (same seq), and the live message keeps its shape', async () => {
    const made = await t.post<Point>(`${base}/points`, { title: 'Shape check', category: 'legal' });
    const db = t.app.get(Db);
    const versions = await db.read.findBy(PlanVersionEntity, { entityId: made.body.id });
    expect(versions).toHaveLength(1);
    const change = await db.read.findOneBy(ChangeEntity, { negotiationId: s.negotiationId, seq: versions[0].seq });
    expect(change?.kind).toBe('point.created');
    // The change (what live clients get) is the Point as the API returns it, nothing added.
    expect(change?.data).toEqual(made.body);
    expect(Object.keys(change?.data as object).sort()).toEqual(Object.keys(PointSchema.shape).sort());
    // Without effectiveAt, a change takes effect when it is recorded.
    expect(versions[0].effectiveAt).toBe(versions[0].recordedAt);
    expect(versions[0].recordedAt).toBe(Date.parse(made.body.createdAt));
  });

  it('refuses a bad asOf and a bad effectiveAt, naming the field', async () => {
    const badQuery = await t.get(`${base}/points?asOf=notadate`);
    expect(badQuery.status).toBe(400);
    expect(JSON.stringify(badQuery.body)).toContain('query.asOf');
    const badBody = await t.patch(`${base}/points/${s.points[0].id}`, { title: 'x', effectiveAt: 'yesterday' });
    expect(badBody.status).toBe(400);
    expect(JSON.stringify(badBody.body)).toContain('effectiveAt');
  });

  it("export.json → import elsewhere keeps the plan's history, gives the same bytes again, and an older dump without it gets one version per record", async () => {
    const text = async (app: TestApp) => {
      const res = await fetch(`${app.url}/api/negotiations/${s.negotiationId}/export.json`, { headers: { authorization: `Bearer ${app.adminToken}` } });
      expect(res.status).toBe(200);
      return res.text();
    };
    const dumpText = await text(t);
    const dump = JSON.parse(dumpText) as { planVersions: { kind: string; entityId: string }[] };
    expect(dump.planVersions.length).toBeGreaterThan(s.points.length + s.parties.length);
    const renamed = (await t.get<Point[]>(`${base}/points`)).body.find((p) => p.title === 'Line of contact')!;
    const renameKnown = renamed.updatedAt;

    const target = await startApp();
    try {
      const imported = await target.post('/api/negotiations/import', dumpText);
      expect({ status: imported.status, errors: imported.body.errors }).toEqual({ status: 200, errors: [] });
      expect(await text(target)).toBe(dumpText);
      const n = `/api/negotiations/${s.negotiationId}`;
      expect((await target.get<Point>(`${n}/points/${renamed.id}?knownAt=${before(renameKnown)}`)).body.title).toBe('Ceasefire line');
      expect((await target.get<MatrixView>(`${n}/matrix?asOf=2025-12-09`)).body.rows.map((r) => r.point.title)).toContain('Army cap 600,000');
      // The same file again: no change.
      expect((await target.post('/api/negotiations/import', dumpText)).body.unchanged).toBe(true);
    } finally {
      await target.close();
    }

    const older = JSON.parse(dumpText) as Record<string, unknown>;
    delete older['planVersions'];
    const olderText = JSON.stringify(older);
    const third = await startApp();
    try {
      const imported = await third.post('/api/negotiations/import', olderText);
      expect({ status: imported.status, errors: imported.body.errors }).toEqual({ status: 200, errors: [] });
      const n = `/api/negotiations/${s.negotiationId}`;
      // One version per record, as it is now; a point in force from its first text (here: 2025-11-20).
      const versions = JSON.parse(await text(third)).planVersions as { kind: string; entityId: string; effectiveAt: string }[];
      expect(versions.filter((v) => v.kind === 'point')).toHaveLength((await third.get<Point[]>(`${n}/points`)).body.length);
      expect(versions.find((v) => v.entityId === s.points[0].id)?.effectiveAt).toBe('2025-11-20T00:00:00.000Z');
      expect((await third.get<Point>(`${n}/points/${renamed.id}?knownAt=${before(renameKnown)}`)).status).toBe(200);
      expect((await third.post('/api/negotiations/import', olderText)).body.unchanged).toBe(true);
    } finally {
      await third.close();
    }
  });
});
