import type { RecordStanceResult, StanceEvent } from '@parley/contracts';
import type { EntityManager } from 'typeorm';
import type { StoredChangeRow, StoredForm } from '../changes/change-log.service';
import { sql } from '../database/sql';
import { toStanceEvent, type EventRow } from './stance.mapper';

/**
 * How a change's data is kept in the `change_log.data` column.
 *
 * Most kinds store their data as it was published. A recorded stance — by far the most frequent
 * change, up to a thousand per batch — stores references instead of copies: its event is the
 * row `entity_id` of `stance_events`, and the cell keeps only its version and the id of the event
 * in force. The published shape (`RecordStanceResult`: the event and the cell with its current
 * event in full) is rebuilt from `stance_events` when the log is read (live replay, dumps). Both
 * events are rebuilt without a retraction: the recorded event is new at that point, and the event
 * in force is, by definition, not retracted then. This keeps a change-log row at ~60 bytes instead
 * of ~1.3 KB, which was half of what a batch wrote. Rows written before this form (the event and
 * cell in full) are read as they are.
 */
export interface StoredRecordedStance {
  /** Marks the reference form. */
  ref: 'stance-event';
  version: number;
  /** The event in force in the cell after the change (the change's own event, or an older one it did not displace). */
  currentId: string | null;
}

/** What is stored for a change's data (serialized into the JSON column). */
export function storedForm(kind: string, data: unknown): unknown {
  if (kind !== 'stance.recorded') return data;
  const { cell } = data as RecordStanceResult;
  const stored: StoredRecordedStance = { ref: 'stance-event', version: cell.version, currentId: cell.current?.id ?? null };
  return stored;
}

/** Events per lookup (one parameter each). */
const ID_CHUNK = 1_000;

/**
 * The published data of the changes stored in reference form, by seq; rows in any other form are
 * not in the map (their stored text is their data). One query per thousand events referenced.
 */
export async function rebuildRecorded(manager: EntityManager, rows: readonly StoredChangeRow[]): Promise<Map<number, RecordStanceResult>> {
  const refs: { seq: number; eventId: string; stored: StoredRecordedStance }[] = [];
  for (const row of rows) {
    if (row.kind !== 'stance.recorded' || !row.data.startsWith('{"ref":')) continue;
    refs.push({ seq: row.seq, eventId: row.entityId, stored: JSON.parse(row.data) as StoredRecordedStance });
  }
  const out = new Map<number, RecordStanceResult>();
  if (refs.length === 0) return out;
  const ids = [...new Set(refs.flatMap((r) => (r.stored.currentId === null ? [r.eventId] : [r.eventId, r.stored.currentId])))];
  const events = new Map<string, StanceEvent>();
  for (let i = 0; i < ids.length; i += ID_CHUNK) {
    const chunk = ids.slice(i, i + ID_CHUNK);
    const { rows: found } = await sql<EventRow>(
      manager,
      `SELECT e.id, e.negotiation_id, e.seq, e.party_id, e.point_id, e.position, e.confidence, e.effective_at,
              e.effective_precision, e.recorded_at, e.recorded_by, e.conditions_text, e.condition_point_ids, e.note,
              e.quote, e.actor_id, e.source_url, e.source_outlet, e.source_title, e.source_published_at,
              e.document_id, e.milestone_id,
              NULL AS r_id, NULL AS r_seq, NULL AS r_reason, NULL AS r_recorded_at, NULL AS r_recorded_by
         FROM stance_events e WHERE e.id IN (${chunk.map(() => '?').join(', ')})`,
      chunk,
    );
    for (const row of found) events.set(row.id, toStanceEvent(row));
  }
  for (const { seq, eventId, stored } of refs) {
    const event = events.get(eventId);
    const current = stored.currentId === null ? null : events.get(stored.currentId);
    if (!event || current === undefined) {
      throw new Error(`change ${seq}: stance event ${event ? stored.currentId : eventId} is referenced but not stored`);
    }
    out.set(seq, { event, cell: { partyId: event.partyId, pointId: event.pointId, version: stored.version, current } });
  }
  return out;
}

/** The change log keeps a recorded stance in this form (registered by StancesModule). */
export const RECORDED_STANCE_FORM: StoredForm = {
  kind: 'stance.recorded',
  store: (data) => storedForm('stance.recorded', data),
  rebuild: rebuildRecorded,
};
