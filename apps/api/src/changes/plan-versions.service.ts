import { Injectable } from '@nestjs/common';
import { compareFacts, parseBound, parseInstant, versionsInForce, type PlanVersion, type TimeView } from '@parley/domain';
import type { EntityManager } from 'typeorm';
import { newId } from '../common/ids';
import type { Tx } from '../database/db.service';
import { PlanVersionEntity, type PlanKind } from './plan-version.entity';

export type { PlanKind } from './plan-version.entity';

/** A version to append: the entity after the change, in the change's transaction. */
export interface PlanVersionInput {
  negotiationId: string;
  kind: PlanKind;
  entityId: string;
  seq: number;
  effectiveAt: number;
  recordedAt: number;
  data: unknown;
}

/**
 * The times of an entity's first version when a loader replays a history learnt over time (the
 * demo: a point tabled with the text that introduced it); the API never sets them.
 */
export interface HistoryTimes {
  effectiveAt?: number;
  recordedAt?: number;
}

/** A read's bounds from its query (a day means its end), undefined when it has none: then the current tables answer. */
export function planView(query: { asOf?: string; knownAt?: string }): TimeView | undefined {
  if (query.asOf === undefined && query.knownAt === undefined) return undefined;
  return {
    asOf: query.asOf === undefined ? undefined : parseBound(query.asOf),
    knownAt: query.knownAt === undefined ? undefined : parseBound(query.knownAt),
  };
}

/** When a write's change took effect: its `effectiveAt` if given, else `fallback` (now). */
export const effectiveOf = (effectiveAt: string | undefined, fallback: number): number =>
  effectiveAt === undefined ? fallback : parseInstant(effectiveAt);

/**
 * The plan's history (points, parties, documents with their provisions): the versions are appended
 * by the features' writes in their transactions, and read as they were at (asOf, knownAt) with
 * `versionsInForce` from libs/domain. The current tables stay the latest projection.
 */
@Injectable()
export class PlanVersions {
  async append(tx: Tx, input: PlanVersionInput): Promise<void> {
    const row: PlanVersionEntity = { id: newId(), ...input };
    await tx.manager.insert(PlanVersionEntity, row as never);
  }

  /**
   * For a loader completing a history an older version of it wrote (the demo): when the entity's
   * earliest version takes effect after `times`, its first version is laid again at those times
   * (seq 0), so the entity is tabled as the history says. Returns whether it appended.
   */
  async backdate(tx: Tx, negotiationId: string, kind: PlanKind, entityId: string, times: Required<HistoryTimes>): Promise<boolean> {
    const versions = await this.load(tx.manager, negotiationId, kind, entityId);
    const first = versions.reduce<PlanVersion<unknown> | undefined>((a, v) => (a === undefined || compareFacts(v, a) < 0 ? v : a), undefined);
    if (!first || first.effectiveAt <= times.effectiveAt) return false;
    await this.append(tx, { negotiationId, kind, entityId, seq: 0, effectiveAt: times.effectiveAt, recordedAt: Math.min(times.recordedAt, first.recordedAt), data: first.data });
    return true;
  }

  async load<T>(manager: EntityManager, negotiationId: string, kind: PlanKind, entityId?: string): Promise<PlanVersion<T>[]> {
    const rows = await manager.find(PlanVersionEntity, { where: entityId ? { negotiationId, kind, entityId } : { negotiationId, kind } });
    return rows.map((r) => ({ entityId: r.entityId, effectiveAt: r.effectiveAt, recordedAt: r.recordedAt, seq: r.seq, data: r.data as T }));
  }

  /**
   * The entities of `current` (the latest projection) as they were at `view`: each its version in
   * force laid over its current fields (so a field added since the version was written keeps its
   * current value); those with no version in force — not yet tabled, not yet known — left out.
   */
  async asOf<T extends { id: string }>(manager: EntityManager, negotiationId: string, kind: PlanKind, current: T[], view: TimeView, entityId?: string): Promise<T[]> {
    const inForce = versionsInForce(await this.load<Partial<T>>(manager, negotiationId, kind, entityId), view);
    return current.flatMap((entity) => {
      const held = inForce.get(entity.id);
      return held ? [{ ...entity, ...held.data, id: entity.id }] : [];
    });
  }
}
