import { Injectable } from '@nestjs/common';
import type { PlanQuery, Point, PointCreate, PointPatch } from '@parley/contracts';
import { toIso, type TimeView } from '@parley/domain';
import { In, type EntityManager } from 'typeorm';
import { badReference, conflict, notFound } from '../common/app-error';
import { newId } from '../common/ids';
import { checkVersion, findScoped, requireRefs } from '../common/scoped';
import { ChangeLog } from '../changes/change-log.service';
import { effectiveOf, planView, PlanVersions, type HistoryTimes } from '../changes/plan-versions.service';
import { Db, type Tx } from '../database/db.service';
import { NegotiationsService } from '../negotiations/negotiations.service';
import { PointEntity, PointLineageEntity } from './point.entity';

export const toPoint = (p: PointEntity, lineage: PointLineageEntity[]): Point => ({
  id: p.id,
  negotiationId: p.negotiationId,
  code: p.code,
  title: p.title,
  category: p.category,
  description: p.description,
  sortOrder: p.sortOrder,
  derivedFrom: lineage.filter((l) => l.pointId === p.id).map((l) => ({ pointId: l.derivedFromId, kind: l.kind })),
  version: p.version,
  createdAt: toIso(p.createdAt),
  updatedAt: toIso(p.updatedAt),
});

@Injectable()
export class PointsService {
  constructor(
    private readonly db: Db,
    private readonly changes: ChangeLog,
    private readonly negotiations: NegotiationsService,
    private readonly versions: PlanVersions,
  ) {}

  async list(negotiation: string, query: PlanQuery = {}): Promise<Point[]> {
    const id = await this.negotiations.resolveId(negotiation);
    const view = planView(query);
    return view ? this.listAt(this.db.read, id, view) : this.listIn(this.db.read, id);
  }

  /** The points as they were at (asOf, knownAt): those tabled and known by then, with their fields then, in their order then. */
  async listAt(manager: EntityManager, negotiationId: string, view: TimeView): Promise<Point[]> {
    const points = await this.versions.asOf(manager, negotiationId, 'point', await this.listIn(manager, negotiationId), view);
    return points.sort((a, b) => a.sortOrder - b.sortOrder || a.createdAt.localeCompare(b.createdAt));
  }

  async listIn(manager: EntityManager, negotiationId: string): Promise<Point[]> {
    const points = await manager.find(PointEntity, { where: { negotiationId }, order: { sortOrder: 'ASC', createdAt: 'ASC' } });
    const lineage = points.length ? await manager.findBy(PointLineageEntity, { pointId: In(points.map((p) => p.id)) }) : [];
    return points.map((p) => toPoint(p, lineage));
  }

  async get(negotiation: string, pointId: string, query: PlanQuery = {}): Promise<Point> {
    const id = await this.negotiations.resolveId(negotiation);
    const point = await findScoped(this.db.read, PointEntity, id, pointId, 'Point');
    const current = toPoint(point, await this.db.read.findBy(PointLineageEntity, { pointId: point.id }));
    const view = planView(query);
    if (!view) return current;
    const [then] = await this.versions.asOf(this.db.read, id, 'point', [current], view, point.id);
    if (!then) throw notFound('Point', pointId);
    return then;
  }

  async create(negotiation: string, input: PointCreate, author: string): Promise<Point> {
    const negotiationId = await this.negotiations.resolveId(negotiation);
    return this.db.write((tx) => this.createIn(tx, negotiationId, input, author));
  }

  /** create inside a caller's transaction (an import creates many points in one). */
  async createIn(tx: Tx, negotiationId: string, input: PointCreate, author: string, history: HistoryTimes = {}): Promise<Point> {
    const seq = await this.changes.nextSeq(tx, negotiationId);
    const count = await tx.manager.countBy(PointEntity, { negotiationId });
    const code = input.code ?? (await this.freeCode(tx.manager, negotiationId, count + 1));
    await this.checkCode(tx.manager, negotiationId, code);
    const now = Date.now();
    const point: PointEntity = {
      id: newId(),
      negotiationId,
      code,
      title: input.title,
      category: input.category,
      description: input.description ?? '',
      sortOrder: input.sortOrder ?? count,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await tx.manager.insert(PointEntity, point);
    const lineage = await this.setLineage(tx, negotiationId, point.id, input.derivedFrom ?? []);
    const view = toPoint(point, lineage);
    await this.changes.record(tx, { negotiationId, seq, kind: 'point.created', entityId: point.id, data: view, recordedAt: now, recordedBy: author });
    await this.versions.append(tx, {
      negotiationId,
      kind: 'point',
      entityId: point.id,
      seq,
      effectiveAt: history.effectiveAt ?? effectiveOf(input.effectiveAt, now),
      recordedAt: history.recordedAt ?? now,
      data: view,
    });
    return view;
  }

  async update(negotiation: string, pointId: string, patch: PointPatch, author: string): Promise<Point> {
    const negotiationId = await this.negotiations.resolveId(negotiation);
    return this.db.write((tx) => this.updateIn(tx, negotiationId, pointId, patch, author));
  }

  /** update inside a caller's transaction. */
  async updateIn(tx: Tx, negotiationId: string, pointId: string, patch: PointPatch, author: string): Promise<Point> {
    const seq = await this.changes.nextSeq(tx, negotiationId);
    const current = await findScoped(tx.manager, PointEntity, negotiationId, pointId, 'Point');
    const currentLineage = await tx.manager.findBy(PointLineageEntity, { pointId: current.id });
    const before = toPoint(current, currentLineage);
    checkVersion('Point', current.version, patch.expectedVersion, before);
    if (patch.code !== undefined && patch.code !== current.code) await this.checkCode(tx.manager, negotiationId, patch.code);
    const now = Date.now();
    const next: PointEntity = {
      ...current,
      code: patch.code ?? current.code,
      title: patch.title ?? current.title,
      category: patch.category ?? current.category,
      description: patch.description ?? current.description,
      sortOrder: patch.sortOrder ?? current.sortOrder,
      version: current.version + 1,
      updatedAt: now,
    };
    await tx.manager.update(PointEntity, { id: current.id }, {
      code: next.code,
      title: next.title,
      category: next.category,
      description: next.description,
      sortOrder: next.sortOrder,
      version: next.version,
      updatedAt: now,
    });
    const lineage = patch.derivedFrom ? await this.setLineage(tx, negotiationId, current.id, patch.derivedFrom) : currentLineage;
    const view = toPoint(next, lineage);
    await this.changes.record(tx, { negotiationId, seq, kind: 'point.updated', entityId: current.id, data: view, before, recordedAt: now, recordedBy: author });
    await this.versions.append(tx, { negotiationId, kind: 'point', entityId: current.id, seq, effectiveAt: effectiveOf(patch.effectiveAt, now), recordedAt: now, data: view });
    return view;
  }

  private async checkCode(manager: EntityManager, negotiationId: string, code: string): Promise<void> {
    if (await manager.existsBy(PointEntity, { negotiationId, code })) {
      throw conflict('CONFLICT', `code '${code}' is already used by another point of this negotiation`);
    }
  }

  private async freeCode(manager: EntityManager, negotiationId: string, from: number): Promise<string> {
    for (let n = from; ; n++) {
      const code = `p${String(n).padStart(2, '0')}`;
      if (!(await manager.existsBy(PointEntity, { negotiationId, code }))) return code;
    }
  }

  /** Lineage is a property of the point: replacing it is an edit, kept in the change log's before/after. */
  private async setLineage(tx: Tx, negotiationId: string, pointId: string, links: NonNullable<PointCreate['derivedFrom']>) {
    const seen = new Set<string>();
    for (const [index, link] of links.entries()) {
      if (link.pointId === pointId) throw badReference(`derivedFrom.${index}.pointId`, 'a point cannot derive from itself');
      if (seen.has(link.pointId)) throw badReference(`derivedFrom.${index}.pointId`, 'appears more than once');
      seen.add(link.pointId);
    }
    await requireRefs(tx.manager, PointEntity, negotiationId, links.map((l, i) => ({ field: `derivedFrom.${i}.pointId`, id: l.pointId })), 'Point');
    await tx.manager.delete(PointLineageEntity, { pointId });
    const rows: PointLineageEntity[] = links.map((l) => ({ pointId, derivedFromId: l.pointId, kind: l.kind }));
    if (rows.length) await tx.manager.insert(PointLineageEntity, rows);
    return rows;
  }
}
