import type { Corroboration } from '@parley/contracts';
import { corroborationOf, type RunEvent } from '@parley/domain';
import type { EntityManager } from 'typeorm';
import { sql } from '../database/sql';

/** The key of a cell in corroborationFromTables' answer. */
export const corroborationKey = (partyId: string, pointId: string): string => `${partyId}\u0000${pointId}`;

/** Visibility of the event `e` at (asOf, knownAt): 3 parameters (asOf, knownAt, knownAt). */
const visible = (e: string): string =>
  `${e}.effective_at <= ? AND ${e}.recorded_at <= ?
   AND NOT EXISTS (SELECT 1 FROM stance_retractions r_${e} WHERE r_${e}.event_id = ${e}.id AND r_${e}.recorded_at <= ?)`;
const sameCell = (e: string): string => `${e}.negotiation_id = f.negotiation_id AND ${e}.party_id = f.party_id AND ${e}.point_id = f.point_id`;

/**
 * The corroboration of every cell's event in force (libs/domain corroboration.ts), from the tables:
 * per cell, the latest visible event with another position than the one in force (one probe of the
 * (cell, effective_at) index) bounds the run; the run's visible events with that position give
 * their sources. `inForceId`: SQL giving the id of the event in force of current_stances row `c`,
 * with `inForceParams` as its parameters. The reference the in-memory index is tested against.
 */
export async function corroborationFromTables(
  manager: EntityManager,
  negotiationId: string,
  inForceId: string,
  inForceParams: unknown[],
  bounds: { asOf: number; knownAt: number },
): Promise<Map<string, Corroboration>> {
  const view = [bounds.asOf, bounds.knownAt, bounds.knownAt];
  const { rows } = await sql<{ party_id: string; point_id: string; source_id: string; outlet: string | null }>(
    manager,
    `SELECT f.party_id, f.point_id, s.id AS source_id, s.outlet
       FROM current_stances c
       JOIN stance_events f ON f.id = ${inForceId}
       LEFT JOIN stance_events b ON b.id = (
         SELECT e4.id FROM stance_events e4
          WHERE ${sameCell('e4')} AND e4.position <> f.position AND ${visible('e4')}
          ORDER BY e4.effective_at DESC, e4.recorded_at DESC, e4.seq DESC LIMIT 1)
       JOIN stance_events e3 ON ${sameCell('e3')} AND e3.position = f.position AND ${visible('e3')}
         AND (b.id IS NULL OR e3.effective_at > b.effective_at
           OR (e3.effective_at = b.effective_at AND (e3.recorded_at > b.recorded_at OR (e3.recorded_at = b.recorded_at AND e3.seq > b.seq))))
       JOIN sources s ON s.id = e3.source_id
      WHERE c.negotiation_id = ?`,
    [...inForceParams, ...view, ...view, negotiationId],
  );
  const runs = new Map<string, RunEvent[]>();
  for (const r of rows) {
    const key = corroborationKey(r.party_id, r.point_id);
    let run = runs.get(key);
    if (!run) runs.set(key, (run = []));
    run.push({ position: 'run', sourceId: r.source_id, outlet: r.outlet });
  }
  const out = new Map<string, Corroboration>();
  for (const [key, run] of runs) out.set(key, corroborationOf(run));
  return out;
}

