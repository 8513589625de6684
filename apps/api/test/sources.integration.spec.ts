import type { ChangeEntry, MatrixView, Source, SourceDetail, StanceEvent } from '@parley/contracts';
import { fingerprint, seed, stance, startApp, type Seeded, type TestApp } from './harness';
import { until, watch, type Viewer } from './live-harness';

const sourceOf = (view: MatrixView, partyId: string, pointId: string) => view.rows.find((r) => r.point.id === pointId)?.cells[partyId]?.stance?.source;

describe('sources', () => {
  let t: TestApp;
  let s: Seeded;
  let base: string;
  let viewer: Viewer | null = null;

  beforeAll(async () => {
    t = await startApp();
    s = await seed(t);
    base = `/api/negotiations/${s.negotiationId}`;
  });
  afterEach(async () => {
    await viewer?.client.close();
    viewer = null;
  });
  afterAll(() => t.close());

  it('are created, listed, read with the count of stances citing them, and corrected with an optimistic lock', async () => {
    const created = await t.post(`${base}/sources`, { outlet: 'Interfax-Ukraine', title: 'Заява', url: 'https://example.org/crud', publishedAt: '2025-11-22', language: 'uk' });
    expect(created.status).toBe(201);
    const source = created.body as Source;
    expect(source).toMatchObject({ negotiationId: s.negotiationId, kind: 'news_report', outlet: 'Interfax-Ukraine', title: 'Заява', language: 'uk', publishedAt: '2025-11-22T00:00:00.000Z', description: null, version: 1 });
    const document = await t.post(`${base}/sources`, { description: 'Statement by the foreign minister in Geneva' });
    expect(document.body).toMatchObject({ kind: 'document', outlet: null, url: null });

    const list = await t.get(`${base}/sources`);
    expect(list.status).toBe(200);
    expect((list.body as Source[]).map((x) => x.id)).toEqual(expect.arrayContaining([source.id, document.body.id]));
    expect((await t.get(`/api/negotiations/${s.slug}/sources/${source.id}`)).body).toMatchObject({ id: source.id, citedBy: 0 });

    await t.post(`${base}/stances`, stance(s.parties[0].id, s.points[0].id, { source: { id: source.id } }));
    await t.post(`${base}/stances`, stance(s.parties[1].id, s.points[0].id, { source: { id: source.id } }));
    expect(((await t.get(`${base}/sources/${source.id}`)).body as SourceDetail).citedBy).toBe(2);
    const counted = (await t.get(`${base}/sources`)).body as SourceDetail[];
    expect(counted.find((x) => x.id === source.id)?.citedBy).toBe(2);
    expect(counted.find((x) => x.id === document.body.id)?.citedBy).toBe(0);

    const stale = await t.patch(`${base}/sources/${source.id}`, { title: 'x', expectedVersion: 0 });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', current: { id: source.id, version: 1, title: 'Заява' } });
    const fixed = await t.patch(`${base}/sources/${source.id}`, { title: 'Заява МЗС', kind: 'official_statement', expectedVersion: 1 });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({ title: 'Заява МЗС', kind: 'official_statement', version: 2 });
    expect(Date.parse(fixed.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(source.updatedAt));
  });

  it('a correction shows on every stance citing the source: the event, a point history and the matrix (in-memory index)', async () => {
    const src = (await t.post(`${base}/sources`, { outlet: 'Reuters', title: 'Before', url: 'https://example.org/fix' })).body as Source;
    const recorded = await t.post(`${base}/stances`, stance(s.parties[2].id, s.points[1].id, { source: { id: src.id } }));
    expect(recorded.status).toBe(201);
    const eventId = recorded.body.event.id as string;
    expect(recorded.body.event.source).toEqual({ id: src.id, kind: 'news_report', url: 'https://example.org/fix', outlet: 'Reuters', title: 'Before', publishedAt: null, language: null, description: null });
    expect(sourceOf((await t.get(`${base}/matrix`)).body, s.parties[2].id, s.points[1].id)?.title).toBe('Before');

    expect((await t.patch(`${base}/sources/${src.id}`, { title: 'After', language: 'en' })).status).toBe(200);
    expect(((await t.get(`/api/stance-events/${eventId}`)).body as StanceEvent).source).toMatchObject({ id: src.id, title: 'After', language: 'en' });
    const history = (await t.get(`${base}/points/${s.points[1].id}/history`)).body as { events: StanceEvent[] };
    expect(history.events.find((e) => e.id === eventId)?.source.title).toBe('After');
    expect(sourceOf((await t.get(`${base}/matrix`)).body, s.parties[2].id, s.points[1].id)).toMatchObject({ title: 'After', language: 'en' });
    // A past date is built from the compact details, not the cache of current views.
    expect(sourceOf((await t.get(`${base}/matrix?asOf=2025-11-30`)).body, s.parties[2].id, s.points[1].id)?.title).toBe('After');
  });

  it('an inline citation finds its source by URL, else by outlet, title and date, or creates it once (a change before the stance)', async () => {
    const before = ((await t.get(`${base}/sources`)).body as Source[]).length;
    const inline = { url: 'https://example.org/inline', outlet: 'AP', title: 'Talks resume', kind: 'interview', language: 'en' };
    const batch = await t.post(`${base}/stances/batch`, {
      events: [
        stance(s.parties[0].id, s.points[2].id, { source: inline }),
        stance(s.parties[1].id, s.points[2].id, { source: { url: 'https://example.org/inline' } }),
        stance(s.parties[2].id, s.points[2].id, { source: { outlet: 'TASS', title: 'Заявление', publishedAt: '2025-11-23' } }),
        stance(s.parties[0].id, s.points[3].id, { source: { outlet: 'TASS', title: 'Заявление', publishedAt: '2025-11-23' } }),
        stance(s.parties[1].id, s.points[3].id, { source: { outlet: 'TASS', title: 'Заявление' } }),
        stance(s.parties[2].id, s.points[3].id, { source: {} }),
      ],
    });
    expect(batch.status).toBe(201);
    const events = (batch.body.results as { event: StanceEvent }[]).map((r) => r.event);
    expect(events[0].source).toMatchObject({ kind: 'interview', language: 'en', outlet: 'AP' });
    expect(events[1].source.id).toBe(events[0].source.id);
    expect(events[3].source.id).toBe(events[2].source.id);
    expect(events[4].source.id).not.toBe(events[2].source.id);
    expect(events[2].source.kind).toBe('news_report');
    expect(events[5].source).toEqual({ id: null, kind: null, url: null, outlet: null, title: null, publishedAt: null, language: null, description: null });
    expect(((await t.get(`${base}/sources`)).body as Source[]).length).toBe(before + 3);

    // A created source takes the number before the stance that first cites it.
    const changes = (await t.get(`${base}/changes?sinceSeq=${events[0].seq - 2}`)).body as { items: { seq: number }[] };
    expect(changes.items.map((c) => c.seq)).toEqual(events.map((e) => e.seq));
    expect(events.map((e) => e.seq)).toEqual([events[0].seq, events[0].seq + 1, events[0].seq + 3, events[0].seq + 4, events[0].seq + 6, events[0].seq + 7]);

    // The same inline citation later finds the same source.
    const later = await t.post(`${base}/stances`, stance(s.parties[1].id, s.points[1].id, { source: { outlet: 'TASS', title: 'Заявление', publishedAt: '2025-11-23' } }));
    expect(later.body.event.source.id).toBe(events[2].source.id);
  });

  it('concurrent writes citing the same new source inline create it once', async () => {
    const url = 'https://example.org/concurrent';
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => t.post(`${base}/stances`, stance(s.parties[i % 3].id, s.points[i % 4].id, { note: `concurrent ${i}`, source: { outlet: 'AFP', url } }))),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(6).fill(201));
    const made = ((await t.get(`${base}/sources`)).body as Source[]).filter((x) => x.url === url);
    expect(made).toHaveLength(1);
    expect(new Set(answers.map((r) => r.body.event.source.id))).toEqual(new Set([made[0].id]));
    expect(((await t.get(`${base}/sources/${made[0].id}`)).body as SourceDetail).citedBy).toBe(6);
  });

  it('refuses with a 400 naming the field and changes nothing: unknown or foreign source ids, both forms at once, bad kinds and tags', async () => {
    const other = await seed(t, 'Other negotiation');
    const foreign = (await t.post(`/api/negotiations/${other.negotiationId}/sources`, { outlet: 'Elsewhere' })).body as Source;
    const before = await fingerprint(t.db);
    const cases: [string, string, unknown, string][] = [
      ['POST', `${base}/stances`, stance(s.parties[0].id, s.points[0].id, { source: { id: foreign.id } }), 'source.id'],
      ['POST', `${base}/stances`, stance(s.parties[0].id, s.points[0].id, { source: { id: '0190a0b0-0000-7000-8000-000000000009' } }), 'source.id'],
      ['POST', `${base}/stances/batch`, { events: [stance(s.parties[0].id, s.points[0].id), stance(s.parties[0].id, s.points[0].id, { source: { id: foreign.id } })] }, 'events.1.source.id'],
      ['POST', `${base}/stances`, stance(s.parties[0].id, s.points[0].id, { source: { id: foreign.id, outlet: 'x' } }), 'source.id'],
      ['POST', `${base}/stances`, stance(s.parties[0].id, s.points[0].id, { source: { language: 'en' } }), 'source'],
      ['POST', `${base}/sources`, { outlet: 'x', kind: 'rumour' }, 'kind'],
      ['POST', `${base}/sources`, { outlet: 'x', language: 'english' }, 'language'],
      ['POST', `${base}/sources`, { kind: 'leak' }, 'body'],
      ['POST', `${base}/sources`, { outlet: 'x', url: 'javascript:alert(1)' }, 'url'],
      ['POST', `${base}/sources`, { outlet: 'x', id: foreign.id }, 'id'],
      ['PATCH', `${base}/sources/${foreign.id}`, { title: 'x' }, ''],
      ['PATCH', `/api/negotiations/${other.negotiationId}/sources/${foreign.id}`, { outlet: null }, 'source'],
      ['PATCH', `/api/negotiations/${other.negotiationId}/sources/${foreign.id}`, { title: 'x'.repeat(501) }, 'title'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await t.request(method, path, body);
      if (field === '') {
        expect({ path, status: res.status }).toEqual({ path, status: 404 });
        continue;
      }
      expect({ path, body, status: res.status }).toEqual({ path, body, status: 400 });
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    expect(await fingerprint(t.db)).toEqual(before);
  });

  it('refuses a second source with the same URL with 409 carrying the existing one, on create and on correction', async () => {
    const first = (await t.post(`${base}/sources`, { outlet: 'BBC', url: 'https://example.org/unique' })).body as Source;
    const again = await t.post(`${base}/sources`, { outlet: 'BBC News', url: 'https://example.org/unique' });
    expect(again.status).toBe(409);
    expect(again.body.current).toMatchObject({ id: first.id, url: 'https://example.org/unique' });
    const second = (await t.post(`${base}/sources`, { outlet: 'BBC', url: 'https://example.org/unique-2' })).body as Source;
    const clash = await t.patch(`${base}/sources/${second.id}`, { url: 'https://example.org/unique' });
    expect(clash.status).toBe(409);
    expect(clash.body.current.id).toBe(first.id);
    // Another negotiation may hold the same URL.
    const other = await seed(t, 'Third negotiation');
    expect((await t.post(`/api/negotiations/${other.negotiationId}/sources`, { url: 'https://example.org/unique' })).status).toBe(201);
  });

  it('reads for viewers, writes for analysts', async () => {
    const viewerUser = await t.user('viewer');
    const analyst = await t.user('analyst');
    const src = (await t.post(`${base}/sources`, { outlet: 'Roles' })).body as Source;
    expect((await t.as(viewerUser.token).get(`${base}/sources`)).status).toBe(200);
    expect((await t.as(viewerUser.token).get(`${base}/sources/${src.id}`)).status).toBe(200);
    expect((await t.as(viewerUser.token).post(`${base}/sources`, { outlet: 'No' })).status).toBe(403);
    expect((await t.as(viewerUser.token).patch(`${base}/sources/${src.id}`, { outlet: 'No' })).status).toBe(403);
    expect((await t.as(analyst.token).post(`${base}/sources`, { outlet: 'Yes' })).status).toBe(201);
    expect((await t.as(analyst.token).patch(`${base}/sources/${src.id}`, { outlet: 'Roles, corrected' })).status).toBe(200);
    expect(await t.request('DELETE', `${base}/sources/${src.id}`)).toMatchObject({ status: 404 });
  });

  it('are audited (created and updated, with the state before) and go live as source.created / source.updated', async () => {
    const head = (await t.get(base)).body.seq as number;
    viewer = watch(t, s.slug, head);
    await until('live', () => viewer?.client.state === 'live');
    const created = (await t.post(`${base}/sources`, { outlet: 'Live', title: 'One' })).body as Source;
    await t.patch(`${base}/sources/${created.id}`, { title: 'Two' });
    const inline = await t.post(`${base}/stances`, stance(s.parties[0].id, s.points[1].id, { source: { outlet: 'Live inline', title: 'Three' } }));
    await until('four changes', () => (viewer?.changes.length ?? 0) >= 4);
    const got = viewer?.changes as ChangeEntry[];
    expect(got.map((c) => c.kind)).toEqual(['source.created', 'source.updated', 'source.created', 'stance.recorded']);
    expect(got[0].data).toEqual(created);
    expect(got[1].data).toMatchObject({ id: created.id, title: 'Two', version: 2 });
    expect(got[2].data).toMatchObject({ id: inline.body.event.source.id, outlet: 'Live inline' });
    expect(got.map((c) => c.seq)).toEqual([head + 1, head + 2, head + 3, head + 4]);

    const audit = (await t.get(`/api/audit?negotiationId=${s.negotiationId}&limit=1000`)).body.items as { action: string; entityId: string; before: any; after: any }[];
    const mine = audit.filter((a) => a.entityId === created.id);
    expect(mine.map((a) => a.action).sort()).toEqual(['source.created', 'source.updated']);
    expect(mine.find((a) => a.action === 'source.updated')).toMatchObject({ before: { title: 'One' }, after: { title: 'Two' } });
    expect(audit.some((a) => a.action === 'source.created' && a.entityId === inline.body.event.source.id)).toBe(true);
  });

  it('a CSV import takes sourceKind and sourceLanguage, and finds or creates sources like the API', async () => {
    const csv = [
      'party,point,position,effectiveAt,sourceOutlet,sourceTitle,sourceKind,sourceLanguage',
      `AA,${s.points[0].code},amend,2025-11-24,RIA Novosti,Интервью,interview,ru`,
      `BB,${s.points[0].code},amend,2025-11-24,RIA Novosti,Интервью,,`,
      `CC,${s.points[0].code},amend,2025-11-24,,,,`,
    ].join('\n');
    const res = await t.request('POST', `/api/negotiations/import?negotiation=${s.slug}&kind=stances`, csv, { 'content-type': 'text/csv' });
    expect({ status: res.status, errors: res.body.errors }).toEqual({ status: 200, errors: [] });
    const sources = (await t.get(`${base}/sources`)).body as Source[];
    const ria = sources.filter((x) => x.outlet === 'RIA Novosti');
    expect(ria).toEqual([expect.objectContaining({ kind: 'interview', language: 'ru', title: 'Интервью' })]);
    expect(((await t.get(`${base}/sources/${ria[0].id}`)).body as SourceDetail).citedBy).toBe(2);
    // The change-log CSV carries the kind and language back out, in the import's columns.
    const exported = await (await fetch(`${t.url}${base}/export.csv?table=changes`, { headers: { authorization: `Bearer ${t.adminToken}` } })).text();
    const [header, ...lines] = exported.trim().split('\r\n');
    const columns = header.split(',');
    const riaLine = lines.map((l) => l.split(',')).find((cells) => cells[columns.indexOf('sourceOutlet')] === 'RIA Novosti');
    expect([riaLine?.[columns.indexOf('sourceKind')], riaLine?.[columns.indexOf('sourceLanguage')]]).toEqual(['interview', 'ru']);

    const bad = await t.request('POST', `/api/negotiations/import?negotiation=${s.slug}&kind=stances`, `party,point,position,effectiveAt,sourceOutlet,sourceKind\nAA,${s.points[1].code},amend,2025-11-24,X,rumour\n`, { 'content-type': 'text/csv' });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field)).toContain('row 2: sourceKind');
  });
});

describe('a dump written before sources were records', () => {
  let from: TestApp;
  let into: TestApp;

  beforeAll(async () => {
    from = await startApp();
    into = await startApp();
  });
  afterAll(async () => {
    await from.close();
    await into.close();
  });

  it('imports, deriving its sources from the inline citations by the dedup rule, and is recognised as already imported', async () => {
    const s = await seed(from, 'Old dump');
    const base = `/api/negotiations/${s.negotiationId}`;
    await from.post(`${base}/stances`, stance(s.parties[0].id, s.points[0].id, { source: { url: 'https://example.org/old', outlet: 'Reuters', title: 'First' } }));
    await from.post(`${base}/stances`, stance(s.parties[1].id, s.points[0].id, { source: { url: 'https://example.org/old', outlet: 'Reuters', title: 'First' } }));
    await from.post(`${base}/stances`, stance(s.parties[2].id, s.points[0].id, { source: { outlet: 'AP', title: 'Second' } }));
    await from.post(`${base}/stances`, stance(s.parties[0].id, s.points[1].id, { source: {} }));
    const current = JSON.parse(await (await fetch(`${from.url}${base}/export.json`, { headers: { authorization: `Bearer ${from.adminToken}` } })).text()) as Record<string, any>;
    expect(current['version']).toBe(2);
    // Two cited, and the seed's own source that nothing cites (an old dump cannot hold that one).
    expect(current['sources']).toHaveLength(3);

    // The same negotiation as the previous format wrote it: no sources, no sourceId, no source changes.
    const { sources: _sources, ...rest } = current;
    const kept = (current['changes'] as { kind: string }[]).filter((c) => !c.kind.startsWith('source.'));
    const renumber = new Map(kept.map((c: any, i) => [c.seq as number, i + 1]));
    const old = {
      ...rest,
      version: 1,
      negotiation: { ...current['negotiation'], seq: kept.length },
      stanceEvents: (current['stanceEvents'] as any[]).map(({ sourceId: _id, ...e }) => ({ ...e, seq: renumber.get(e.seq) })),
      changes: kept.map((c: any) => {
        const data = c.kind === 'stance.recorded' ? { ...c.data, event: { ...c.data.event, seq: renumber.get(c.data.event.seq) } } : c.data;
        return { ...c, seq: renumber.get(c.seq), data };
      }),
    };
    const imported = await into.post('/api/negotiations/import', JSON.stringify(old));
    expect({ status: imported.status, errors: imported.body.errors }).toEqual({ status: 200, errors: [] });
    expect(imported.body.counts.sources).toEqual({ created: 2, updated: 0, unchanged: 0 });

    const sources = (await into.get(`${base}/sources`)).body as Source[];
    expect(sources.map(({ kind, outlet, title, url }) => ({ kind, outlet, title, url }))).toEqual([
      { kind: 'news_report', outlet: 'Reuters', title: 'First', url: 'https://example.org/old' },
      { kind: 'news_report', outlet: 'AP', title: 'Second', url: null },
    ]);
    const matrix = (await into.get(`${base}/matrix`)).body as MatrixView;
    expect(sourceOf(matrix, s.parties[0].id, s.points[0].id)?.id).toBe(sources[0].id);
    expect(sourceOf(matrix, s.parties[1].id, s.points[0].id)?.id).toBe(sources[0].id);
    expect(sourceOf(matrix, s.parties[2].id, s.points[0].id)?.id).toBe(sources[1].id);
    expect(sourceOf(matrix, s.parties[0].id, s.points[1].id)?.id).toBeNull();

    // The same old file again: no change. Its export is today's format and imports as such.
    const again = await into.post('/api/negotiations/import', JSON.stringify(old));
    expect({ status: again.status, unchanged: again.body.unchanged }).toEqual({ status: 200, unchanged: true });
    const exported = await (await fetch(`${into.url}${base}/export.json`, { headers: { authorization: `Bearer ${into.adminToken}` } })).text();
    expect(JSON.parse(exported).sources).toHaveLength(2);
    expect((await into.post('/api/negotiations/import', exported)).body.unchanged).toBe(true);
  });
});
