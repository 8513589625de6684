import { POSITION_SCORE, SCHEDULE_TOLERANCE_MS, type Confidence, type Position, type StanceEvent, type TimePrecision } from '@parley/contracts';
import { toIso, toIsoOrNull } from '@parley/domain';
import { num, numOrNull } from '../database/sql';
import type { StanceEventEntity } from './stance.entities';

/** Columns for hand-written reads of events with their retraction (alias e = event, r = retraction). */
export const EVENT_SELECT = `
  e.id, e.negotiation_id, e.seq, e.party_id, e.point_id, e.position, e.confidence, e.effective_at,
  e.effective_precision, e.recorded_at, e.recorded_by, e.conditions_text, e.condition_point_ids, e.note,
  e.quote, e.actor_id, e.source_url, e.source_outlet, e.source_title, e.source_published_at,
  e.document_id, e.milestone_id,
  r.id AS r_id, r.seq AS r_seq, r.reason AS r_reason, r.recorded_at AS r_recorded_at, r.recorded_by AS r_recorded_by`;

export const EVENT_FROM = 'stance_events e LEFT JOIN stance_retractions r ON r.event_id = e.id';

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
  r_id: string | null;
  r_seq: number | string | null;
  r_reason: string | null;
  r_recorded_at: number | string | null;
  r_recorded_by: string | null;
}

/** Maps a row to the API shape; a retraction recorded after `knownAt` is not shown. */
export function toStanceEvent(row: EventRow, knownAt?: number): StanceEvent {
  const retractedAt = numOrNull(row.r_recorded_at);
  const retractionKnown = row.r_id !== null && retractedAt !== null && (knownAt === undefined || retractedAt <= knownAt);
  return buildStanceEvent(
    {
      id: row.id,
      negotiationId: row.negotiation_id,
      seq: num(row.seq),
      partyId: row.party_id,
      pointId: row.point_id,
      position: row.position,
      confidence: row.confidence,
      effectiveAt: num(row.effective_at),
      effectivePrecision: row.effective_precision,
      recordedAt: num(row.recorded_at),
      recordedBy: row.recorded_by,
      conditionsText: row.conditions_text,
      conditionPointIds: JSON.parse(row.condition_point_ids) as string[],
      note: row.note,
      quote: row.quote,
      actorId: row.actor_id,
      sourceUrl: row.source_url,
      sourceOutlet: row.source_outlet,
      sourceTitle: row.source_title,
      sourcePublishedAt: numOrNull(row.source_published_at),
      documentId: row.document_id,
      milestoneId: row.milestone_id,
    },
    retractionKnown && retractedAt !== null
      ? { id: row.r_id as string, seq: num(row.r_seq), reason: row.r_reason ?? '', recordedAt: toIso(retractedAt), recordedBy: row.r_recorded_by ?? '' }
      : null,
  );
}

/** The API shape of an event, from its entity (a fresh event has no retraction). */
export function buildStanceEvent(e: StanceEventEntity, retraction: StanceEvent['retraction'] = null): StanceEvent {
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
    scheduled: e.effectiveAt > e.recordedAt + SCHEDULE_TOLERANCE_MS,
    source: {
      url: e.sourceUrl,
      outlet: e.sourceOutlet,
      title: e.sourceTitle,
      publishedAt: toIsoOrNull(e.sourcePublishedAt),
    },
    conditions: { text: e.conditionsText, pointIds: e.conditionPointIds },
    note: e.note,
    quote: e.quote,
    actorId: e.actorId,
    documentId: e.documentId,
    milestoneId: e.milestoneId,
    retraction,
  };
}
