import type { Corroboration } from '@parley/contracts';

/*
 * Corroboration of a cell's stance in force: one rule, used by the in-memory index, the SQL path and
 * the dashboard.
 *
 * The events that support the stance in force at (asOf, knownAt) are its run: walking back from the
 * event in force through the cell's visible events (effective by asOf, recorded by knownAt, not
 * retracted by knownAt) in compareFacts order, every event with the same position, up to the first
 * visible event with another one. An older run of the same position, interrupted by another
 * position, no longer supports it: the party changed its mind since.
 *
 * Their cited sources are counted twice:
 * - `sources`: distinct source records (an event without a source counts for nothing);
 * - `outlets`: distinct outlets among those sources, compared case- and space-insensitively
 *   ("The  Kyiv Independent" is "the kyiv independent"). A source without an outlet (a document, a
 *   paraphrased report that only describes who said what) is a source but not an outlet: nothing
 *   says it is independent of the outlets already counted, so it cannot corroborate them.
 * `corroborated`: at least two outlets; two articles of one outlet are one outlet.
 */

/** Two independent outlets make a stance corroborated. */
export const CORROBORATING_OUTLETS = 2;

export const NO_CORROBORATION: Corroboration = Object.freeze({ outlets: 0, sources: 0, corroborated: false });

/** The key two outlets are compared by: case folded, every space removed (null: no outlet). */
export function outletKey(outlet: string | null | undefined): string | null {
  if (outlet === null || outlet === undefined) return null;
  const key = outlet.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');
  return key === '' ? null : key;
}

/** The view of counted outlets and sources. */
export function corroboration(outlets: number, sources: number): Corroboration {
  if (outlets === 0 && sources === 0) return NO_CORROBORATION;
  return { outlets, sources, corroborated: outlets >= CORROBORATING_OUTLETS };
}

/** What the rule needs of an event, in compareFacts order (oldest first). */
export interface RunEvent {
  position: string;
  /** The cited source's id, or null when the event cites none. */
  sourceId: string | null;
  outlet: string | null;
}

/**
 * The corroboration of the last event of `visible` (the cell's visible events at a time view, in
 * compareFacts order, so the last one is in force). The reference form of the rule; the index
 * computes the same over typed arrays.
 */
export function corroborationOf(visible: readonly RunEvent[]): Corroboration {
  if (visible.length === 0) return NO_CORROBORATION;
  const position = visible[visible.length - 1].position;
  const sources = new Set<string>();
  const outlets = new Set<string>();
  for (let j = visible.length - 1; j >= 0 && visible[j].position === position; j -= 1) {
    const { sourceId, outlet } = visible[j];
    if (sourceId === null) continue;
    sources.add(sourceId);
    const key = outletKey(outlet);
    if (key !== null) outlets.add(key);
  }
  return corroboration(outlets.size, sources.size);
}
