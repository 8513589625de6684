import type { Position, SearchHit, SearchKind, SourceKind } from '@parley/contracts';
import { toIso, toIsoOrNull } from '@parley/domain';
import type { SearchIndex } from '../database/search-sql';
import { num, numOrNull } from '../database/sql';
import type { Fields, Ranked } from './rank';

/**
 * Every searched kind: where the database keeps its index (the migration made them:
 * migrations/1765242000000-search.ts), which texts rank with which weight, and the hit it becomes.
 * Searching one more kind of text is one more entry here and its index in a migration.
 */
export interface Searched<Row = Record<string, unknown>> {
  index: SearchIndex;
  /** Candidates ranked (default CANDIDATES): fewer for long texts, each of which the ranking reads whole. */
  candidates?: number;
  fields(row: Row): Fields;
  /** The time that breaks a tie of scores: newer first. */
  time(row: Row): number;
  id(row: Row): string;
  hit(row: Row, ranked: Ranked): SearchHit;
}

type Raw = Record<string, unknown>;
const str = (v: unknown) => v as string;
const strOrNull = (v: unknown) => (v === null || v === undefined ? null : String(v));

const stance: Searched<Raw> = {
  index: {
    fts: 'search_stances',
    from: 'stance_events t JOIN parties pa ON pa.id = t.party_id JOIN points po ON po.id = t.point_id',
    negotiation: 't.negotiation_id',
    keys: { event_id: 't.id' },
    columns: ['quote', 'translation', 'note'],
    where: 'quote IS NOT NULL OR translation IS NOT NULL OR note IS NOT NULL',
    vector: 't.search_vector',
    newest: 't.seq DESC',
    select: `t.id, t.party_id, pa.code AS party_code, pa.name AS party_name, t.point_id, po.code AS point_code, po.title AS point_title, t.position, t.effective_at, t.recorded_at, t.quote, t.translation, t.note, t.quote_language, t.translation_language,
      (SELECT COUNT(*) FROM stance_retractions r WHERE r.event_id = t.id) AS retractions`,
  },
  fields: (r) => [
    ['quote', strOrNull(r['quote'])],
    ['translation', strOrNull(r['translation'])],
    ['note', strOrNull(r['note'])],
  ],
  time: (r) => num(r['effective_at']),
  id: (r) => str(r['id']),
  hit: (r, ranked) => ({
    kind: 'stance',
    ...ranked,
    stance: {
      id: str(r['id']),
      partyId: str(r['party_id']),
      partyCode: str(r['party_code']),
      partyName: str(r['party_name']),
      pointId: str(r['point_id']),
      pointCode: str(r['point_code']),
      pointTitle: str(r['point_title']),
      position: r['position'] as Position,
      effectiveAt: toIso(num(r['effective_at'])),
      recordedAt: toIso(num(r['recorded_at'])),
      retracted: num(r['retractions']) > 0,
      quoteLanguage: strOrNull(r['quote_language']),
      translationLanguage: strOrNull(r['translation_language']),
    },
  }),
};

const point: Searched<Raw> = {
  index: {
    fts: 'search_points',
    from: 'points t',
    negotiation: 't.negotiation_id',
    keys: { point_id: 't.id' },
    columns: ['title', 'description'],
    newest: 't.updated_at DESC, t.id DESC',
    select: 't.id, t.code, t.title, t.description, t.updated_at',
  },
  fields: (r) => [
    ['title', strOrNull(r['title'])],
    ['description', strOrNull(r['description'])],
  ],
  time: (r) => num(r['updated_at']),
  id: (r) => str(r['id']),
  hit: (r, ranked) => ({ kind: 'point', ...ranked, point: { id: str(r['id']), code: str(r['code']), title: str(r['title']) } }),
};

const provision: Searched<Raw> = {
  index: {
    fts: 'search_provisions',
    from: 'provisions t JOIN documents d ON d.id = t.document_id JOIN points po ON po.id = t.point_id',
    negotiation: 'd.negotiation_id',
    keys: { document_id: 't.document_id', point_id: 't.point_id' },
    columns: ['text'],
    newest: 'd.published_at DESC, t.document_id DESC, t.sort_order',
    select: 't.document_id, t.point_id, po.code AS point_code, po.title AS point_title, t.number, t.text, d.title AS document_title, d.published_at',
  },
  fields: (r) => [['text', strOrNull(r['text'])]],
  time: (r) => num(r['published_at']),
  id: (r) => `${str(r['document_id'])}/${str(r['point_id'])}`,
  hit: (r, ranked) => ({
    kind: 'provision',
    ...ranked,
    provision: { documentId: str(r['document_id']), documentTitle: str(r['document_title']), publishedAt: toIso(num(r['published_at'])), pointId: str(r['point_id']), pointCode: str(r['point_code']), pointTitle: str(r['point_title']), number: str(r['number']) },
  }),
};

const source: Searched<Raw> = {
  index: {
    fts: 'search_sources',
    from: 'sources t',
    negotiation: 't.negotiation_id',
    keys: { source_id: 't.id' },
    columns: ['outlet', 'title', 'description'],
    newest: 't.updated_at DESC, t.id DESC',
    select: 't.id, t.kind, t.outlet, t.title, t.description, t.published_at, t.updated_at',
  },
  fields: (r) => [
    ['title', strOrNull(r['title'])],
    ['outlet', strOrNull(r['outlet'])],
    ['description', strOrNull(r['description'])],
  ],
  time: (r) => numOrNull(r['published_at']) ?? num(r['updated_at']),
  id: (r) => str(r['id']),
  hit: (r, ranked) => ({
    kind: 'source',
    ...ranked,
    source: { id: str(r['id']), kind: r['kind'] as SourceKind, outlet: strOrNull(r['outlet']), title: strOrNull(r['title']), publishedAt: toIsoOrNull(numOrNull(r['published_at'])) },
  }),
};

/** An archived copy's text, limited as the index is: a tsvector holds at most 1 MB (migrations/1765411200000-search-archives.ts). */
const ARCHIVE_CUT = 500_000;

const archive: Searched<Raw> = {
  index: {
    fts: 'search_archives',
    // Every copy is indexed; a source's latest is the one searched (an older copy is history).
    from: `(SELECT a.* FROM source_archives a WHERE NOT EXISTS (SELECT 1 FROM source_archives n WHERE n.source_id = a.source_id AND (n.archived_at > a.archived_at OR (n.archived_at = a.archived_at AND n.id > a.id)))) t
      JOIN sources s ON s.id = t.source_id`,
    negotiation: 't.negotiation_id',
    keys: { archive_id: 't.id' },
    columns: ['text'],
    text: `left(coalesce(t.text, ''), ${ARCHIVE_CUT})`,
    newest: 't.archived_at DESC, t.id DESC',
    select: `t.id AS archive_id, t.archived_at, substr(t.text, 1, ${ARCHIVE_CUT}) AS text, s.id, s.kind, s.outlet, s.title, s.published_at`,
  },
  // Each candidate's text is read whole by the ranking: fewer of them.
  candidates: 20,
  fields: (r) => [['archived', strOrNull(r['text'])]],
  time: (r) => numOrNull(r['published_at']) ?? num(r['archived_at']),
  id: (r) => str(r['archive_id']),
  hit: (r, ranked) => ({
    kind: 'archive',
    ...ranked,
    source: { id: str(r['id']), kind: r['kind'] as SourceKind, outlet: strOrNull(r['outlet']), title: strOrNull(r['title']), publishedAt: toIsoOrNull(numOrNull(r['published_at'])) },
    archive: { id: str(r['archive_id']), archivedAt: toIso(num(r['archived_at'])) },
  }),
};

/** The kinds the database indexes (a proposal is searched by `proposal-search.ts`: staff only, few rows). */
export type IndexedKind = Exclude<SearchKind, 'proposal'>;

/** The kinds, in the order that breaks a tie of score and time. */
export const SEARCHED: Record<IndexedKind, Searched<Raw>> = { stance, point, provision, source, archive };
