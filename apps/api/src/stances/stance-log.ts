import type { RecordStanceResult, StanceEvent } from '@parley/contracts';
import type { EntityManager } from 'typeorm';
import type { StoredChangeRow, StoredForm } from '../changes/change-log.service';
import { sql } from '../database/sql';
import { EVENT_FROM, EVENT_ONLY_FROM, EVENT_SELECT, EVENT_SELECT_UNRETRACTED, toStanceEvent, type EventRow } from './stance-row';

// ---------- a recorded stance in the change log ----------

/**
 * How a recorded stance is kept in `change_log.data`. It is by far the most frequent change, up to
 * a thousand per batch, so it stores references instead of copies: its event is the row
 * `entity_id` of `stance_events`, and the cell keeps only its version and the id of the event in
 * force. The published shape (`RecordStanceResult`) is rebuilt from `stance_events` when the log is
 * read (live replay, dumps). Both events are rebuilt without a retraction: the recorded event is
 * new at that point, and the event in force is, by definition, not retracted then. This keeps a
 * row at ~60 bytes instead of ~1.3 KB. Rows written before this form (the data in full) are read
 * as they are.
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
  const events = await loadEvents(manager, ids, true);
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
