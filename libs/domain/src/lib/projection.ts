import type { Position } from '@parley/contracts';

/** The part of a stance event that decides which stance is in force. Times are epoch ms. */
export interface StanceFact {
  id: string;
  partyId: string;
  pointId: string;
  position: Position;
  effectiveAt: number;
  recordedAt: number;
  seq: number;
  /** recordedAt of the retraction, or null when the event was never retracted. */
  retractedAt: number | null;
}

/** A bitemporal view; an absent bound means "no limit". */
export interface TimeView {
  asOf?: number;
  knownAt?: number;
}

export function cellKey(partyId: string, pointId: string): string {
  // Ids are UUIDs, which never contain ':', so two different pairs never share a key.
  return `${partyId}:${pointId}`;
}

/** The order in which stances supersede each other: later effectiveAt wins, then later recording. */
export type FactOrder = Pick<StanceFact, 'effectiveAt' | 'recordedAt' | 'seq'>;

export function compareFacts(a: FactOrder, b: FactOrder): number {
  return a.effectiveAt - b.effectiveAt || a.recordedAt - b.recordedAt || a.seq - b.seq;
}

/**
 * Whether Parley, knowing what it knew at `knownAt`, believes the event held at `asOf`.
 * A retraction corrects the record rather than ending the stance, so once known it hides the event
 * for every asOf, not only for times after the retraction.
 */
export function isVisible(fact: StanceFact, view: TimeView): boolean {
  const knownAt = view.knownAt ?? Number.POSITIVE_INFINITY;
  if (fact.recordedAt > knownAt) return false;
  if (view.asOf !== undefined && fact.effectiveAt > view.asOf) return false;
  return fact.retractedAt === null || fact.retractedAt > knownAt;
}

/** Current stance per cell (keyed by cellKey): the greatest visible fact by compareFacts. */
export function currentStances(facts: Iterable<StanceFact>, view: TimeView): Map<string, StanceFact> {
  // Nested maps first: building a key string for every one of a million facts costs more than
  // two lookups; keys are built once per cell at the end.
  const byParty = new Map<string, Map<string, StanceFact>>();
  for (const fact of facts) {
    if (!isVisible(fact, view)) continue;
    let byPoint = byParty.get(fact.partyId);
    if (byPoint === undefined) {
      byPoint = new Map();
      byParty.set(fact.partyId, byPoint);
    }
    const held = byPoint.get(fact.pointId);
    if (held === undefined || compareFacts(fact, held) > 0) byPoint.set(fact.pointId, fact);
  }
  const current = new Map<string, StanceFact>();
  for (const [partyId, byPoint] of byParty) {
    for (const [pointId, fact] of byPoint) current.set(cellKey(partyId, pointId), fact);
  }
  return current;
}

/**
 * Per cell: events + retractions. Every write to a cell bumps it by one, so it serves as the
 * optimistic-lock token, and being derivable from the events lets a rebuild check the projection.
 */
export function cellVersions(facts: Iterable<StanceFact>): Map<string, number> {
  const versions = new Map<string, number>();
  for (const fact of facts) {
    const key = cellKey(fact.partyId, fact.pointId);
    const bump = fact.retractedAt === null ? 1 : 2;
    versions.set(key, (versions.get(key) ?? 0) + bump);
  }
  return versions;
}
