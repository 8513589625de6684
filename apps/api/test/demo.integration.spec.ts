import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp, loadDemoIfEmpty } from '../src/bootstrap';
import { runCli } from '../src/cli/commands';
import { DocumentsService } from '../src/documents/documents.service';
import { DemoLoader, DemoLoadError } from '../src/demo/demo-loader.service';
import type { DemoDataset } from '../src/demo/demo-dataset';
import { UKRAINE_2025 } from '../src/demo/ukraine-2025';
import { MilestonesService } from '../src/milestones/milestones.service';
import { NegotiationsService } from '../src/negotiations/negotiations.service';
import { PartiesService } from '../src/parties/parties.service';
import { PointsService } from '../src/points/points.service';
import { StancesService } from '../src/stances/stances.service';
import { DRIVER, fingerprint, startApp, type TestApp } from './harness';

const SLUG = UKRAINE_2025.negotiation.slug;
const base = `/api/negotiations/${SLUG}`;

describe('demo dataset', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('loads through the API services, and loading again changes nothing', async () => {
    const loader = t.app.get(DemoLoader);
    expect(await loader.isEmpty()).toBe(true);
    expect(await loader.load(UKRAINE_2025)).toEqual({
      outcome: 'loaded',
      added: {
        parties: UKRAINE_2025.parties.length,
        points: UKRAINE_2025.points.length,
        documents: UKRAINE_2025.documents.length,
        milestones: UKRAINE_2025.milestones.length,
        stanceEvents: UKRAINE_2025.stances.length,
        retractions: UKRAINE_2025.retractions.length,
      },
    });
    const after = await fingerprint(t.db);
    expect((await loader.load(UKRAINE_2025)).outcome).toBe('present');
    expect(await fingerprint(t.db)).toEqual(after);
  });

  it('holds the negotiation of FACTS.md: 5 parties with actors, 28+ points, 4 documents, milestones, 40+ sourced stances', async () => {
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

/** What a loaded demo holds, by its human keys (ids differ between databases). */
async function contentOf(t: TestApp): Promise<unknown> {
  const parties = (await t.get(`${base}/parties`)).body as { id: string; code: string; name: string; parentId: string | null; actors: { name: string }[] }[];
  const points = (await t.get(`${base}/points`)).body as { id: string; code: string; title: string; derivedFrom: unknown[] }[];
  const codeOf = new Map([...parties, ...points].map((e) => [e.id, e.code]));
  const documents = (await t.get(`${base}/documents`)).body as { title: string; provisions: { pointId: string; number: string }[] }[];
  const milestones = (await t.get(`${base}/milestones`)).body as { title: string; partyIds: string[] }[];
  const changes = (await t.get(`${base}/changes?limit=1000`)).body.items as { kind: string; event: { partyId: string; pointId: string; position: string; effectiveAt: string; note: string | null } }[];
  const matrices = [];
  for (const asOf of ['2025-11-22', '2025-12-05', '2025-12-29']) {
    const m = (await t.get(`${base}/matrix?asOf=${asOf}`)).body as { rows: { point: { code: string }; cells: Record<string, { version: number; stance: { position: string } | null }> }[] };
    matrices.push(m.rows.map((r) => [r.point.code, Object.entries(r.cells).map(([party, c]) => `${codeOf.get(party)}:${c.stance?.position ?? '-'}:${c.version}`).sort()]));
  }
  return {
    parties: parties.map((p) => ({ code: p.code, name: p.name, parent: p.parentId && codeOf.get(p.parentId), actors: p.actors.map((a) => a.name) })),
    points: points.map((p) => ({ code: p.code, title: p.title, lineage: p.derivedFrom.length })),
    documents: documents.map((d) => ({ title: d.title, provisions: d.provisions.map((p) => `${codeOf.get(p.pointId)}=${p.number}`) })),
    milestones: milestones.map((m) => ({ title: m.title, parties: m.partyIds.map((id) => codeOf.get(id)) })),
    changes: changes.map((c) => `${c.kind} ${codeOf.get(c.event.partyId)}/${codeOf.get(c.event.pointId)} ${c.event.position} ${c.event.effectiveAt} ${c.event.note ?? ''}`),
    matrices,
  };
}

/**
 * What the loader of earlier versions left when it was stopped half-way: it wrote the demo step by
 * step, each step its own transaction, in this order. Reproduced with the same services, stopped
 * before step `stopAt` (or, within the points, after `points` of them).
 */
async function olderPartialLoad(app: NestFastifyApplication, data: DemoDataset, stopAt: 'points' | 'retractions', points = 0): Promise<void> {
  const author = 'demo-loader';
  const n = await app.get(NegotiationsService).create(data.negotiation, author);
  const partyId = new Map<string, string>();
  const actorId = new Map<string, string>();
  for (const p of data.parties) {
    const parentId = p.parentCode ? partyId.get(p.parentCode) : undefined;
    const party = await app.get(PartiesService).create(n.id, { code: p.code, name: p.name, kind: p.kind, color: p.color, parentId, description: p.description, actors: p.actors.map(({ name, role }) => ({ name, role })) }, author);
    partyId.set(p.code, party.id);
    p.actors.forEach((a, i) => actorId.set(a.key, party.actors[i].id));
  }
  const pointId = new Map<string, string>();
  for (const [sortOrder, p] of data.points.entries()) {
    if (stopAt === 'points' && sortOrder === points) return;
    const derivedFrom = p.derivedFrom?.map((d) => ({ pointId: pointId.get(d.code)!, kind: d.kind }));
    const point = await app.get(PointsService).create(n.id, { code: p.code, title: p.title, category: p.category, description: p.description, sortOrder, derivedFrom }, author);
    pointId.set(p.code, point.id);
  }
  const documentId = new Map<string, string>();
  for (const d of data.documents) {
    const provisions = d.provisions.map((p) => ({ pointId: pointId.get(p.pointCode)!, number: p.number, text: p.text }));
    const doc = await app.get(DocumentsService).create(n.id, { title: d.title, shortTitle: d.shortTitle, authorPartyId: d.authorPartyCode ? partyId.get(d.authorPartyCode) : undefined, publishedAt: d.publishedAt, description: d.description, sourceUrl: d.sourceUrl, provisions }, author);
    documentId.set(d.key, doc.id);
  }
  const milestoneId = new Map<string, string>();
  for (const m of data.milestones) {
    const milestone = await app.get(MilestonesService).create(n.id, { title: m.title, kind: m.kind, startsAt: m.startsAt, endsAt: m.endsAt, description: m.description, partyIds: m.partyCodes.map((c) => partyId.get(c)!) }, author);
    milestoneId.set(m.key, milestone.id);
  }
  await app.get(StancesService).recordBatch(
    n.id,
    data.stances.map((s) => ({
      partyId: partyId.get(s.party)!,
      pointId: pointId.get(s.point)!,
      position: s.position,
      confidence: s.confidence,
      effectiveAt: s.effectiveAt,
      source: s.source,
      conditions: s.conditions ? { text: s.conditions.text, pointIds: s.conditions.pointCodes?.map((c) => pointId.get(c)!) } : undefined,
      note: s.note,
      quote: s.quote,
      actorId: s.actor ? actorId.get(s.actor) : undefined,
      documentId: s.document ? documentId.get(s.document) : undefined,
      milestoneId: s.milestone ? milestoneId.get(s.milestone) : undefined,
    })),
    author,
  );
  // stopAt === 'retractions': stopped before the first retraction.
}

describe('demo load: all or nothing, and an interrupted older load is completed', () => {
  let reference: unknown;

  beforeAll(async () => {
    const t = await startApp();
    try {
      await t.app.get(DemoLoader).load(UKRAINE_2025);
      reference = await contentOf(t);
    } finally {
      await t.close();
    }
  });

  // Real failures of real rules, late in the load: everything before them was written in the transaction.
  const broken: [string, DemoDataset, string][] = [
    ['the last retraction retracts an event already retracted', { ...UKRAINE_2025, retractions: [...UKRAINE_2025.retractions, UKRAINE_2025.retractions[0]] }, 'was already retracted'],
    [
      'the last milestone ends before it starts',
      { ...UKRAINE_2025, milestones: [...UKRAINE_2025.milestones, { key: 'bad', title: 'Broken', kind: 'meeting', startsAt: '2025-12-02', endsAt: '2025-12-01', description: '', partyCodes: [] }] },
      'endsAt',
    ],
  ];

  it.each(broken)('a load that fails half-way (%s) leaves nothing; the next load loads everything', async (_name, data, message) => {
    const t = await startApp();
    try {
      const empty = await fingerprint(t.db);
      const loader = t.app.get(DemoLoader);
      await expect(loader.load(data)).rejects.toThrow(message);
      expect(await fingerprint(t.db)).toEqual(empty);
      expect(await loader.isEmpty()).toBe(true);
      expect((await loader.load(UKRAINE_2025)).outcome).toBe('loaded');
      expect(await contentOf(t)).toEqual(reference);
    } finally {
      await t.close();
    }
  });

  it.each([
    ['after 10 of the points', 'points', 10],
    ['after the stance events, before the retractions', 'retractions', 0],
  ] as const)('demo:load completes a demo an older load left partial (stopped %s), and says so', async (_name, stopAt, points) => {
    const t = await startApp();
    try {
      await olderPartialLoad(t.app, UKRAINE_2025, stopAt, points);
      const partial = await fingerprint(t.db);
      const out: string[] = [];
      expect(await runCli(['demo:load'], t.config, (line) => out.push(line))).toBe(0);
      expect(out.at(-1)).toMatch(new RegExp(`^Demo negotiation '${SLUG}' was incomplete \\(an earlier load was interrupted\\); completed it, adding \\d+`));
      expect(out.at(-1)).toContain(stopAt === 'points' ? `${UKRAINE_2025.points.length - points} points` : `${UKRAINE_2025.retractions.length} retractions`);
      expect(await fingerprint(t.db)).not.toEqual(partial);
      expect(await contentOf(t)).toEqual(reference);

      const complete = await fingerprint(t.db);
      expect(await runCli(['demo:load'], t.config, (line) => out.push(line))).toBe(0);
      expect(out.at(-1)).toBe(`Demo negotiation '${SLUG}' already present and complete; nothing changed.`);
      expect(await fingerprint(t.db)).toEqual(complete);
    } finally {
      await t.close();
    }
  });

  it('refuses, changing nothing, when a negotiation that is not the demo holds its slug', async () => {
    const t = await startApp();
    try {
      expect((await t.post('/api/negotiations', { title: 'Mine', slug: SLUG })).status).toBe(201);
      const before = await fingerprint(t.db);
      await expect(t.app.get(DemoLoader).load(UKRAINE_2025)).rejects.toThrow(DemoLoadError);
      const out: string[] = [];
      expect(await runCli(['demo:load'], t.config, (line) => out.push(line))).toBe(1);
      expect(out.at(-1)).toBe(`A negotiation with the demo's slug '${SLUG}' exists and is not the demo (created by admin@test.local); nothing was loaded.`);
      expect(await fingerprint(t.db)).toEqual(before);
    } finally {
      await t.close();
    }
  });
});

describe('demo dataset, loaded by two nodes at once', () => {
  // Two apps on one database, as two nodes are; SQLite is one process per file.
  (DRIVER === 'postgres' ? it : it.skip)('is loaded once, whole, and neither node fails', async () => {
    const t = await startApp();
    const other = await createApp(t.config);
    try {
      // Both find the database empty before either has written anything.
      const outcomes = await Promise.allSettled([loadDemoIfEmpty(t.app), loadDemoIfEmpty(other)]);
      expect(outcomes.map((o) => (o.status === 'fulfilled' ? 'ok' : String(o.reason)))).toEqual(['ok', 'ok']);
      expect(outcomes.map((o) => o.status === 'fulfilled' && o.value).sort()).toEqual([false, true]);
      const negotiations = (await t.get('/api/negotiations')).body as { slug: string; seq: number }[];
      expect(negotiations.map((n) => n.slug)).toEqual([UKRAINE_2025.negotiation.slug]);
      const d = UKRAINE_2025;
      // Each distinct source the stances cite is created once, by the first stance citing it.
      const sources = ((await t.get(`/api/negotiations/${d.negotiation.slug}/sources`)).body as unknown[]).length;
      expect(negotiations[0].seq).toBe(1 + d.parties.length + d.points.length + d.documents.length + d.milestones.length + sources + d.stances.length + d.retractions.length);
    } finally {
      await other.close();
      await t.close();
    }
  });
});
