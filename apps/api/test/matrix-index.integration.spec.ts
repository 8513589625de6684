import { POSITIONS, type MatrixCell, type MatrixView, type MetricsView } from '@parley/contracts';
import { convergenceSeries, type StanceFact } from '@parley/domain';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../src/bootstrap';
import { MatrixService } from '../src/matrix/matrix.service';
import { StanceIndexes } from '../src/matrix/stance-indexes.service';
import { seed, stance, startApp, type Seeded, type TestApp } from './harness';

const DAY = 86_400_000;
const START = Date.UTC(2025, 10, 1);

/** Deterministic PRNG (mulberry32), so that a failure replays. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function facts(t: TestApp, negotiationId: string): Promise<StanceFact[]> {
  const q = t.db.driver === 'postgres' ? '$1' : '?';
  const rows: Record<string, string | number | null>[] = await t.db.read.query(
    `SELECT e.id, e.party_id, e.point_id, e.position, e.effective_at, e.recorded_at, e.seq, r.recorded_at AS retracted_at
       FROM stance_events e LEFT JOIN stance_retractions r ON r.event_id = e.id WHERE e.negotiation_id = ${q}`,
    [negotiationId],
  );
  return rows.map((r) => ({
    id: String(r['id']),
    partyId: String(r['party_id']),
    pointId: String(r['point_id']),
    position: r['position'] as StanceFact['position'],
    effectiveAt: Number(r['effective_at']),
    recordedAt: Number(r['recorded_at']),
    seq: Number(r['seq']),
    retractedAt: r['retracted_at'] === null ? null : Number(r['retracted_at']),
  }));
}

type TextedCell = MatrixCell & { text: string };

/** Each cell with its stance as JSON text too, so that the comparisons also hold the fields' order. */
function texted(byPoint: Record<string, Record<string, MatrixCell>>): Record<string, Record<string, TextedCell>> {
  const out: Record<string, Record<string, TextedCell>> = {};
  for (const [pointId, cells] of Object.entries(byPoint)) {
    out[pointId] = {};
    for (const [partyId, cell] of Object.entries(cells)) out[pointId][partyId] = { ...cell, text: JSON.stringify(cell.stance) };
  }
  return out;
}

/** The matrix's cells per point as JSON would carry them. */
function cellsOf(view: MatrixView): Record<string, Record<string, TextedCell>> {
  return texted(Object.fromEntries(view.rows.map((r) => [r.point.id, r.cells])));
}

describe('the in-memory as-of index answers exactly as the SQL path', () => {
  let t: TestApp;
  let s: Seeded;
  let base: string;
  const recordedAt: number[] = [];

  /** The SQL path's answer (the reference), in the shape of the HTTP answer. */
  const reference = async (asOf?: number, knownAt?: number) => {
    const byPoint = await t.app.get(MatrixService).cellsFromTables(s.negotiationId, asOf, knownAt);
    const out: Record<string, Record<string, MatrixCell>> = {};
    for (const point of s.points) out[point.id] = byPoint.get(point.id) ?? {};
    return texted(JSON.parse(JSON.stringify(out)) as Record<string, Record<string, MatrixCell>>);
  };
  const viaIndex = async (asOf?: number, knownAt?: number) => {
    const params = new URLSearchParams();
    if (asOf !== undefined) params.set('asOf', new Date(asOf).toISOString());
    if (knownAt !== undefined) params.set('knownAt', new Date(knownAt).toISOString());
    const res = await t.get<MatrixView>(`${base}/matrix?${params.toString()}`);
    expect(res.status).toBe(200);
    return cellsOf(res.body);
  };

  /** The first read after a start is answered from the tables while the index builds: wait for it. */
  const buildIndex = async () => {
    const head = (await t.get<{ seq: number }>(base)).body.seq;
    await t.app.get(StanceIndexes).at(s.negotiationId, head);
  };
  const views: [number | undefined, number | undefined][] = [[undefined, undefined]];

  beforeAll(async () => {
    t = await startApp();
    s = await seed(t);
    base = `/api/negotiations/${s.negotiationId}`;
  });
  afterAll(() => t.close());

  it('over a random history with back-dated reports, equal times, batches and retractions, at random views', async () => {
    const random = prng(11);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    // Built before the history: from here on the index follows the change stream.
    await buildIndex();
    expect(await viaIndex()).toEqual(await reference());
    const ids: string[] = [];
    const item = () => {
      const party = pick(s.parties);
      const day = new Date(START + Math.floor(random() * 20) * DAY).toISOString();
      const quoted = random() < 0.3;
      const translated = quoted && random() < 0.5;
      return stance(party.id, pick(s.points).id, {
        position: pick(POSITIONS),
        // Mostly days, a few of them: many equal effective times, ordered by recordedAt then seq.
        effectiveAt: random() < 0.8 ? day.slice(0, 10) : day.replace('T00:00', `T${String(Math.floor(random() * 24)).padStart(2, '0')}:17`),
        note: random() < 0.5 ? `n${ids.length}` : undefined,
        quote: quoted ? `“цитата ${ids.length}”` : undefined,
        quoteLanguage: quoted ? pick(['ru', 'uk', 'en']) : undefined,
        translation: translated ? `“quote ${ids.length}”` : undefined,
        translationLanguage: translated ? 'en' : undefined,
        confidence: pick(['official', 'reported', 'leaked', 'unverified']),
        actorId: party.actors.length > 0 && random() < 0.5 ? pick(party.actors).id : undefined,
        conditions: random() < 0.3 ? { text: 'only if', pointIds: [pick(s.points).id] } : undefined,
        // Corroboration: several articles of one outlet (spelt with other case and spaces), sources without an outlet, events citing none.
        source: pick([
          () => ({ outlet: pick(['Reuters', 'AP', ' reuters', 'The  Guardian', 'the guardian']), url: `https://example.org/${ids.length}`, publishedAt: day.slice(0, 10) }),
          () => ({ outlet: 'TASS', title: 'A headline' }),
          () => ({ kind: 'paraphrased_reporting', description: pick(['Witkoff, in Moscow', 'Rutte, at NATO']) }),
          () => ({}),
        ])(),
      });
    };
    for (let i = 0; i < 60; i++) {
      if (i % 10 === 9) {
        const batch = await t.post(`${base}/stances/batch`, { events: [item(), item(), item()] });
        expect(batch.status).toBe(201);
        for (const r of batch.body.results) {
          ids.push(r.event.id);
          recordedAt.push(Date.parse(r.event.recordedAt));
        }
      } else {
        const res = await t.post(`${base}/stances`, item());
        expect({ status: res.status, body: res.status === 201 ? null : res.body }).toEqual({ status: 201, body: null });
        ids.push(res.body.event.id);
        recordedAt.push(Date.parse(res.body.event.recordedAt));
      }
      if (i % 7 === 3) {
        const retracted = await t.post(`/api/stance-events/${pick(ids)}/retract`, { reason: 'wrong source' });
        expect([200, 201, 409]).toContain(retracted.status);
        if (retracted.status < 300) recordedAt.push(Date.parse(retracted.body.event.retraction.recordedAt));
      }
      if (i % 4 === 0) await t.patch(`${base}/points/${pick(s.points).id}`, { description: `edit ${i}` });
      // A corrected source shows on every event citing it, at any date.
      if (i % 6 === 2) {
        const sources = (await t.get<{ id: string }[]>(`${base}/sources`)).body;
        expect((await t.patch(`${base}/sources/${pick(sources).id}`, { title: `corrected ${i}`, language: pick(['en', 'uk', null]) })).status).toBe(200);
        // A corrected outlet changes which outlets corroborate, at every date.
        if (i % 12 === 2) expect((await t.patch(`${base}/sources/${pick(sources).id}`, { outlet: pick(['AP', 'Kyiv Independent']) })).status).toBe(200);
      }
      if (i % 15 === 0) expect(await viaIndex()).toEqual(await reference());
    }
    for (let i = 0; i < 40; i++) {
      const asOf = START + Math.floor(random() * 22 * DAY) - DAY;
      // knownAt on and around the recording times, where it decides.
      const knownAt = pick(recordedAt) + pick([-1, 0, 1]);
      views.push([asOf, undefined], [undefined, knownAt], [asOf, knownAt], [START + Math.floor(random() * 20) * DAY, knownAt]);
    }
    const seen = { corroborated: 0, single: 0, sourcesWithoutOutlets: 0 };
    for (const [asOf, knownAt] of views) {
      const cells = await viaIndex(asOf, knownAt);
      expect({ asOf, knownAt, cells }).toEqual({ asOf, knownAt, cells: await reference(asOf, knownAt) });
      for (const cell of Object.values(cells).flatMap((byParty) => Object.values(byParty))) {
        if (cell.corroboration.corroborated) seen.corroborated += 1;
        else if (cell.corroboration.outlets === 1) seen.single += 1;
        if (cell.corroboration.sources > cell.corroboration.outlets) seen.sourcesWithoutOutlets += 1;
      }
    }
    // Each case occurs, or the equality proves little.
    expect(seen.corroborated).toBeGreaterThan(0);
    expect(seen.single).toBeGreaterThan(0);
    expect(seen.sourcesWithoutOutlets).toBeGreaterThan(0);
  });

  it('answers the same after a restart, from an index built from the tables alone', async () => {
    await t.restart();
    expect(await viaIndex()).toEqual(await reference()); // from the tables, while the index builds
    await buildIndex();
    for (const [asOf, knownAt] of views) expect({ asOf, knownAt, cells: await viaIndex(asOf, knownAt) }).toEqual({ asOf, knownAt, cells: await reference(asOf, knownAt) });
  });

  it('gives the convergence series of convergenceSeries over the stored events, with and without knownAt', async () => {
    const all = await facts(t, s.negotiationId);
    const partyIds = s.parties.map((p) => p.id);
    const pointIds = s.points.map((p) => p.id);
    for (const knownAt of [undefined, recordedAt[Math.floor(recordedAt.length / 2)]]) {
      const from = new Date(START - 2 * DAY).toISOString();
      const to = new Date(START + 25 * DAY).toISOString();
      const query = `from=${from}&to=${to}${knownAt === undefined ? '' : `&knownAt=${new Date(knownAt).toISOString()}`}`;
      const res = await t.get<MetricsView>(`${base}/metrics?${query}`);
      expect(res.status).toBe(200);
      const dates = res.body.series.map((p) => Date.parse(p.date));
      expect(res.body.series).toEqual(convergenceSeries(all, { partyIds, pointIds, dates, knownAt }));
    }
  });
});

describe('an index sees the writes of another node on the same database', () => {
  let t: TestApp;
  let other: NestFastifyApplication;
  let otherUrl: string;
  let s: Seeded;

  beforeAll(async () => {
    t = await startApp();
    s = await seed(t);
    other = await createApp(t.config);
    await other.listen({ port: 0, host: '127.0.0.1' });
    const address = other.getHttpServer().address();
    otherUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await other.close();
    await t.close();
  });

  const onOther = async (method: string, path: string, body: unknown) => {
    const res = await fetch(otherUrl + path, {
      method,
      headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBeLessThan(300);
    return (await res.json()) as { event: { id: string } };
  };

  it('catches up from the tables before answering when the database is ahead of it', async () => {
    const base = `/api/negotiations/${s.negotiationId}`;
    const [a, b] = s.parties;
    const [p1] = s.points;
    await t.post(`${base}/stances`, stance(a.id, p1.id, { position: 'accept', effectiveAt: '2025-12-01' }));
    const cellOf = async (partyId: string, query = '') => (await t.get<MatrixView>(`${base}/matrix${query}`)).body.rows.find((r) => r.point.id === p1.id)?.cells[partyId];
    expect((await cellOf(a.id))?.stance?.position).toBe('accept');
    await t.app.get(StanceIndexes).at(s.negotiationId, (await t.get<{ seq: number }>(base)).body.seq);

    // Written through the other node: this node's change stream never hears of it.
    const late = await onOther('POST', `${base}/stances`, stance(a.id, p1.id, { position: 'red_line', effectiveAt: '2025-12-03' }));
    await onOther('POST', `${base}/stances`, stance(b.id, p1.id, { position: 'amend', effectiveAt: '2025-12-02' }));
    expect(await cellOf(a.id)).toMatchObject({ version: 2, stance: { position: 'red_line', id: late.event.id } });
    expect((await cellOf(b.id))?.stance?.position).toBe('amend');
    expect((await cellOf(a.id, '?asOf=2025-12-02'))?.stance?.position).toBe('accept');

    await onOther('POST', `/api/stance-events/${late.event.id}/retract`, { reason: 'misreported' });
    expect(await cellOf(a.id)).toMatchObject({ version: 3, stance: { position: 'accept' } });
    // A source corrected through the other node: this node's views show the correction.
    const cited = (await cellOf(a.id))?.stance?.source.id as string;
    await onOther('PATCH', `${base}/sources/${cited}`, { title: 'Corrected elsewhere' });
    expect((await cellOf(a.id))?.stance?.source).toMatchObject({ id: cited, title: 'Corrected elsewhere' });
    expect((await cellOf(a.id, '?asOf=2025-12-02'))?.stance?.source.title).toBe('Corrected elsewhere');
    const metrics = await t.get<MetricsView>(`${base}/metrics?from=2025-12-01&to=2025-12-03`);
    expect(metrics.body.series.map((p) => p.addressed)).toEqual([1, 1, 1]);
  });
});
