import { PassThrough } from 'node:stream';
import { POSITION_SCORE } from '@parley/contracts';
import { corroborationOf } from '@parley/domain';
import type { MatrixRow, Milestone, Party, PlanDocument, Point, Position, StanceEvent } from '@parley/contracts';
import type { ReportData } from '../exports/report-data';

/** The hand-built ReportData the PDF and XLSX renderer tests share. */
export const T0 = '2025-11-01T00:00:00.000Z';
export const uuid = (kind: number, n: number): string => `00000000-0000-4000-8${kind}00-${String(n).padStart(12, '0')}`;

export interface CellSpec {
  party: number;
  point: number;
  position: Position;
  day: string;
  conditions?: string;
  note?: string;
  quote?: string;
  quoteLanguage?: string;
  translation?: string;
  actor?: number;
}

/** A ReportData built by hand: parties × points, the given stances, a daily series and milestones. */
export function buildReport(opts: { parties: number; points: number; cells: CellSpec[]; since?: string | null }): ReportData {
  const named: [string, string, string[]][] = [
    ['US', 'United States', ['Steve Witkoff', 'Marco Rubio']],
    ['UA', 'Ukraine', ['Volodymyr Zelensky', 'Андрій Єрмак']],
    ['RU', 'Russia', ['Vladimir Putin', 'Dmitry Peskov']],
    ['EU', 'European Union', ['Kaja Kallas']],
  ];
  const parties: Party[] = Array.from({ length: opts.parties }, (_, i) => {
    const [code, name, actors] = named[i] ?? [`P${i + 1}`, `Party number ${i + 1}`, [`Envoy ${i + 1}`]];
    return {
      id: uuid(1, i),
      negotiationId: uuid(0, 0),
      code,
      name,
      kind: 'state',
      color: ['#1f77b4', '#ffd500', '#d62728', '#003399'][i % 4],
      parentId: null,
      description: '',
      sortOrder: i,
      actors: actors.map((a, k) => ({ id: uuid(2, i * 10 + k), name: a, role: k === 0 ? 'lead' : '', retired: false })),
      version: 1,
      createdAt: T0,
      updatedAt: T0,
    };
  });
  const titles: [string, Point['category']][] = [
    ['Size of Ukraine\u2019s armed forces', 'military'],
    ['Security guarantees modelled on Article 5', 'security_guarantees'],
    ['Donbas: demilitarised zone', 'territory'],
    ['Phased lifting of sanctions', 'sanctions'],
    ['Use of frozen Russian assets', 'economy'],
    ['Amnesty for all parties', 'legal'],
  ];
  const points: Point[] = Array.from({ length: opts.points }, (_, i) => {
    const [title, category] = titles[i] ?? [`Point title number ${i + 1}`, 'political'];
    return {
      id: uuid(3, i),
      negotiationId: uuid(0, 0),
      code: `P${String(i + 1).padStart(3, '0')}`,
      title,
      category,
      description: '',
      sortOrder: i,
      derivedFrom: [],
      version: 1,
      createdAt: T0,
      updatedAt: T0,
    };
  });
  const document: PlanDocument = {
    id: uuid(4, 0),
    negotiationId: uuid(0, 0),
    code: 'us28',
    title: 'US 28-point draft',
    shortTitle: 'US-28',
    authorPartyId: parties[0]?.id ?? null,
    publishedAt: '2025-11-20T00:00:00.000Z',
    publishedPrecision: 'day',
    description: '',
    sourceUrl: null,
    provisions: points.map((p, i) => ({ pointId: p.id, number: String(i + 1), text: `=Provision text ${i + 1}` })),
    version: 1,
    createdAt: T0,
    updatedAt: T0,
  };
  let seq = 0;
  const events: StanceEvent[] = opts.cells.map((c) => {
    seq += 1;
    const day = `${c.day}T00:00:00.000Z`;
    return {
      id: uuid(5, seq),
      negotiationId: uuid(0, 0),
      seq,
      partyId: parties[c.party].id,
      pointId: points[c.point].id,
      position: c.position,
      score: POSITION_SCORE[c.position],
      confidence: 'reported',
      effectiveAt: day,
      effectivePrecision: 'day',
      recordedAt: `${c.day}T12:00:00.000Z`,
      recordedBy: 'analyst@example.org',
      scheduled: false,
      source: { id: uuid(6, seq), kind: 'news_report', url: `https://news.example.org/${seq}`, outlet: 'Kyiv Independent', title: `Report ${seq}`, publishedAt: day, language: 'en', description: null },
      conditions: { text: c.conditions ?? null, pointIds: c.conditions ? [points[0].id] : [] },
      note: c.note ?? null,
      quote: c.quote ?? null,
      quoteLanguage: c.quoteLanguage ?? null,
      translation: c.translation ?? null,
      translationLanguage: c.translation ? 'en' : null,
      actorId: c.actor === undefined ? null : parties[c.party].actors[c.actor].id,
      documentId: document.id,
      milestoneId: null,
      retraction: null,
    };
  });
  // Current stance per cell: the latest by effectiveAt, then by seq.
  const current = new Map<string, StanceEvent>();
  for (const e of events) {
    const key = `${e.partyId}/${e.pointId}`;
    const prev = current.get(key);
    if (!prev || prev.effectiveAt <= e.effectiveAt) current.set(key, e);
  }
  const rows: MatrixRow[] = points.map((p, i) => {
    const cells: MatrixRow['cells'] = {};
    const scores: number[] = [];
    const silent: string[] = [];
    for (const party of parties) {
      const stance = current.get(`${party.id}/${p.id}`) ?? null;
      if (stance) {
        cells[party.id] = { version: 1, stance, corroboration: corroborationOf([{ position: stance.position, sourceId: stance.source.id, outlet: stance.source.outlet }]) };
        scores.push(stance.score);
      } else silent.push(party.id);
    }
    const blocked = [...current.values()].some((e) => e.pointId === p.id && e.position === 'red_line');
    return {
      point: { id: p.id, code: p.code, title: p.title, category: p.category },
      number: String(i + 1),
      text: `Provision text ${i + 1}`,
      cells,
      summary: {
        pointId: p.id,
        stated: scores.length,
        silent,
        agreed: scores.length > 0 && scores.every((s) => s >= 1),
        blocked,
        spread: scores.length ? Math.max(...scores) - Math.min(...scores) : null,
        minScore: scores.length ? Math.min(...scores) : null,
        maxScore: scores.length ? Math.max(...scores) : null,
      },
    };
  });
  const series = Array.from({ length: 16 }, (_, d) => ({
    date: `2025-11-${String(15 + d).padStart(2, '0')}`,
    agreed: Math.min(opts.points, Math.floor(d / 3)),
    blocked: Math.max(0, Math.min(opts.points, 3 - Math.floor(d / 6))),
    addressed: Math.min(opts.points, 2 + Math.floor(d / 2)),
    points: opts.points,
  }));
  const milestone = (n: number, title: string, day: string): Milestone => ({
    id: uuid(6, n),
    negotiationId: uuid(0, 0),
    title,
    kind: 'meeting',
    startsAt: `${day}T00:00:00.000Z`,
    startsPrecision: 'day',
    endsAt: null,
    description: '',
    sourceUrl: null,
    partyIds: [],
    version: 1,
    createdAt: T0,
    updatedAt: T0,
  });
  const since = opts.since === undefined ? '2025-11-20T00:00:00.000Z' : opts.since;
  const asOf = '2025-11-30T23:59:59.999Z';
  // As the report reads them: effective from `since` to asOf.
  const changes = since === null ? [] : events.filter((e) => e.effectiveAt >= since && e.effectiveAt <= asOf);
  return {
    negotiation: {
      id: uuid(0, 0),
      slug: 'ukraine-2025',
      title: 'US peace plan for Ukraine (2025)',
      description: 'Where the parties stand on each point of the 28-point plan and its later versions.',
      status: 'active',
      seq,
      version: 1,
      createdAt: T0,
      updatedAt: T0,
    },
    generatedAt: '2025-12-01T09:30:00.000Z',
    asOf,
    knownAt: '2025-12-01T08:00:00.000Z',
    changesWindow: since === null ? null : { effectiveFrom: since, effectiveTo: asOf, recordedSince: null },
    document: { id: document.id, title: document.title, shortTitle: document.shortTitle },
    parties: parties.map((p) => ({ id: p.id, code: p.code, name: p.name, color: p.color, parentId: p.parentId })),
    rows,
    filters: null,
    changes,
    changesTotal: changes.length,
    series,
    seriesStep: 'day',
    milestones: [milestone(1, 'Leak of the 28-point plan', '2025-11-20'), milestone(2, 'Geneva talks', '2025-11-23')],
    allParties: parties,
    allPoints: points,
    documents: [document],
  };
}

export const SMALL_CELLS: CellSpec[] = [
  { party: 0, point: 0, position: 'accept', day: '2025-11-18' },
  { party: 1, point: 0, position: 'reject', day: '2025-11-19', actor: 0 },
  { party: 2, point: 0, position: 'accept', day: '2025-11-21' },
  { party: 1, point: 1, position: 'conditional', day: '2025-11-22', conditions: 'Only with a binding treaty', note: 'Ratified by the Senate', actor: 1 },
  { party: 2, point: 1, position: 'red_line', day: '2025-11-22', note: 'No NATO troops', actor: 1 },
  { party: 1, point: 2, position: 'red_line', day: '2025-11-21', quote: 'Ми не віддамо Донбас', quoteLanguage: 'uk', translation: 'We will not give up Donbas', actor: 0 },
  { party: 2, point: 2, position: 'accept', day: '2025-11-21' },
  { party: 3, point: 3, position: 'amend', day: '2025-11-23', note: 'Wants the snap-back clause', actor: 0 },
  { party: 3, point: 4, position: 'unclear', day: '2025-11-24' },
  {
    party: 1,
    point: 0,
    position: 'conditional',
    day: '2025-11-25',
    conditions: 'Cap of 800,000 \u2212 not 600,000',
    quote: 'We will not accept a \u201Ccap\u201D on our army \u2014 never\u2026',
    actor: 0,
  },
  { party: 0, point: 5, position: 'accept', day: '2025-11-20' },
  { party: 2, point: 3, position: 'reject', day: '2025-11-21', actor: 1 },
  { party: 2, point: 3, position: 'amend', day: '2025-11-27', note: 'Peskov: "open to discuss"', actor: 1 },
  { party: 1, point: 5, position: 'conditional', day: '2025-11-26', conditions: 'Excluding war crimes' },
];

export async function renderToBuffer(render: (out: NodeJS.WritableStream) => Promise<void>): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  await render(sink);
  return Buffer.concat(chunks);
}
