import type { MatrixRow, MatrixView, Milestone, PlanDocument, Point, PointMetrics, Position, SourceDetail, StanceEvent } from '@parley/contracts';
import { POSITION_SCORE } from '@parley/contracts';

let seq = 0;

/** A stance event with sensible defaults; override what the test is about. */
export function stance(position: Position, overrides: Partial<StanceEvent> = {}): StanceEvent {
  seq += 1;
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    negotiationId: 'neg-1',
    seq,
    partyId: 'party-a',
    pointId: 'point-1',
    position,
    score: POSITION_SCORE[position],
    confidence: 'official',
    effectiveAt: '2025-11-21T00:00:00.000Z',
    effectivePrecision: 'day',
    recordedAt: '2025-11-22T09:00:00.000Z',
    recordedBy: 'test',
    scheduled: false,
    source: { id: 'source-reuters', kind: 'news_report', url: null, outlet: 'Reuters', title: null, publishedAt: null, language: null, description: null },
    conditions: { text: null, pointIds: [] },
    note: null,
    quote: null,
    quoteLanguage: null,
    translation: null,
    translationLanguage: null,
    actorId: null,
    documentId: null,
    milestoneId: null,
    retraction: null,
    ...overrides,
  };
}

/** Builds a row, computing the summary the way the API does, from (partyId → position | null). */
export function row(
  id: string,
  code: string,
  title: string,
  positions: Record<string, Position | null>,
  category: MatrixRow['point']['category'] = 'political',
): MatrixRow {
  const cells: MatrixRow['cells'] = {};
  const scores: number[] = [];
  const silent: string[] = [];
  for (const [partyId, position] of Object.entries(positions)) {
    if (position === null) {
      silent.push(partyId);
      continue;
    }
    cells[partyId] = { version: 1, stance: stance(position, { partyId, pointId: id }), corroboration: { outlets: 1, sources: 1, corroborated: false } };
    scores.push(POSITION_SCORE[position]);
  }
  const summary: PointMetrics = {
    pointId: id,
    stated: scores.length,
    silent,
    agreed: scores.length > 0 && scores.every((s) => s >= 1),
    blocked: scores.includes(-2),
    spread: scores.length > 0 ? Math.max(...scores) - Math.min(...scores) : null,
    minScore: scores.length > 0 ? Math.min(...scores) : null,
    maxScore: scores.length > 0 ? Math.max(...scores) : null,
  };
  return { point: { id, code, title, category }, number: null, text: null, cells, summary };
}

export function matrixView(rows: MatrixRow[], parties: MatrixView['parties']): MatrixView {
  return { negotiationId: 'neg-1', seq: 42, asOf: null, knownAt: null, documentId: null, parties, rows };
}

/** A source record as `GET …/sources` lists it (with citedBy); override what the test is about. */
export function sourceRecord(overrides: Partial<SourceDetail> & { id: string }): SourceDetail {
  return {
    negotiationId: 'neg-1',
    kind: 'news_report',
    outlet: null,
    title: null,
    url: null,
    publishedAt: null,
    language: null,
    description: null,
    version: 1,
    createdAt: '2025-11-20T10:00:00.000Z',
    updatedAt: '2025-11-20T10:00:00.000Z',
    archive: null,
    citedBy: 0,
    ...overrides,
  };
}

/** A plan document (a version of the text) with its provisions as [pointId, number, text]. */
export function planDocument(id: string, shortTitle: string, publishedAt: string, provisions: [string, string, string][]): PlanDocument {
  return {
    id,
    negotiationId: 'neg-1',
    code: shortTitle.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    title: `${shortTitle} (full title)`,
    shortTitle,
    authorPartyId: null,
    publishedAt: `${publishedAt}T00:00:00.000Z`,
    publishedPrecision: 'day',
    description: '',
    sourceUrl: null,
    provisions: provisions.map(([pointId, number, text]) => ({ pointId, number, text })),
    version: 1,
    createdAt: '2025-11-20T00:00:00.000Z',
    updatedAt: '2025-11-20T00:00:00.000Z',
  };
}

/** A point (a stable topic), with the points it derives from. */
export function point(id: string, code: string, title: string, derivedFrom: Point['derivedFrom'] = [], sortOrder = 0): Point {
  return { id, negotiationId: 'neg-1', code, title, category: 'political', description: '', sortOrder, derivedFrom, version: 1, createdAt: '2025-11-20T00:00:00.000Z', updatedAt: '2025-11-20T00:00:00.000Z' };
}

/** A milestone of one day (or from startsAt to endsAt). */
export function milestoneRecord(id: string, title: string, startsAt: string, endsAt: string | null = null): Milestone {
  return {
    id,
    negotiationId: 'neg-1',
    title,
    kind: 'meeting',
    startsAt: `${startsAt}T00:00:00.000Z`,
    startsPrecision: 'day',
    endsAt: endsAt ? `${endsAt}T00:00:00.000Z` : null,
    description: '',
    sourceUrl: null,
    partyIds: [],
    version: 1,
    createdAt: '2025-11-20T00:00:00.000Z',
    updatedAt: '2025-11-20T00:00:00.000Z',
  };
}
