import type { RecordStanceResult } from '@parley/contracts';
import type { EntityManager } from 'typeorm';
import type { StoredChangeRow } from '../changes/change-log.service';
import { loadEvents } from './stance-row';

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

/**
 * The read side of a recorded stance's change-log form (stance-row.ts, storedForm), for live replay
 * and dumps: the published data of the changes stored in reference form, by seq; rows in any other form are
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
