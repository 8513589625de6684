import type { Party, PlanDocument, Point } from '@parley/contracts';
import type { TimeView } from '@parley/domain';
import type { EntityManager } from 'typeorm';
import type { DocumentsService } from '../documents/documents.service';
import type { PartiesService } from '../parties/parties.service';
import type { PointsService } from '../points/points.service';

/**
 * The rows and columns of a matrix (or metrics) at (asOf, knownAt): without a bound the current
 * tables; with one, only the points tabled and known by then, with their titles then, and every
 * party named as it was then (a party with no version by then keeps its current name: columns are
 * not tabled, they are who speaks).
 */
export async function planAt(
  manager: EntityManager,
  negotiationId: string,
  services: { parties: PartiesService; points: PointsService },
  asOf: number | undefined,
  knownAt: number | undefined,
): Promise<{ parties: Party[]; points: Point[] }> {
  if (asOf === undefined && knownAt === undefined) {
    const [parties, points] = await Promise.all([services.parties.listIn(manager, negotiationId), services.points.listIn(manager, negotiationId)]);
    return { parties, points };
  }
  const view: TimeView = { asOf, knownAt };
  const [current, then, points] = await Promise.all([
    services.parties.listIn(manager, negotiationId),
    services.parties.listAt(manager, negotiationId, view),
    services.points.listAt(manager, negotiationId, view),
  ]);
  const named = new Map(then.map((p) => [p.id, p]));
  return { parties: current.map((p) => named.get(p.id) ?? p), points };
}

/** The document whose numbering a matrix uses, with its provisions as they were at (asOf, knownAt) (its first version if it was published later). */
export async function documentAt(
  manager: EntityManager,
  documents: DocumentsService,
  document: PlanDocument | null,
  asOf: number | undefined,
  knownAt: number | undefined,
): Promise<PlanDocument | null> {
  if (!document || (asOf === undefined && knownAt === undefined)) return document;
  return (await documents.getAt(manager, document, { asOf, knownAt })) ?? document;
}

/**
 * Every point and party (for lookups: a report's changes, its reference sheets), each as it was
 * named at (asOf, knownAt) where it had a version by then, else as it is now.
 */
export async function namesAt(
  manager: EntityManager,
  negotiationId: string,
  services: { parties: PartiesService; points: PointsService },
  asOf: number | undefined,
  knownAt: number | undefined,
): Promise<{ parties: Party[]; points: Point[] }> {
  const [parties, points] = await Promise.all([services.parties.listIn(manager, negotiationId), services.points.listIn(manager, negotiationId)]);
  if (asOf === undefined && knownAt === undefined) return { parties, points };
  const view: TimeView = { asOf, knownAt };
  const [partiesThen, pointsThen] = await Promise.all([services.parties.listAt(manager, negotiationId, view), services.points.listAt(manager, negotiationId, view)]);
  const overlay = <T extends { id: string }>(now: T[], then: T[]) => {
    const byId = new Map(then.map((x) => [x.id, x]));
    return now.map((x) => byId.get(x.id) ?? x);
  };
  return { parties: overlay(parties, partiesThen), points: overlay(points, pointsThen) };
}
