import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ChangesPage, MatrixView, Party, Source } from '@parley/contracts';
import { createHash } from 'node:crypto';
import { createApp, loadDemoIfEmpty } from '../src/bootstrap';
import { runCli } from '../src/cli/commands';
import { DocumentsService } from '../src/documents/documents.service';
import { apiSourceOf, DemoLoader, DemoLoadError } from '../src/demo/demo-loader.service';
import type { DemoDataset } from '../src/demo/demo-dataset';
import { SEED_ARTICLE_TEXT } from '../src/demo/seed-article';
import { UKRAINE_2025 } from '../src/demo/ukraine-2025';
import { MilestonesService } from '../src/milestones/milestones.service';
import { NegotiationsService } from '../src/negotiations/negotiations.service';
import { PartiesService } from '../src/parties/parties.service';
import { PointsService } from '../src/points/points.service';
import { StancesService } from '../src/stances/stances.service';
import { DRIVER, fingerprint, seed, stance, startApp, type TestApp } from './harness';

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
        archives: 1,
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
    // Codes from the dataset's own keys; the examples answer by code.
    expect(documents.map((d: { code: string }) => d.code)).toEqual(['us28', 'e3', 'geneva', 'p20']);
    const ru = parties.find((p: { code: string }) => p.code === 'RU');
    const history = await t.get(`${base}/points/p07/history?partyId=ru`);
    expect(history.status).toBe(200);
    expect(history.body.events.length).toBeGreaterThan(0);
    expect(history.body.events.every((e: { partyId: string }) => e.partyId === ru.id)).toBe(true);
    const filtered = await t.get(`${base}/changes?partyId=RU&pointId=p07`);
    expect(filtered.status).toBe(200);
    expect(filtered.body.items.length).toBeGreaterThan(0);
    expect((await t.get(`${base}/milestones`)).body.length).toBeGreaterThanOrEqual(10);
    const changes = (await t.get(`${base}/changes?limit=1000`)).body.items as { kind: string; event: { effectiveAt: string; source: { outlet: string | null; description: string | null } } }[];
    const recorded = changes.filter((c) => c.kind === 'stance.recorded');
    expect(recorded.length).toBeGreaterThanOrEqual(40);
    expect(recorded.every((c) => (c.event.source.outlet ?? c.event.source.description) !== null)).toBe(true);
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

/** The seed files the demo is built from (a copy of ../shared/seed/, so a clean clone has them). */
const SEED_DIR = path.join(__dirname, 'fixtures', 'seed');
const FACTS = fs.readFileSync(path.join(SEED_DIR, 'FACTS.md'), 'utf8');
const ARTICLE = fs.readFileSync(path.join(SEED_DIR, 'seed-article.txt'), 'utf8');
/** The seed article's headline: its first line. */
const HEADLINE = ARTICLE.split('\n')[0].trim();
/** Straight and curly quotes alike, one space: quotes are compared by their words. */
const plain = (text: string) => text.replace(/[“”"]/g, '"').replace(/[‘’']/g, "'").replace(/\s+/g, ' ');
/** Every passage the seed files put in quotation marks (straight or curly). */
const QUOTED = [...plain(`${FACTS}\n${ARTICLE}`).matchAll(/"([^"]+)"/g)].map((m) => m[1]);
const DAY_MS = 86_400_000;

describe('demo dataset: an honest reconstruction of the seed files', () => {
  let t: TestApp;
  let events: ChangesPage['items'][number]['event'][];
  let seqOrder: { kind: string; recordedAt: string }[];
  beforeAll(async () => {
    t = await startApp();
    await t.app.get(DemoLoader).load(UKRAINE_2025);
    const items = (await t.get<ChangesPage>(`${base}/changes?limit=1000`)).body.items;
    events = items.filter((c) => c.kind === 'stance.recorded').map((c) => c.event);
    seqOrder = items.map((c) => ({ kind: c.kind, recordedAt: c.kind === 'stance.retracted' ? c.event.retraction!.recordedAt : c.event.recordedAt }));
  });
  afterAll(() => t.close());

  it('the seed fixture is the project seed (where ../shared/seed exists beside the repository)', () => {
    const shared = path.join(__dirname, '..', '..', '..', '..', 'shared', 'seed');
    expect(HEADLINE).toMatch(/^NATO discusses the next steps/);
    if (!fs.existsSync(shared)) return; // a clean clone: the fixture stands alone
    expect(FACTS).toBe(fs.readFileSync(path.join(shared, 'FACTS.md'), 'utf8'));
    expect(ARTICLE).toBe(fs.readFileSync(path.join(shared, 'seed-article.txt'), 'utf8'));
  });

  it("the seed article's source has the article's text as its archived copy; no other source has one", async () => {
    expect(SEED_ARTICLE_TEXT).toBe(ARTICLE);
    const sources = (await t.get<Source[]>(`${base}/sources`)).body;
    const seedSource = sources.find((s) => s.outlet === 'BBC News Brasil');
    expect(seedSource?.archive).toMatchObject({ contentType: 'text/plain', size: Buffer.byteLength(ARTICLE), sha256: createHash('sha256').update(ARTICLE).digest('hex'), archivedBy: 'demo-loader' });
    expect(sources.filter((s) => s.archive !== null)).toHaveLength(1);
    const copy = await fetch(`${t.url}${base}/sources/${seedSource?.id}/archive`);
    expect(await copy.text()).toBe(ARTICLE);
  });

  it('no source carries a URL, outlet or headline the seed files do not give', () => {
    expect(FACTS).toContain('BBC News Brasil');
    for (const s of UKRAINE_2025.stances) {
      expect(s.source.url).toBeUndefined();
      if (s.source.kind === 'paraphrased_reporting') {
        expect([s.source.outlet, s.source.title]).toEqual([undefined, undefined]);
        expect(s.source.description).toEqual(expect.any(String));
        expect(s.source.publishedAt).toBe(s.effectiveAt);
      } else {
        expect(s.source).toEqual({ kind: 'news_report', outlet: 'BBC News Brasil', title: HEADLINE, publishedAt: '2025-12-03', language: 'en' });
      }
    }
    expect(UKRAINE_2025.documents.every((d) => d.sourceUrl === undefined)).toBe(true);
    // As the API shows them: no URL; the seed article under its outlet and headline, or paraphrased
    // public reporting with neither outlet nor headline, described by its speaker and venue.
    expect(events.length).toBe(UKRAINE_2025.stances.length);
    for (const e of events) {
      expect(e.source.url).toBeNull();
      if (e.source.outlet === 'BBC News Brasil') expect(e.source).toMatchObject({ kind: 'news_report', title: HEADLINE });
      else {
        expect(e.source).toMatchObject({ kind: 'paraphrased_reporting', outlet: null, title: null, description: expect.any(String) });
      }
    }
    expect(events.filter((e) => e.source.outlet === 'BBC News Brasil').length).toBeGreaterThanOrEqual(5);
  });

  it('every quote is words the seed files put in quotation marks', () => {
    const quoted = UKRAINE_2025.stances.filter((s) => s.quote !== undefined);
    expect(quoted.length).toBeGreaterThanOrEqual(8);
    for (const s of quoted) expect(QUOTED.some((q) => q.includes(plain(s.quote!)))).toBe(true);
    expect(QUOTED.some((q) => q.includes('Telegram'))).toBe(false);
    expect(UKRAINE_2025.stances.some((s) => /telegram/i.test(JSON.stringify(s)))).toBe(false);
  });

  it('every official event is its own party speaking: its actor is one of the party\'s actors', async () => {
    const parties = (await t.get<Party[]>(`${base}/parties`)).body;
    const official = events.filter((e) => e.confidence === 'official');
    expect(official.length).toBeGreaterThanOrEqual(10);
    for (const e of official) {
      const party = parties.find((p) => p.id === e.partyId)!;
      expect(party.actors.map((a) => a.id)).toContain(e.actorId);
    }
  });

  it('records each stance hours to two days after it took effect, in the order it was learnt', () => {
    for (const e of events) {
      const lag = Date.parse(e.recordedAt) - Date.parse(e.effectiveAt);
      expect(lag).toBeGreaterThan(0);
      expect(lag).toBeLessThanOrEqual(2 * DAY_MS);
    }
    // Sequence numbers follow recorded time, retractions included.
    const times = seqOrder.map((c) => c.recordedAt);
    expect(times).toEqual([...times].sort());
    expect(seqOrder.some((c) => c.kind === 'stance.retracted')).toBe(true);
  });

  it('"known at" differs from "as of": a day after the Moscow talks, the seed article was not yet recorded', async () => {
    const matrix = async (query: string) => (await t.get<MatrixView>(`${base}/matrix?${query}`)).body;
    const cellsOf = (m: MatrixView) => m.rows.flatMap((r) => Object.entries(r.cells).map(([party, c]) => `${r.point.code}/${party}:${c.stance?.id ?? '-'}`)).sort();
    // Effective 2 Dec, recorded on 3 Dec: as of that day, known at the next midnight differs.
    const asOf = cellsOf(await matrix('asOf=2025-12-02'));
    const knownNextDay = cellsOf(await matrix('asOf=2025-12-02&knownAt=2025-12-03T00:00:00Z'));
    expect(knownNextDay).not.toEqual(asOf);
    expect(cellsOf(await matrix('asOf=2025-12-02&knownAt=2025-12-04'))).toEqual(asOf);
  });

  it('the United States accepts all 28 points of its own draft as of 20 Nov, and the curve starts at 28 agreed', async () => {
    const m = (await t.get<MatrixView>(`${base}/matrix?asOf=2025-11-20`)).body;
    const us = m.parties.find((p) => p.code === 'US')!;
    const draft = UKRAINE_2025.documents.find((d) => d.key === 'us28')!;
    expect(draft.provisions).toHaveLength(28);
    for (const { pointCode } of draft.provisions) {
      expect(m.rows.find((r) => r.point.code === pointCode)?.cells[us.id]?.stance?.position).toBe('accept');
    }
    const metrics = (await t.get(`${base}/metrics?from=2025-11-20&to=2025-12-31`)).body;
    expect(metrics.series[0].agreed).toBe(28);
  });

  it('lists a point only from when it was tabled: p29–p31 are absent as of 3 Dec, and present once they were raised', async () => {
    const codes = async (query: string) => (await t.get<MatrixView>(`${base}/matrix?${query}`)).body.rows.map((r) => r.point.code);
    const early = await codes('asOf=2025-12-03');
    expect(early).toEqual(expect.arrayContaining(['p01', 'p28']));
    for (const code of ['p29', 'p30', 'p31']) expect(early).not.toContain(code);
    // p30 was talked about from 11 Dec, p29 and p31 from 15 Dec, before the 20-point text carried p29 and p30 (24 Dec).
    expect(await codes('asOf=2025-12-11')).toContain('p30');
    expect(await codes('asOf=2025-12-11')).not.toContain('p29');
    expect(await codes('asOf=2025-12-31')).toEqual(expect.arrayContaining(['p29', 'p30', 'p31']));
    const points = (await t.get<{ code: string }[]>(`${base}/points?asOf=2025-12-03`)).body.map((p) => p.code);
    expect(points).not.toContain('p29');
    expect(points).toContain('p01');
    // The 20-point text is not yet a document as of 3 Dec.
    const docs = (await t.get<{ shortTitle: string }[]>(`${base}/documents?asOf=2025-12-03`)).body.map((d) => d.shortTitle);
    expect(docs).toEqual(['US 28-point draft', 'E3 counter-proposal', 'Geneva framework']);
  });

  it('the recorded time is the loader\'s alone: the API refuses a recordedAt and records at the clock', async () => {
    const s = await seed(t, 'Not the demo');
    const stances = `/api/negotiations/${s.negotiationId}/stances`;
    const refused = await t.post(stances, { ...stance(s.parties[0].id, s.points[0].id), recordedAt: '2025-11-20T00:00:00Z' });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('recordedAt');
    const before = Date.now();
    const recorded = await t.post(stances, stance(s.parties[0].id, s.points[0].id));
    expect(recorded.status).toBe(201);
    expect(Date.parse(recorded.body.event.recordedAt)).toBeGreaterThanOrEqual(before - 1000);
    const retracted = await t.post(`/api/stance-events/${recorded.body.event.id}/retract`, { reason: 'test' });
    expect(Date.parse(retracted.body.event.retraction.recordedAt)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('describes itself as a paraphrased reconstruction', async () => {
    const n = (await t.get(base)).body;
    expect(n.description).toMatch(/paraphrased reconstruction from public reporting/);
  });

  it('the digest names each change\'s source as what it is: paraphrased reporting by its speaker and venue, never "no source"', async () => {
    const res = await fetch(`${t.url}${base}/export.md?since=2025-11-01`, { headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(res.status).toBe(200);
    const lines = (await res.text()).split('\n').filter((l) => l.startsWith('- 2025-'));
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.filter((l) => l.includes('(no source)'))).toEqual([]);
    expect(lines.some((l) => /\(Public reporting, paraphrased: [^)]+\)/.test(l))).toBe(true);
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
    // As a set: a completed older load has its retractions after all the stances, not at their time.
    changes: changes.map((c) => `${c.kind} ${codeOf.get(c.event.partyId)}/${codeOf.get(c.event.pointId)} ${c.event.position} ${c.event.effectiveAt} ${c.event.note ?? ''}`).sort(),
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
      source: apiSourceOf(s.source),
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
  const swapped = [...UKRAINE_2025.stances];
  [swapped[29], swapped[80]] = [swapped[80], swapped[29]];
  const broken: [string, DemoDataset, string][] = [
    ['two stances are listed out of the order of their recordedAt', { ...UKRAINE_2025, stances: swapped }, 'list the stances in the order of recordedAt'],
    [
      'a retraction is recorded before the stance it retracts',
      { ...UKRAINE_2025, retractions: UKRAINE_2025.retractions.map((r) => ({ ...r, recordedAt: '2025-11-30T00:00:00Z' })) },
      "is not after the stance's",
    ],
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

  it('a demo loaded before sources had archived copies gets the seed article attached by the next load, once', async () => {
    const t = await startApp();
    try {
      const loader = t.app.get(DemoLoader);
      expect((await loader.load({ ...UKRAINE_2025, archives: undefined })).outcome).toBe('loaded');
      expect((await t.get<Source[]>(`${base}/sources`)).body.every((s) => s.archive === null)).toBe(true);
      expect(await loader.load(UKRAINE_2025)).toMatchObject({ outcome: 'completed', added: { archives: 1, stanceEvents: 0 } });
      expect((await t.get<Source[]>(`${base}/sources`)).body.filter((s) => s.archive !== null).map((s) => s.outlet)).toEqual(['BBC News Brasil']);
      expect((await loader.load(UKRAINE_2025)).outcome).toBe('present');
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
      expect(negotiations[0].seq).toBe(1 + d.parties.length + d.points.length + d.documents.length + d.milestones.length + sources + d.stances.length + d.retractions.length + (d.archives?.length ?? 0));
    } finally {
      await other.close();
      await t.close();
    }
  });
});
