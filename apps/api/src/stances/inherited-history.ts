import type { InheritedHistory, LineageKind } from '@parley/contracts';
import { toIso } from '@parley/domain';
import { In, type EntityManager } from 'typeorm';
import { num, sql } from '../database/sql';
import { DocumentEntity, ProvisionEntity } from '../documents/document.entity';
import { PointEntity, PointLineageEntity } from '../points/point.entity';
import { EVENT_FROM, EVENT_SELECT, toStanceEvent, type EventRow } from './stance-row';

/** How far up the lineage a history reaches: far beyond any real plan, a guard against a loop. */
const MAX_DEPTH = 16;

/** Codes in their natural order: p5 before p10. */
export const byCode = (a: { code: string }, b: { code: string }) => a.code.localeCompare(b.code, undefined, { numeric: true });

/**
 * When each point was first tabled: the earliest publication date of a document holding a provision
 * for it. A point in no document is absent from the map.
 */
export async function firstTabled(manager: EntityManager, pointIds: readonly string[]): Promise<Map<string, number>> {
  if (pointIds.length === 0) return new Map();
  const rows = await manager
    .createQueryBuilder(ProvisionEntity, 'p')
    .innerJoin(DocumentEntity, 'd', 'd.id = p.document_id')
    .select(['p.point_id AS point_id', 'MIN(d.published_at) AS first'])
    .where('p.point_id IN (:...pointIds)', { pointIds: [...pointIds] })
    .groupBy('p.point_id')
    .getRawMany<{ point_id: string; first: number | string }>();
  return new Map(rows.map((r) => [r.point_id, num(r.first)]));
}

/** A point's derivedFrom parents, in their codes' natural order, with the kind of each link. */
export async function parentsOf(manager: EntityManager, negotiationId: string, pointId: string): Promise<{ point: PointEntity; kind: LineageKind }[]> {
  const links = await manager.findBy(PointLineageEntity, { pointId });
  if (links.length === 0) return [];
  const points = await manager.findBy(PointEntity, { id: In(links.map((l) => l.derivedFromId)), negotiationId });
  const kindOf = new Map(links.map((l) => [l.derivedFromId, l.kind]));
  return points.sort(byCode).map((point) => ({ point, kind: kindOf.get(point.id) ?? 'split' }));
}

/**
 * What a point inherits along its lineage (issue 18, item 6): for each parent, and each parent's
 * parent in turn (nearest first, each ancestor once), its provisions published and its stance events
 * effective before the point derived from it was first tabled — the history "before the split or
 * merge". The cut-off only ever moves earlier going up: a grandparent's entries come from before the
 * parent was tabled, and before the point itself was. A point in no document cuts nothing off.
 */
export async function inheritedHistory(
  manager: EntityManager,
  negotiationId: string,
  point: PointEntity,
  filters: { partyId?: string; knownAt?: number },
): Promise<InheritedHistory[]> {
  const out: InheritedHistory[] = [];
  const seen = new Set<string>([point.id]);
  let level: { via: PointEntity; before: number | null }[] = [{ via: point, before: null }];
  for (let depth = 0; depth < MAX_DEPTH && level.length > 0; depth++) {
    const next: typeof level = [];
    const tabled = await firstTabled(manager, level.map((l) => l.via.id));
    for (const { via, before: below } of level) {
      const own = tabled.get(via.id);
      const before = own === undefined ? below : below === null ? own : Math.min(own, below);
      for (const { point: from, kind } of await parentsOf(manager, negotiationId, via.id)) {
        if (seen.has(from.id)) continue;
        seen.add(from.id);
        out.push({
          from: { id: from.id, code: from.code, title: from.title },
          kind,
          via: { id: via.id, code: via.code, title: via.title },
          before: before === null ? null : toIso(before),
          provisions: await provisionsBefore(manager, from.id, before),
          events: await eventsBefore(manager, negotiationId, from.id, before, filters),
        });
        next.push({ via: from, before });
      }
    }
    level = next;
  }
  return out;
}

async function provisionsBefore(manager: EntityManager, pointId: string, before: number | null): Promise<InheritedHistory['provisions']> {
  const qb = manager
    .createQueryBuilder(ProvisionEntity, 'p')
    .innerJoin(DocumentEntity, 'd', 'd.id = p.document_id')
    .select(['p.document_id AS document_id', 'd.title AS title', 'd.published_at AS published_at', 'p.number AS number', 'p.text AS text'])
    .where('p.point_id = :pointId', { pointId });
  if (before !== null) qb.andWhere('d.published_at < :before', { before });
  const rows = await qb.orderBy('d.published_at', 'ASC').getRawMany<{ document_id: string; title: string; published_at: number | string; number: string; text: string }>();
  return rows.map((p) => ({ documentId: p.document_id, documentTitle: p.title, publishedAt: toIso(num(p.published_at)), number: p.number, text: p.text }));
}

async function eventsBefore(
  manager: EntityManager,
  negotiationId: string,
  pointId: string,
  before: number | null,
  filters: { partyId?: string; knownAt?: number },
): Promise<InheritedHistory['events']> {
  const where = ['e.negotiation_id = ?', 'e.point_id = ?'];
  const params: unknown[] = [negotiationId, pointId];
  if (before !== null) {
    where.push('e.effective_at < ?');
    params.push(before);
  }
  if (filters.partyId) {
    where.push('e.party_id = ?');
    params.push(filters.partyId);
  }
  if (filters.knownAt !== undefined) {
    where.push('+e.recorded_at <= ?');
    params.push(filters.knownAt);
  }
  const { rows } = await sql<EventRow>(
    manager,
    `SELECT ${EVENT_SELECT} FROM ${EVENT_FROM} WHERE ${where.join(' AND ')} ORDER BY e.effective_at ASC, e.recorded_at ASC, e.seq ASC`,
    params,
  );
  return rows.map((row) => toStanceEvent(row, filters.knownAt));
}
