import { compareFacts, type TimeView } from './projection';

/**
 * One version of a piece of the plan (a point, a party, a document with its provisions): what it
 * said, from when (`effectiveAt`) and since when Parley knew it (`recordedAt`); `seq` orders two
 * versions with equal times. Versions are never changed, only appended.
 */
export interface PlanVersion<T> {
  entityId: string;
  effectiveAt: number;
  recordedAt: number;
  seq: number;
  data: T;
}

/**
 * The version in force at (asOf, knownAt), by the stances' rule: among the versions recorded by
 * `knownAt` and effective by `asOf`, the latest by effective time, then recorded time, then seq.
 * Undefined when none is: the entity was not yet tabled (asOf) or not yet known (knownAt).
 */
export function versionInForce<T>(versions: Iterable<PlanVersion<T>>, view: TimeView): PlanVersion<T> | undefined {
  const asOf = view.asOf ?? Number.POSITIVE_INFINITY;
  const knownAt = view.knownAt ?? Number.POSITIVE_INFINITY;
  let held: PlanVersion<T> | undefined;
  for (const v of versions) {
    if (v.effectiveAt > asOf || v.recordedAt > knownAt) continue;
    if (held === undefined || compareFacts(v, held) > 0) held = v;
  }
  return held;
}

/** Per entity, the version in force at (asOf, knownAt); entities with none are left out. */
export function versionsInForce<T>(versions: Iterable<PlanVersion<T>>, view: TimeView): Map<string, PlanVersion<T>> {
  const byEntity = new Map<string, PlanVersion<T>[]>();
  for (const v of versions) {
    const list = byEntity.get(v.entityId);
    if (list) list.push(v);
    else byEntity.set(v.entityId, [v]);
  }
  const out = new Map<string, PlanVersion<T>>();
  for (const [entityId, list] of byEntity) {
    const held = versionInForce(list, view);
    if (held) out.set(entityId, held);
  }
  return out;
}

/**
 * The date an entity was first tabled as known at `knownAt`: the earliest effective time of its
 * versions recorded by then (undefined: not known yet).
 */
export function firstTabled(versions: Iterable<PlanVersion<unknown>>, knownAt?: number): number | undefined {
  let first: number | undefined;
  for (const v of versions) {
    if (knownAt !== undefined && v.recordedAt > knownAt) continue;
    if (first === undefined || v.effectiveAt < first) first = v.effectiveAt;
  }
  return first;
}
