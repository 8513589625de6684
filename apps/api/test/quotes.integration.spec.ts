import { parse } from 'csv-parse/sync';
import { fingerprint, seed, stance, startApp, type Seeded, type TestApp } from './harness';

/** A quote in its original language beside its translation: recorded, shown, exported and imported. */
describe('quotes in their original language, with a translation', () => {
  let t: TestApp;
  let s: Seeded;
  let base: string;

  beforeAll(async () => {
    t = await startApp();
    s = await seed(t, 'Quotes');
    base = `/api/negotiations/${s.negotiationId}`;
  });
  afterAll(() => t.close());

  const get = async (path: string): Promise<string> => {
    const res = await fetch(t.url + path, { headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(res.status).toBe(200);
    return res.text();
  };

  it('keeps the original words and language beside the translation, in the answer, the history and the live change', async () => {
    const [aa] = s.parties;
    const [p1] = s.points;
    const res = await t.post(
      `${base}/stances`,
      stance(aa.id, p1.id, { quote: 'Запорожская АЭС останется под нашим контролем', quoteLanguage: 'RU', translation: 'The Zaporizhzhia plant stays under our control', translationLanguage: 'en-gb' }),
    );
    expect(res.status).toBe(201);
    // Tags are kept in their canonical form.
    expect(res.body.event).toMatchObject({
      quote: 'Запорожская АЭС останется под нашим контролем',
      quoteLanguage: 'ru',
      translation: 'The Zaporizhzhia plant stays under our control',
      translationLanguage: 'en-GB',
    });
    const history = await t.get(`${base}/points/${p1.id}/history`);
    expect(history.body.events.at(-1)).toMatchObject({ quoteLanguage: 'ru', translationLanguage: 'en-GB' });
    const matrix = await t.get(`${base}/matrix`);
    const cell = matrix.body.rows.find((r: { point: { id: string } }) => r.point.id === p1.id).cells[aa.id];
    expect(cell.stance).toMatchObject({ quote: 'Запорожская АЭС останется под нашим контролем', translation: 'The Zaporizhzhia plant stays under our control' });
    // A quote without a language or translation says so with nulls.
    const plain = await t.post(`${base}/stances`, stance(aa.id, s.points[1].id, { quote: 'Never.' }));
    expect(plain.body.event).toMatchObject({ quote: 'Never.', quoteLanguage: null, translation: null, translationLanguage: null });
  });

  it('refuses a language without a quote, and a tag that is none, changing nothing', async () => {
    const [aa] = s.parties;
    const before = await fingerprint(t.db);
    const refused = await t.post(`${base}/stances`, stance(aa.id, s.points[2].id, { quote: 'Ні', quoteLanguage: 'Ukrainian' }));
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([expect.objectContaining({ field: 'quoteLanguage' })]);
    expect(await fingerprint(t.db)).toEqual(before);
  });

  it('carries both through the change-log CSV and the workbook, and a CSV with both imports them', async () => {
    const csv = await get(`${base}/export.csv?table=changes`);
    const rows = parse(csv.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
    const row = rows.find((r) => r['quoteLanguage'] === 'ru');
    expect(row).toMatchObject({ quote: 'Запорожская АЭС останется под нашим контролем', translation: 'The Zaporizhzhia plant stays under our control', translationLanguage: 'en-GB' });

    const other = await seed(t, 'Quotes, imported');
    const negotiation = (await t.get(`/api/negotiations/${other.negotiationId}`)).body.slug as string;
    const header = 'party,point,position,confidence,effectiveAt,quote,quoteLanguage,translation,translationLanguage,sourceOutlet\r\n';
    const line = `AA,${other.points[0].code},reject,official,2025-12-11,"Ми не віддамо Донбас",uk,"We will not give up Donbas",en,Ukrinform\r\n`;
    const imported = await t.request('POST', `/api/negotiations/import?negotiation=${negotiation}&kind=stances`, header + line, { 'content-type': 'text/csv' });
    expect(imported.status).toBe(200);
    const history = await t.get(`/api/negotiations/${other.negotiationId}/points/${other.points[0].id}/history`);
    expect(history.body.events).toEqual([
      expect.objectContaining({ quote: 'Ми не віддамо Донбас', quoteLanguage: 'uk', translation: 'We will not give up Donbas', translationLanguage: 'en' }),
    ]);
    // The same row again is "already imported": the language and translation are part of what it says.
    const again = await t.request('POST', `/api/negotiations/import?negotiation=${negotiation}&kind=stances`, header + line, { 'content-type': 'text/csv' });
    expect(again.body).toMatchObject({ unchanged: true });
  });

  it('round-trips through a dump, and reads a dump written before quotes kept their language as having none', async () => {
    const dump = JSON.parse(await get(`${base}/export.json`)) as { stanceEvents: Record<string, unknown>[] };
    expect(dump.stanceEvents.find((e) => e['quoteLanguage'] === 'ru')).toMatchObject({ translation: 'The Zaporizhzhia plant stays under our control', translationLanguage: 'en-GB' });

    const older = structuredClone(dump);
    for (const e of older.stanceEvents) {
      delete e['quoteLanguage'];
      delete e['translation'];
      delete e['translationLanguage'];
    }
    const other = await startApp();
    try {
      const res = await other.post('/api/negotiations/import', JSON.stringify(older));
      expect(res.status).toBe(200);
      const res2 = await fetch(`${other.url}${base}/export.json`, { headers: { authorization: `Bearer ${other.adminToken}` } });
      const reread = JSON.parse(await res2.text()) as typeof dump;
      expect(reread.stanceEvents.map((e) => [e['quote'], e['quoteLanguage'], e['translation'], e['translationLanguage']])).toEqual(
        dump.stanceEvents.map((e) => [e['quote'], null, null, null]),
      );
    } finally {
      await other.close();
    }
  });
});
