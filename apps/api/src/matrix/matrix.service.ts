import { Injectable } from '@nestjs/common';
import type {
  MatrixCell,
  MatrixQuery,
  MatrixRow,
  MatrixView,
  MetricsQuery,
  MetricsView,
  Party,
  PlanDocument,
  Point,
  Position,
} from '@parley/contracts';
import {
  corroboration,
  dateRange,
  NO_CORROBORATION,
  fittingStep,
  MAX_RANGE_POINTS,
  parseBound,
  partyDistances,
  pointMetrics,
  rangeCount,
  summarize,
  toIso,
} from '@parley/domain';
import { badReference } from '../common/app-error';
import { Db } from '../database/db.service';
import { num, sql } from '../database/sql';
import { DocumentsService } from '../documents/documents.service';
import { NegotiationsService } from '../negotiations/negotiations.service';
import { PartiesService } from '../parties/parties.service';
import { PointsService } from '../points/points.service';
import { EVENT_SELECT, SOURCE_JOIN, toStanceEvent, type EventRow } from '../stances/stance-row';
import { corroborationFromTables, corroborationKey } from './corroboration-sql';
import { scopeStart, scopeToDocument } from './document-scope';
import { documentAt, planAt } from './plan-at';
import { StanceIndexes } from './stance-indexes.service';

/** Later than any real date: "no bound". */
const END_OF_TIME = 8_640_000_000_000_000;

type CellRow = EventRow & { c_party_id: string; c_point_id: string; c_version: number | string };

@Injectable()
export class MatrixService {
  constructor(
    private readonly db: Db,
    private readonly negotiations: NegotiationsService,
    readonly parties: PartiesService,
    readonly points: PointsService,
    private readonly documents: DocumentsService,
    private readonly indexes: StanceIndexes,
  ) {}

  async matrix(negotiation: string, query: MatrixQuery): Promise<MatrixView> {
    const n = await this.negotiations.resolve(negotiation);
    const asOf = query.asOf ? parseBound(query.asOf) : undefined;
    const knownAt = query.knownAt ? parseBound(query.knownAt) : undefined;
    const [{ parties, points }, document, cells] = await Promise.all([
      planAt(this.db.read, n.id, this, asOf, knownAt),
      query.documentId ? this.documents.getIn(this.db.read, n.id, query.documentId, 'query.documentId').then((d) => documentAt(this.db.read, this.documents, d, asOf, knownAt)) : null,
      this.cells(n.id, n.seq, asOf, knownAt),
    ]);
    return {
      negotiationId: n.id,
      seq: n.seq,
      asOf: asOf === undefined ? null : toIso(asOf),
      knownAt: knownAt === undefined ? null : toIso(knownAt),
      documentId: document?.id ?? null,
      parties: parties.map((p) => ({ id: p.id, code: p.code, name: p.name, color: p.color, parentId: p.parentId })),
      rows: buildRows(points, parties, document, cells),
    };
  }

  async metrics(negotiation: string, query: MetricsQuery): Promise<MetricsView> {
    const n = await this.negotiations.resolve(negotiation);
    const asOf = query.asOf ? parseBound(query.asOf) : undefined;
    const knownAt = query.knownAt ? parseBound(query.knownAt) : undefined;
    const [{ parties, points: allPoints }, document, index] = await Promise.all([
      planAt(this.db.read, n.id, this, asOf, knownAt),
      query.documentId ? this.documents.getIn(this.db.read, n.id, query.documentId, 'query.documentId').then((d) => documentAt(this.db.read, this.documents, d, asOf, knownAt)) : null,
      this.indexes.at(n.id, n.seq),
    ]);
    // Scoped by a document: its points only, the series from its date (item 7 of issue 18).
    const points = scopeToDocument(allPoints, document).map((s) => s.point);
    const partyIds = parties.map((p) => p.id);
    const pointIds = points.map((p) => p.id);
    // Metrics need positions only: no event is loaded.
    const positions = new Map<string, Map<string, Position>>();
    for (const cell of index.cellsAt({ asOf, knownAt })) {
      if (cell.position === null) continue;
      let forPoint = positions.get(cell.pointId);
      if (!forPoint) positions.set(cell.pointId, (forPoint = new Map()));
      forPoint.set(cell.partyId, cell.position);
    }
    const positionOf = (partyId: string, pointId: string): Position | undefined => positions.get(pointId)?.get(partyId);

    const to = query.to ? parseBound(query.to) : (asOf ?? Date.now());
    // A document's series starts at its date (or at `to`, for a view as of a day before it).
    const start = scopeStart(document);
    const from = query.from ? parseBound(query.from) : start !== null ? Math.min(start, to) : (index.earliestEffectiveAt ?? n.createdAt);
    if (from > to) throw badReference('query.from', 'must not be after to');
    // Without a step, the finest that fits: a default view works for any history the API accepts.
    const step = query.step ?? fittingStep(from, to);
    if (step === null) {
      throw badReference('query.step', `the range is too long even by year (${rangeCount(from, to, 'year')} points, at most ${MAX_RANGE_POINTS}): shorten it with from and to`);
    }
    let dates: number[];
    try {
      dates = dateRange(from, to, step);
    } catch (err) {
      throw badReference('query.step', err instanceof Error ? err.message : 'too many dates in the range');
    }
    const summaries = points.map((point) => pointMetrics(point.id, partyIds, positions.get(point.id) ?? new Map<string, Position>()));
    return {
      negotiationId: n.id,
      asOf: asOf === undefined ? null : toIso(asOf),
      knownAt: knownAt === undefined ? null : toIso(knownAt),
      totals: summarize(summaries),
      points: summaries,
      distances: partyDistances(partyIds, pointIds, positionOf),
      step,
      series: index.convergence({ partyIds, pointIds, dates, knownAt }),
    };
  }

  /**
   * The stance in force per cell, by point and party, from the negotiation's in-memory index
   * (brought up to `seq`, the head just read) and its copy of the events' details. Until the index
   * is first built (in the background), from the tables.
   */
  private async cells(negotiationId: string, seq: number, asOf?: number, knownAt?: number): Promise<Map<string, Record<string, MatrixCell>>> {
    const index = await this.indexes.ready(negotiationId, seq);
    if (!index) return this.cellsFromTables(negotiationId, asOf, knownAt);
    const at = index.inForce({ asOf, knownAt });
    const views = await this.indexes.views(negotiationId, index, at);
    const byPoint = new Map<string, Record<string, MatrixCell>>();
    for (let c = 0; c < views.length; c += 1) {
      const pointId = index.pointOf(c);
      let forPoint = byPoint.get(pointId);
      if (!forPoint) byPoint.set(pointId, (forPoint = {}));
      forPoint[index.partyOf(c)] = {
        version: index.versionOf(c),
        stance: views[c],
        corroboration: at.seq[c] < 0 ? NO_CORROBORATION : corroboration(at.outlets[c], at.sources[c]),
      };
    }
    return byPoint;
  }

  /**
   * The same answer from the tables alone: the projection without a time bound, otherwise one
   * probe per cell of the latest visible event through the (cell, effective_at) index. The
   * reference the in-memory index is tested against.
   */
  async cellsFromTables(negotiationId: string, asOf?: number, knownAt?: number): Promise<Map<string, Record<string, MatrixCell>>> {
    const unbounded = asOf === undefined && knownAt === undefined;
    const bounds = { asOf: asOf ?? END_OF_TIME, knownAt: knownAt ?? END_OF_TIME };
    const inForceId = unbounded
      ? 'c.event_id'
      : `(SELECT e2.id FROM stance_events e2
           WHERE e2.negotiation_id = c.negotiation_id AND e2.party_id = c.party_id AND e2.point_id = c.point_id
             AND e2.effective_at <= ? AND e2.recorded_at <= ?
             AND NOT EXISTS (SELECT 1 FROM stance_retractions r2 WHERE r2.event_id = e2.id AND r2.recorded_at <= ?)
           ORDER BY e2.effective_at DESC, e2.recorded_at DESC, e2.seq DESC LIMIT 1)`;
    const inForceParams = unbounded ? [] : [bounds.asOf, bounds.knownAt, bounds.knownAt];
    const [{ rows }, corroborations] = await Promise.all([
      sql<CellRow>(
        this.db.read,
        `SELECT c.party_id AS c_party_id, c.point_id AS c_point_id, c.version AS c_version, ${EVENT_SELECT}
           FROM current_stances c
           LEFT JOIN stance_events e ON e.id = ${inForceId}
           ${SOURCE_JOIN}
           LEFT JOIN stance_retractions r ON r.event_id = e.id
          WHERE c.negotiation_id = ?`,
        [...inForceParams, negotiationId],
      ),
      corroborationFromTables(this.db.read, negotiationId, inForceId, inForceParams, bounds),
    ]);
    const byPoint = new Map<string, Record<string, MatrixCell>>();
    for (const row of rows) {
      let forPoint = byPoint.get(row.c_point_id);
      if (!forPoint) byPoint.set(row.c_point_id, (forPoint = {}));
      forPoint[row.c_party_id] = {
        version: num(row.c_version),
        stance: row.id ? toStanceEvent(row, knownAt) : null,
        corroboration: (row.id ? corroborations.get(corroborationKey(row.c_party_id, row.c_point_id)) : undefined) ?? NO_CORROBORATION,
      };
    }
    return byPoint;
  }
}

function buildRows(
  points: Point[],
  parties: Party[],
  document: PlanDocument | null,
  cells: Map<string, Record<string, MatrixCell>>,
): MatrixRow[] {
  const partyIds = parties.map((p) => p.id);
  return scopeToDocument(points, document).map(({ point, number, text }) => {
    const forPoint = cells.get(point.id) ?? {};
    const positions = { get: (partyId: string) => (Object.hasOwn(forPoint, partyId) ? forPoint[partyId].stance?.position : undefined) };
    return {
      point: { id: point.id, code: point.code, title: point.title, category: point.category },
      number,
      text,
      cells: forPoint,
      summary: pointMetrics(point.id, partyIds, positions),
    };
  });
}
