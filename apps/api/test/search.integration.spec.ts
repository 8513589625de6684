import type { SearchHit, SearchResult } from '@parley/contracts';
import { seed, stance, startApp, type Seeded, type TestApp } from './harness';

/** A hit as a short line: its kind, what it belongs to, its field and score. */
const line = (h: SearchHit) =>
  h.kind === 'stance' ? `stance ${h.stance.id.slice(-4)} ${h.field} ${h.score}` : h.kind === 'point' ? `point ${h.point.code} ${h.field} ${h.score}` : h.kind === 'provision' ? `provision ${h.provision.number} ${h.field} ${h.score}` : h.kind === 'proposal' ? `proposal ${h.proposal.id.slice(-4)} ${h.field} ${h.score}` : `${h.kind} ${h.source.title} ${h.field} ${h.score}`;
const marked = (h: SearchHit) => h.snippet.filter((p) => p.match).map((p) => p.text);

/** One search over quotes (both languages), notes, points, provisions and sources; the same answers on SQLite and PostgreSQL. */
describe('search', () => {
  let t: TestApp;
  let s: Seeded;
  let base: string;
  const ids: Record<string, string> = {};
  const find = async (q: string, extra = '') => {
    const res = await t.get<SearchResult>(`${base}/search?q=${encodeURIComponent(q)}${extra}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    t = await startApp({ VIEW_ACCESS: 'private' });
    s = await seed(t);
    base = `/api/negotiations/${s.negotiationId}`;
    const [aa, bb, cc] = s.parties;
    const [p1, p2, p3] = s.points;
    const write = async (name: string, body: Record<string, unknown>) => {
      const res = await t.post(`${base}/stances`, body);
      expect(res.status).toBe(201);
      ids[name] = res.body.event.id as string;
    };
    await write('uk', stance(aa.id, p1.id, { quote: 'Ми не віддамо Запоріжжя', quoteLanguage: 'uk', translation: 'We will not give up Zaporizhzhia', translationLanguage: 'en', effectiveAt: '2025-11-20' }));
    await write('ru', stance(bb.id, p1.id, { position: 'red_line', quote: 'Запорожье останется российским', quoteLanguage: 'ru', translation: 'Zaporizhzhia will remain Russian', translationLanguage: 'en', effectiveAt: '2025-11-21' }));
    await write('note', stance(cc.id, p1.id, { note: 'Réunion à Genève: Zaporizhzhia discussed, no text', effectiveAt: '2025-11-22' }));
    await write('old', stance(cc.id, p2.id, { quote: 'Geneve talks on prisoners', effectiveAt: '2025-11-19' }));
    await write('plain', stance(aa.id, p2.id, { effectiveAt: '2025-11-19' }));
    expect((await t.post(`/api/stance-events/${ids['old']}/retract`, { reason: 'misreported' })).status).toBe(201);
    const point = await t.get(`${base}/points/${p3.id}`);
    expect((await t.patch(`${base}/points/${p3.id}`, { title: 'Zaporizhzhia nuclear plant', expectedVersion: point.body.version })).status).toBe(200);
    const doc = await t.post(`${base}/documents`, {
      title: 'Draft A',
      publishedAt: '2025-11-20',
      provisions: [{ pointId: p3.id, number: '12', text: 'The Zaporizhzhia plant is restarted under IAEA supervision.' }],
    });
    expect(doc.status).toBe(201);
    expect((await t.post(`${base}/sources`, { outlet: 'Українська правда', title: 'Переговори в Женеві', description: 'Interview in Genève' })).status).toBe(201);
  });
  afterAll(() => t.close());

  it('finds a Cyrillic word in its quote, and its transliteration in the translation and elsewhere', async () => {
    const ru = await find('Запорожье');
    expect(ru.hits.map((h) => h.kind === 'stance' && h.stance.id)).toEqual([ids['ru']]);
    expect(ru.hits[0]).toMatchObject({ kind: 'stance', field: 'quote', stance: { partyId: s.parties[1].id, partyCode: 'BB', partyName: 'Party BB', pointId: s.points[0].id, pointCode: 'p01', pointTitle: 'Point 1', position: 'red_line', effectiveAt: '2025-11-21T00:00:00.000Z', retracted: false, quoteLanguage: 'ru' } });
    expect(ru.hits[0].snippet).toEqual([
      { text: 'Запорожье', match: true },
      { text: ' останется российским', match: false },
    ]);
    // Case folds in Cyrillic too; Ukrainian is its own word.
    expect((await find('ЗАПОРОЖЬЕ')).hits).toHaveLength(1);
    expect((await find('Запоріжжя')).hits.map((h) => h.kind === 'stance' && h.stance.id)).toEqual([ids['uk']]);
    const latin = await find('Zaporizhzhia');
    expect(latin.hits.map(line)).toEqual([
      `stance ${ids['ru'].slice(-4)} translation 5`,
      `stance ${ids['uk'].slice(-4)} translation 5`,
      'point p03 title 4',
      `provision 12 text 3`,
      `stance ${ids['note'].slice(-4)} note 2`,
    ]);
    expect(marked(latin.hits[0])).toEqual(['Zaporizhzhia']);
    expect(latin).toMatchObject({ total: 5, truncated: false });
  });

  it('finds a Latin word with or without its diacritics, and says which events are retracted', async () => {
    for (const q of ['Genève', 'geneve', 'GENEVE', 'Genéve']) {
      const res = await find(q);
      expect(res.hits.map(line)).toEqual([`stance ${ids['old'].slice(-4)} quote 5`, `stance ${ids['note'].slice(-4)} note 2`, 'source Переговори в Женеві description 1']);
    }
    const res = await find('geneve');
    expect(res.hits[0]).toMatchObject({ stance: { retracted: true } });
    expect(marked(res.hits[1])).toEqual(['Genève']);
    expect(marked(res.hits[0])).toEqual(['Geneve']);
  });

  it('needs every word, keeps a quoted phrase in order, takes a prefix, and searches only the kinds asked', async () => {
    expect((await find('give up Zaporizhzhia')).hits.map((h) => h.kind === 'stance' && h.stance.id)).toEqual([ids['uk']]);
    expect((await find('"give up"')).hits).toHaveLength(1);
    expect((await find('"up give"')).hits).toHaveLength(0);
    expect((await find('Zaporizhzhia Женеві')).hits).toHaveLength(0);
    expect((await find('Zapor*')).total).toBe(5);
    expect((await find('Zapor*', '&kinds=point,provision')).hits.map((h) => h.kind)).toEqual(['point', 'provision']);
    expect((await find('Zaporizhzhia', '&limit=2')).hits).toHaveLength(2);
    expect((await find('Українська')).hits.map(line)).toEqual(['source Переговори в Женеві outlet 2']);
    // A point's old title is no longer found once changed.
    expect((await find('"Point 3"')).hits).toHaveLength(0);
    expect((await find('"Point 2"')).hits.map(line)).toEqual(['point p02 title 4']);
  });

  it('finds words in a source\'s latest archived copy, naming the source, and not those only an older copy had', async () => {
    const created = await t.post(`${base}/sources`, { outlet: 'Kyiv Post', title: 'Talks resume', publishedAt: '2025-11-23' });
    expect(created.status).toBe(201);
    const archive = (text: string) => t.request('PUT', `${base}/sources/${created.body.id}/archive`, text, { 'content-type': 'text/plain; charset=utf-8' });
    expect((await archive('Delegates met in Bishkek before the summit.')).status).toBeLessThan(300);
    expect((await find('Bishkek', '&kinds=archive')).hits).toHaveLength(1);
    expect((await archive('Delegates met in Énergodar; the Запорізька plant was discussed.')).status).toBeLessThan(300);
    const hits = (await find('energodar')).hits;
    expect(hits).toEqual([expect.objectContaining({ kind: 'archive', field: 'archived', source: expect.objectContaining({ id: created.body.id, outlet: 'Kyiv Post' }) })]);
    expect(marked(hits[0]!)).toEqual(['Énergodar']);
    expect((await find('Запорізька')).hits.map((h) => h.kind)).toEqual(['archive']);
    // The older copy is history: its words no longer find the source.
    expect((await find('Bishkek')).hits).toEqual([]);
  });

  it('answers 400 naming q for a query without words, and never a 5xx for the query languages’ syntax', async () => {
    for (const q of ['', '   ', '***', '"', '-', ':', 'ab*', 'x'.repeat(201)]) {
      const res = await t.get(`${base}/search?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain('query.q');
    }
    expect((await t.get(`${base}/search`)).status).toBe(400);
    expect((await t.get(`${base}/search?q=a&kinds=stance,nope`)).body.details[0].field).toMatch(/^query\.kinds/);
    expect((await t.get(`${base}/search?q=a&limit=0`)).body.details[0].field).toBe('query.limit');
    for (const q of ['NEAR(give up)', 'give OR up', 'give AND NOT up', 'quote:give', '-give', '"give', 'give"', '^give', '(give)', "give'); DROP TABLE points; --", 'give\\', '%_', 'give*', '{quote}: give', 'give + up', "'give'", 'give & up | x', 'give <-> up', 'give:*', 'שָׁלוֹם', 'x\u0301y', 'a\u200db', '\u0301']) {
      const res = await t.get(`${base}/search?q=${encodeURIComponent(q)}`);
      expect([200, 400]).toContain(res.status);
    }
    expect((await find('NEAR(give up)')).hits.map((h) => h.kind === 'stance' && h.stance.id)).toEqual([]);
    expect((await find('quote:give')).hits).toHaveLength(0);
    expect((await find('give:*')).hits.map((h) => h.kind === 'stance' && h.stance.id)).toEqual([ids['uk']]);
  });

  it('is read access: a viewer may, a share link only in its negotiation, no credential is a 401 on a private installation', async () => {
    const viewer = await t.user('viewer');
    expect((await t.as(viewer.token).get(`${base}/search?q=Zaporizhzhia`)).body.total).toBe(5);
    expect((await t.as(null).get(`${base}/search?q=Zaporizhzhia`)).status).toBe(401);
    const link = await t.post(`${base}/share-links`, { label: 'search' });
    expect((await t.as(link.body.token).get(`${base}/search?q=Zaporizhzhia`)).body.total).toBe(5);
    const other = await seed(t, 'Other negotiation');
    const res = await t.as(link.body.token).get(`/api/negotiations/${other.negotiationId}/search?q=Point`);
    expect(res.status).toBe(403);
    // The other negotiation's texts never show in this one's search.
    expect((await find('"Point 1"')).hits.map(line)).toEqual(['point p01 title 4']);
    expect((await t.get(`/api/negotiations/${other.slug}/search?q=Zaporizhzhia`)).body.total).toBe(0);
  });
});
