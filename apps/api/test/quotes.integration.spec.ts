import type { MatrixView, StanceEvent } from '@parley/contracts';
import { StanceIndexes } from '../src/matrix/stance-indexes.service';
import { fingerprint, seed, stance, startApp, type Seeded, type TestApp } from './harness';

/** A quote keeps its original text and language beside an optional translation, everywhere a stance goes. */
describe('quotes in their language, with a translation', () => {
  let t: TestApp;
  let s: Seeded;
  let base: string;
  const said = { quote: 'Ми не віддамо Донбас', quoteLanguage: 'uk', translation: 'We will not give up the Donbas', translationLanguage: 'en' };

  beforeAll(async () => {
    t = await startApp();
    s = await seed(t);
    base = `/api/negotiations/${s.negotiationId}`;
  });
  afterAll(() => t.close());

  const cellOf = (view: MatrixView, partyId: string, pointId: string) => view.rows.find((r) => r.point.id === pointId)?.cells[partyId]?.stance;

  it('are recorded and shown by the event, a point history and the matrix (from the tables and from the index)', async () => {
    const recorded = await t.post(`${base}/stances`, stance(s.parties[1].id, s.points[0].id, { ...said, effectiveAt: '2025-11-21' }));
    expect(recorded.status).toBe(201);
    const event = recorded.body.event as StanceEvent;
    expect(event).toMatchObject(said);
    expect(((await t.get(`/api/stance-events/${event.id}`)).body as StanceEvent)).toMatchObject(said);
    const history = (await t.get(`${base}/points/${s.points[0].id}/history`)).body as { events: StanceEvent[] };
    expect(history.events.find((e) => e.id === event.id)).toMatchObject(said);
    expect(cellOf((await t.get(`${base}/matrix`)).body, s.parties[1].id, s.points[0].id)).toMatchObject(said);
    await t.app.get(StanceIndexes).at(s.negotiationId, (await t.get(base)).body.seq);
    expect(cellOf((await t.get(`${base}/matrix?asOf=2025-11-30`)).body, s.parties[1].id, s.points[0].id)).toMatchObject(said);
    // A quote without language or translation has them null.
    const plain = await t.post(`${base}/stances`, stance(s.parties[2].id, s.points[0].id, { quote: 'No comment' }));
    expect(plain.body.event).toMatchObject({ quote: 'No comment', quoteLanguage: null, translation: null, translationLanguage: null });
  });

  it('refuses a language or translation without what it belongs to, and a malformed tag, naming the field', async () => {
    const before = await fingerprint(t.db);
    const cases: [Record<string, unknown>, string][] = [
      [{ translation: 'x' }, 'translation'],
      [{ quoteLanguage: 'uk' }, 'quoteLanguage'],
      [{ quote: 'x', translationLanguage: 'en' }, 'translationLanguage'],
      [{ quote: 'x', quoteLanguage: 'ukrainian' }, 'quoteLanguage'],
      [{ quote: 'x', translation: 'y', translationLanguage: 'e n' }, 'translationLanguage'],
    ];
    for (const [extra, field] of cases) {
      const res = await t.post(`${base}/stances`, stance(s.parties[0].id, s.points[1].id, extra));
      expect({ extra, status: res.status, fields: res.body.details?.map((d: { field: string }) => d.field) }).toEqual({ extra, status: 400, fields: [field] });
    }
    expect(await fingerprint(t.db)).toEqual(before);
  });

  it('go through the change-log CSV and back in through a CSV import, and through the dump', async () => {
    const csv = [
      'party,point,position,effectiveAt,sourceOutlet,quote,quoteLanguage,translation,translationLanguage',
      `AA,${s.points[2].code},reject,2025-11-25,Kremlin,"Это неприемлемо",ru,"This is unacceptable",en`,
    ].join('\n');
    const imported = await t.request('POST', `/api/negotiations/import?negotiation=${s.slug}&kind=stances`, csv, { 'content-type': 'text/csv' });
    expect({ status: imported.status, errors: imported.body.errors }).toEqual({ status: 200, errors: [] });
    const row = cellOf((await t.get(`${base}/matrix`)).body, s.parties[0].id, s.points[2].id);
    expect(row).toMatchObject({ quote: 'Это неприемлемо', quoteLanguage: 'ru', translation: 'This is unacceptable', translationLanguage: 'en' });
    // The same file again changes nothing.
    const again = await t.request('POST', `/api/negotiations/import?negotiation=${s.slug}&kind=stances`, csv, { 'content-type': 'text/csv' });
    expect(again.body.unchanged).toBe(true);

    const exported = await (await fetch(`${t.url}${base}/export.csv?table=changes`, { headers: { authorization: `Bearer ${t.adminToken}` } })).text();
    const [header, ...lines] = exported.trim().split('\r\n');
    const columns = header.split(',');
    const line = lines.map((l) => l.split(',')).find((cells) => cells[columns.indexOf('quote')] === 'Это неприемлемо');
    expect(['quoteLanguage', 'translation', 'translationLanguage'].map((c) => line?.[columns.indexOf(c)])).toEqual(['ru', 'This is unacceptable', 'en']);

    const dump = JSON.parse(await (await fetch(`${t.url}${base}/export.json`, { headers: { authorization: `Bearer ${t.adminToken}` } })).text()) as { stanceEvents: Record<string, unknown>[] };
    expect(dump.stanceEvents.find((e) => e['quote'] === said.quote)).toMatchObject(said);
  });
});
