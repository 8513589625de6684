import type { RecordStanceResult } from '@parley/contracts';
import type { EntityManager } from 'typeorm';
import type { StoredChangeRow } from '../changes/change-log.service';
import { loadEvents, type StoredRecordedStance } from './stance-row';

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
