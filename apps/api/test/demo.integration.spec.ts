import { DemoLoader } from '../src/demo/demo-loader.service';
import { UKRAINE_2025 } from '../src/demo/ukraine-2025';
import { fingerprint, startApp, type TestApp } from './harness';

describe('demo dataset', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('loads through the API services, and loading again changes nothing', async () => {
    const loader = t.app.get(DemoLoader);
    expect(await loader.isEmpty()).toBe(true);
    expect(await loader.load(UKRAINE_2025)).toBe('loaded');
    const after = await fingerprint(t.db);
    expect(await loader.load(UKRAINE_2025)).toBe('present');
    expect(await fingerprint(t.db)).toEqual(after);
  });

  it('holds the negotiation of FACTS.md: 5 parties with actors, 28+ points, 4 documents, milestones, 40+ sourced stances', async () => {
    const base = `/api/negotiations/${UKRAINE_2025.negotiation.slug}`;
    const parties = (await t.get(`${base}/parties`)).body;
    expect(parties.map((p: { code: string }) => p.code)).toEqual(['RU', 'UA', 'US', 'EU', 'NATO']);
    expect(parties.every((p: { actors: unknown[] }) => p.actors.length > 0)).toBe(true);
    expect((await t.get(`${base}/points`)).body.length).toBeGreaterThanOrEqual(28);
    const documents = (await t.get(`${base}/documents`)).body;
    expect(documents).toHaveLength(4);
    expect(documents[0].provisions).toHaveLength(28);
    expect((await t.get(`${base}/milestones`)).body.length).toBeGreaterThanOrEqual(10);
    const changes = (await t.get(`${base}/changes?limit=1000`)).body.items as { kind: string; event: { effectiveAt: string; source: { outlet: string | null } } }[];
    const recorded = changes.filter((c) => c.kind === 'stance.recorded');
    expect(recorded.length).toBeGreaterThanOrEqual(40);
    expect(recorded.every((c) => c.event.source.outlet)).toBe(true);
    const dates = recorded.map((c) => c.event.effectiveAt).sort();
    expect(dates[0] >= '2025-11-20').toBe(true);
    expect(dates.at(-1)! < '2025-12-30').toBe(true);
    expect(changes.some((c) => c.kind === 'stance.retracted')).toBe(true);
  });

  it('makes the matrix and the convergence curve move over time', async () => {
    const base = `/api/negotiations/${UKRAINE_2025.negotiation.slug}`;
    const metrics = (await t.get(`${base}/metrics?from=2025-11-20&to=2025-12-31`)).body;
    const agreed = metrics.series.map((p: { agreed: number }) => p.agreed);
    const addressed = metrics.series.map((p: { addressed: number }) => p.addressed);
    expect(new Set(agreed).size).toBeGreaterThan(2);
    expect(addressed.at(-1)).toBeGreaterThan(addressed[0]);
    const early = (await t.get(`${base}/matrix?asOf=2025-11-22`)).body;
    const late = (await t.get(`${base}/matrix?asOf=2025-12-28`)).body;
    const stated = (m: { rows: { summary: { stated: number } }[] }) => m.rows.reduce((n, r) => n + r.summary.stated, 0);
    expect(stated(late)).toBeGreaterThan(stated(early));
  });
});
