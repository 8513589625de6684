import {
  type CitedSource,
  POSITION_SCORE,
  SCHEDULE_TOLERANCE_MS,
  type Confidence,
  type DumpEvent,
  type Position,
  type SourceKind,
  type StanceCreate,
  type StanceEvent,
  type TimePrecision,
} from '@parley/contracts';
import { compareFacts, parseInstant, precisionOf, toIso, toIsoOrNull } from '@parley/domain';
import { newOrderedId } from '../common/ids';
import type { EntityManager } from 'typeorm';
import { num, numOrNull, sql } from '../database/sql';
import type { SourceEntity } from '../sources/source.entity';
import { NO_SOURCE } from '../sources/source.mapper';
import type { StanceEventEntity } from './stance.entities';

/**
 * The stance row's one home: the columns of `stance_events`, every mapping between a row, the
 * entity, the API view and the exchange (dump) form, and the two rules of a cell (what a recorded
 * event and a retraction leave in force). Adding a column touches the entity, this file and a
 * migration. Writers (stance-writer.ts), the as-of index, stored changes (stance-log.ts, the form
 * a recorded stance takes in the change log), dumps and CSV imports all map through here.
 */

/** The columns, in the order every statement here reads and writes them. */
export const EVENT_COLUMNS = [
  'id', 'negotiation_id', 'seq', 'party_id', 'point_id', 'position', 'confidence', 'effective_at', 'effective_precision',
  'recorded_at', 'recorded_by', 'conditions_text', 'condition_point_ids', 'note', 'quote', 'actor_id', 'source_url',
  'source_outlet', 'source_title', 'source_published_at', 'document_id', 'milestone_id', 'source_id', 'quote_language',
  'translation', 'translation_language', 'approved_by',
] as const;

/** A row as the driver gives it (PostgreSQL's bigint as text), with its retraction when joined (`r_*`, else null). */
export interface EventRow {
  id: string;
  negotiation_id: string;
  seq: number | string;
  party_id: string;
  point_id: string;
  position: Position;
  confidence: Confidence;
  effective_at: number | string;
  effective_precision: TimePrecision;
  recorded_at: number | string;
  recorded_by: string;
  conditions_text: string | null;
  /** The JSON text of the ids. */
  condition_point_ids: string;
  note: string | null;
  quote: string | null;
  actor_id: string | null;
  source_url: string | null;
  source_outlet: string | null;
  source_title: string | null;
  source_published_at: number | string | null;
  document_id: string | null;
  milestone_id: string | null;
  source_id: string | null;
  quote_language: string | null;
  translation: string | null;
  translation_language: string | null;
  approved_by: string | null;
  /** The cited source's record (alias s), when joined (EVENT_SELECT); absent from rows read without it. */
  s_kind?: SourceKind | null;
  s_outlet?: string | null;
  s_title?: string | null;
  s_url?: string | null;
  s_published_at?: number | string | null;
  s_language?: string | null;
  s_description?: string | null;
  r_id: string | null;
  r_seq: number | string | null;
  r_reason: string | null;
  r_recorded_at: number | string | null;
  r_recorded_by: string | null;
  /** The retraction's approver (review); absent from reads that join no retraction. */
  r_approved_by?: string | null;
}

/** The event's columns (alias e) alone: rows read with it carry no source record (a caller resolves source_id). */
export const EVENT_ONLY_SELECT = EVENT_COLUMNS.map((c) => `e.${c}`).join(', ');
const SOURCE_SELECT = `s.kind AS s_kind, s.outlet AS s_outlet, s.title AS s_title, s.url AS s_url, s.published_at AS s_published_at,
  s.language AS s_language, s.description AS s_description`;
/** The cited source's join (alias s), for reads that select EVENT_SELECT or EVENT_SELECT_UNRETRACTED. */
export const SOURCE_JOIN = 'LEFT JOIN sources s ON s.id = e.source_id';
/** The event's columns with its source's (alias s) and its retraction's (alias r), for reads from EVENT_FROM. */
export const EVENT_SELECT = `${EVENT_ONLY_SELECT}, ${SOURCE_SELECT},
  r.id AS r_id, r.seq AS r_seq, r.reason AS r_reason, r.recorded_at AS r_recorded_at, r.recorded_by AS r_recorded_by,
  r.approved_by AS r_approved_by`;
export const EVENT_FROM = `stance_events e ${SOURCE_JOIN} LEFT JOIN stance_retractions r ON r.event_id = e.id`;
/** A read without the retraction join (from EVENT_ONLY_FROM), as EventRow: its retraction columns null. */
export const EVENT_SELECT_UNRETRACTED = `${EVENT_ONLY_SELECT}, ${SOURCE_SELECT}, NULL AS r_id, NULL AS r_seq, NULL AS r_reason, NULL AS r_recorded_at, NULL AS r_recorded_by`;
export const EVENT_ONLY_FROM = `stance_events e ${SOURCE_JOIN}`;

/** The source a row shows: its joined record, or nothing when it cites none. */
export function citedOfRow(r: EventRow): CitedSource {
  if (r.source_id === null) return NO_SOURCE;
  return {
    id: r.source_id, kind: r.s_kind ?? null, url: r.s_url ?? null, outlet: r.s_outlet ?? null, title: r.s_title ?? null,
    publishedAt: toIsoOrNull(numOrNull(r.s_published_at ?? null)), language: r.s_language ?? null, description: r.s_description ?? null,
  };
}

/** EVENT_COLUMNS' values in order, as SQLite's json_array gives them (sql.ts selectMany). */
export type EventTuple = [
  string, string, number, string, string, Position, Confidence, number, TimePrecision,
  number, string, string | null, string, string | null, string | null, string | null, string | null,
  string | null, string | null, number | null, string | null, string | null, string | null, string | null,
  string | null, string | null, string | null,
];

/** A literal of one fixed shape: a million rows are mapped when an index is built. */
export function rowOfTuple(v: EventTuple): EventRow {
  return {
    id: v[0], negotiation_id: v[1], seq: v[2], party_id: v[3], point_id: v[4], position: v[5], confidence: v[6],
    effective_at: v[7], effective_precision: v[8], recorded_at: v[9], recorded_by: v[10], conditions_text: v[11],
    condition_point_ids: v[12], note: v[13], quote: v[14], actor_id: v[15], source_url: v[16], source_outlet: v[17],
    source_title: v[18], source_published_at: v[19], document_id: v[20], milestone_id: v[21], source_id: v[22],
    quote_language: v[23], translation: v[24], translation_language: v[25], approved_by: v[26],
    r_id: null, r_seq: null, r_reason: null, r_recorded_at: null, r_recorded_by: null,
  };
}

/** Values for an INSERT of EVENT_COLUMNS. */
export function eventValues(e: StanceEventEntity): unknown[] {
  return [
    e.id, e.negotiationId, e.seq, e.partyId, e.pointId, e.position, e.confidence, e.effectiveAt, e.effectivePrecision,
    e.recordedAt, e.recordedBy, e.conditionsText, JSON.stringify(e.conditionPointIds), e.note, e.quote, e.actorId, e.sourceUrl,
    e.sourceOutlet, e.sourceTitle, e.sourcePublishedAt, e.documentId, e.milestoneId, e.sourceId, e.quoteLanguage,
    e.translation, e.translationLanguage, e.approvedBy,
  ];
}

const idsOf = (json: string): string[] => (json === '[]' ? [] : (JSON.parse(json) as string[]));

export function entityOfRow(r: EventRow): StanceEventEntity {
  return {
    id: r.id, negotiationId: r.negotiation_id, seq: num(r.seq), partyId: r.party_id, pointId: r.point_id, position: r.position,
    confidence: r.confidence, effectiveAt: num(r.effective_at), effectivePrecision: r.effective_precision, recordedAt: num(r.recorded_at),
    recordedBy: r.recorded_by, conditionsText: r.conditions_text, conditionPointIds: idsOf(r.condition_point_ids), note: r.note,
    quote: r.quote, actorId: r.actor_id, sourceUrl: r.source_url, sourceOutlet: r.source_outlet, sourceTitle: r.source_title,
    sourcePublishedAt: numOrNull(r.source_published_at), documentId: r.document_id, milestoneId: r.milestone_id,
    sourceId: r.source_id, quoteLanguage: r.quote_language, translation: r.translation, translationLanguage: r.translation_language,
    approvedBy: r.approved_by,
  };
}

/**
 * A new event from what an analyst or an import sent: numbered `seq`, recorded `now` by `author`,
 * citing `cited` (the source found or created for it); `approvedBy`: who approved its proposal. The
 * inline columns keep the citation as recorded: the inline fields sent, or the record's fields when it was cited by id.
 */
export function entityOfInput(
  input: StanceCreate, negotiationId: string, seq: number, now: number, author: string, cited: SourceEntity | null = null, approvedBy: string | null = null,
): StanceEventEntity {
  const { conditions } = input;
  const source = input.source.id !== undefined && cited
    ? { url: cited.url ?? undefined, outlet: cited.outlet ?? undefined, title: cited.title ?? undefined, publishedAt: cited.publishedAt === null ? undefined : toIso(cited.publishedAt) }
    : input.source;
  return {
    id: newOrderedId(now), negotiationId, seq, partyId: input.partyId, pointId: input.pointId, position: input.position,
    confidence: input.confidence, effectiveAt: parseInstant(input.effectiveAt), effectivePrecision: precisionOf(input.effectiveAt),
    recordedAt: now, recordedBy: author, conditionsText: conditions?.text ?? null, conditionPointIds: [...new Set(conditions?.pointIds ?? [])],
    note: input.note ?? null, quote: input.quote ?? null, actorId: input.actorId ?? null, sourceUrl: source.url ?? null,
    sourceOutlet: source.outlet ?? null, sourceTitle: source.title ?? null,
    sourcePublishedAt: source.publishedAt ? parseInstant(source.publishedAt) : null, documentId: input.documentId ?? null,
    milestoneId: input.milestoneId ?? null, sourceId: cited?.id ?? null, quoteLanguage: input.quoteLanguage ?? null,
    translation: input.translation ?? null, translationLanguage: input.translationLanguage ?? null, approvedBy,
  };
}

/** The API view of an event citing `source` (the record of its sourceId; a fresh event has no retraction). */
export function buildStanceEvent(e: StanceEventEntity, source: CitedSource, retraction: StanceEvent['retraction'] = null): StanceEvent {
  return {
    id: e.id,
    negotiationId: e.negotiationId,
    seq: e.seq,
    partyId: e.partyId,
    pointId: e.pointId,
    position: e.position,
    score: POSITION_SCORE[e.position],
    confidence: e.confidence,
    effectiveAt: toIso(e.effectiveAt),
    effectivePrecision: e.effectivePrecision,
    recordedAt: toIso(e.recordedAt),
    recordedBy: e.recordedBy,
    ...(e.approvedBy === null ? {} : { approvedBy: e.approvedBy }),
    scheduled: e.effectiveAt > e.recordedAt + SCHEDULE_TOLERANCE_MS,
    source,
    conditions: { text: e.conditionsText, pointIds: e.conditionPointIds },
    note: e.note,
    quote: e.quote,
    quoteLanguage: e.quoteLanguage,
    translation: e.translation,
    translationLanguage: e.translationLanguage,
    actorId: e.actorId,
    documentId: e.documentId,
    milestoneId: e.milestoneId,
    retraction,
  };
}

/** The API view of a row; a retraction recorded after `knownAt` is not shown. `source`: the row's joined record unless given. */
export function toStanceEvent(row: EventRow, knownAt?: number, source: CitedSource = citedOfRow(row)): StanceEvent {
  const retractedAt = numOrNull(row.r_recorded_at);
  const known = row.r_id !== null && retractedAt !== null && (knownAt === undefined || retractedAt <= knownAt);
  return buildStanceEvent(
    entityOfRow(row),
    source,
    known
      ? {
          id: row.r_id as string,
          seq: num(row.r_seq),
          reason: row.r_reason ?? '',
          recordedAt: toIso(retractedAt),
          recordedBy: row.r_recorded_by ?? '',
          ...(row.r_approved_by ? { approvedBy: row.r_approved_by } : {}),
        }
      : null,
  );
}

/** The exchange form (a dump's record), in the dump's key order. */
export function exchangeOfEntity(e: StanceEventEntity): DumpEvent {
  return {
    id: e.id,
    seq: e.seq,
    partyId: e.partyId,
    pointId: e.pointId,
    position: e.position,
    confidence: e.confidence,
    effectiveAt: toIso(e.effectiveAt),
    effectivePrecision: e.effectivePrecision,
    recordedAt: toIso(e.recordedAt),
    recordedBy: e.recordedBy,
    ...(e.approvedBy === null ? {} : { approvedBy: e.approvedBy }),
    conditions: { text: e.conditionsText, pointIds: e.conditionPointIds },
    note: e.note,
    quote: e.quote,
    quoteLanguage: e.quoteLanguage,
    translation: e.translation,
    translationLanguage: e.translationLanguage,
    actorId: e.actorId,
    source: { url: e.sourceUrl, outlet: e.sourceOutlet, title: e.sourceTitle, publishedAt: toIsoOrNull(e.sourcePublishedAt) },
    sourceId: e.sourceId,
    documentId: e.documentId,
    milestoneId: e.milestoneId,
  };
}

/** The entity of an exchanged event (a dump written before sources were records has no sourceId: see imports/dump-upgrade.ts). */
export function entityOfExchange(e: DumpEvent, negotiationId: string): StanceEventEntity {
  return {
    id: e.id, negotiationId, seq: e.seq, partyId: e.partyId, pointId: e.pointId, position: e.position, confidence: e.confidence,
    effectiveAt: parseInstant(e.effectiveAt), effectivePrecision: e.effectivePrecision, recordedAt: parseInstant(e.recordedAt),
    recordedBy: e.recordedBy, conditionsText: e.conditions.text, conditionPointIds: e.conditions.pointIds, note: e.note, quote: e.quote,
    actorId: e.actorId, sourceUrl: e.source.url, sourceOutlet: e.source.outlet, sourceTitle: e.source.title,
    sourcePublishedAt: e.source.publishedAt === null ? null : parseInstant(e.source.publishedAt), documentId: e.documentId, milestoneId: e.milestoneId,
    sourceId: e.sourceId ?? null, quoteLanguage: e.quoteLanguage ?? null, translation: e.translation ?? null,
    translationLanguage: e.translationLanguage ?? null, approvedBy: e.approvedBy ?? null,
  };
}

/**
 * What a stance says, apart from who recorded it, when and in which document or at which
 * milestone: a CSV row that says the same as a recorded event is "already imported".
 */
export function contentKey(e: StanceEventEntity): string {
  return JSON.stringify([
    e.partyId, e.pointId, e.position, e.confidence, e.effectiveAt, e.effectivePrecision, e.conditionsText, e.conditionPointIds,
    e.note, e.quote, e.actorId, e.sourceUrl, e.sourceOutlet, e.sourceTitle, e.sourcePublishedAt, e.quoteLanguage, e.translation,
    e.translationLanguage,
  ]);
}

// ---------- the fields the as-of index does not hold (matrix/event-details.ts keeps them compact) ----------

/** The index holds these; the details hold the rest. */
export interface IndexedFields {
  partyId: string;
  pointId: string;
  position: Position;
  effectiveAt: number;
  recordedAt: number;
}

/**
 * The fields kept as texts, in this order (the condition ids as their JSON text). The source is kept
 * as its id: its fields come from the negotiation's sources (a correction shows on every event).
 */
export const DETAIL_TEXTS = [
  'confidence', 'effectivePrecision', 'recordedBy', 'conditionsText', 'conditionPointIds', 'note', 'quote', 'actorId',
  'sourceId', 'documentId', 'milestoneId', 'quoteLanguage', 'translation', 'translationLanguage', 'approvedBy',
] as const satisfies readonly (keyof StanceEventEntity)[];

/** DETAIL_TEXTS' values of a row (the JSON text of the condition ids as stored). */
export function detailTextsOfRow(r: EventRow): (string | null)[] {
  return [
    r.confidence, r.effective_precision, r.recorded_by, r.conditions_text, r.condition_point_ids, r.note, r.quote, r.actor_id,
    r.source_id, r.document_id, r.milestone_id, r.quote_language, r.translation, r.translation_language, r.approved_by,
  ];
}

/** DETAIL_TEXTS' values of an API view. */
export function detailTextsOfView(e: StanceEvent): (string | null)[] {
  return [
    e.confidence, e.effectivePrecision, e.recordedBy, e.conditions.text, JSON.stringify(e.conditions.pointIds), e.note, e.quote, e.actorId,
    e.source.id, e.documentId, e.milestoneId, e.quoteLanguage, e.translation, e.translationLanguage, e.approvedBy ?? null,
  ];
}

/**
 * The API view of an event in force from its details (`text(i)`: DETAIL_TEXTS[i]) and what the
 * index holds, built directly: this runs for every cell of every matrix, and an intermediate entity
 * doubled its garbage. An event in force is visible, so its retraction is never known here.
 * `sourceOf`: the cited source's view by id (one map lookup).
 */
export function viewOfDetails(
  id: string,
  negotiationId: string,
  seq: number,
  indexed: IndexedFields,
  text: (i: number) => string | null,
  sourceOf: (id: string) => CitedSource,
): StanceEvent {
  const conditions = text(4);
  const sourceId = text(8);
  return {
    id,
    negotiationId,
    seq,
    partyId: indexed.partyId,
    pointId: indexed.pointId,
    position: indexed.position,
    score: POSITION_SCORE[indexed.position],
    confidence: text(0) as Confidence,
    effectiveAt: toIso(indexed.effectiveAt),
    effectivePrecision: text(1) as TimePrecision,
    recordedAt: toIso(indexed.recordedAt),
    recordedBy: text(2) ?? '',
    ...(text(14) === null ? {} : { approvedBy: text(14) as string }),
    scheduled: indexed.effectiveAt > indexed.recordedAt + SCHEDULE_TOLERANCE_MS,
    source: sourceId === null ? NO_SOURCE : sourceOf(sourceId),
    conditions: { text: text(3), pointIds: conditions === null ? [] : idsOf(conditions) },
    note: text(5),
    quote: text(6),
    quoteLanguage: text(11),
    translation: text(12),
    translationLanguage: text(13),
    actorId: text(7),
    documentId: text(9),
    milestoneId: text(10),
    retraction: null,
  };
}

// ---------- the cell: which event is in force ----------

/** A cell as the writers see it: its version and the ordering keys of its event in force. */
export interface Cell {
  version: number;
  /** The event in force (null: no event, or all retracted). */
  current: { id: string; effectiveAt: number; recordedAt: number; seq: number } | null;
  /** Its API view when a writer has had it in hand; else loaded when needed. */
  view: StanceEvent | null;
}

/** A cell read with CELL_SELECT. */
export interface CellRow {
  party_id: string | null;
  point_id: string | null;
  version: number | string;
  event_id: string | null;
  effective_at: number | string | null;
  recorded_at: number | string | null;
  seq: number | string | null;
}

/** The cells (alias c) with their event in force's ordering keys: `SELECT ${CELL_SELECT} FROM ${CELL_FROM}`. */
export const CELL_SELECT = 'c.party_id, c.point_id, c.version, c.event_id, e.effective_at, e.recorded_at, e.seq';
export const CELL_FROM = 'current_stances c LEFT JOIN stance_events e ON e.id = c.event_id';

export const cellKey = (partyId: string, pointId: string): string => `${partyId}\u0000${pointId}`;

export function cellOf(row: CellRow): Cell {
  return {
    version: num(row.version),
    current:
      row.event_id !== null && row.effective_at !== null
        ? { id: row.event_id, effectiveAt: num(row.effective_at), recordedAt: num(row.recorded_at), seq: num(row.seq) }
        : null,
    view: null,
  };
}

/**
 * Rule 1, a recorded event: the cell's version goes up by one, and the event is in force only if
 * it is the latest by effective time (a back-dated event leaves the later one in force).
 */
export function cellAfterRecord(cell: Cell, event: StanceEventEntity, view: StanceEvent): { next: Cell; inForce: boolean } {
  const inForce = cell.current === null || compareFacts(cell.current, event) <= 0;
  return {
    next: {
      version: cell.version + 1,
      current: inForce ? { id: event.id, effectiveAt: event.effectiveAt, recordedAt: event.recordedAt, seq: event.seq } : cell.current,
      view: inForce ? view : cell.view,
    },
    inForce,
  };
}

/**
 * Rule 2, a retraction: the version goes up by one, and the cell falls back to its latest event by
 * effective time that is still standing, if any (this query's one row; parameters: negotiation,
 * party, point).
 */
export const STANDING_EVENT_SQL = `SELECT e.id FROM stance_events e
  WHERE e.negotiation_id = ? AND e.party_id = ? AND e.point_id = ?
    AND NOT EXISTS (SELECT 1 FROM stance_retractions r WHERE r.event_id = e.id)
  ORDER BY e.effective_at DESC, e.recorded_at DESC, e.seq DESC LIMIT 1`;

/** Events per lookup (one parameter each). */
const ID_CHUNK = 1_000;

/** Events by id, as API views (with their retraction unless `unretracted`). */
export async function loadEvents(manager: EntityManager, ids: readonly string[], unretracted = false): Promise<Map<string, StanceEvent>> {
  const out = new Map<string, StanceEvent>();
  for (let i = 0; i < ids.length; i += ID_CHUNK) {
    const chunk = ids.slice(i, i + ID_CHUNK);
    const select = unretracted ? `SELECT ${EVENT_SELECT_UNRETRACTED} FROM ${EVENT_ONLY_FROM}` : `SELECT ${EVENT_SELECT} FROM ${EVENT_FROM}`;
    const { rows } = await sql<EventRow>(manager, `${select} WHERE e.id IN (${chunk.map(() => '?').join(', ')})`, chunk);
    for (const row of rows) out.set(row.id, toStanceEvent(row));
  }
  return out;
}
