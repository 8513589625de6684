import { Injectable } from '@nestjs/common';
import type { ExportQuery, StanceEvent } from '@parley/contracts';
import { filterMatrix, parseBound, parseInstant, parseSince, partyCodes, toIso } from '@parley/domain';
import { badReference } from '../common/app-error';
import { Db } from '../database/db.service';
import { num, sql } from '../database/sql';
import { DocumentsService } from '../documents/documents.service';
import { MatrixService } from '../matrix/matrix.service';
import { MilestonesService } from '../milestones/milestones.service';
import { toNegotiation } from '../negotiations/negotiation.mapper';
import { NegotiationsService } from '../negotiations/negotiations.service';
import { PartiesService } from '../parties/parties.service';
import { PointsService } from '../points/points.service';
import { EVENT_FROM, EVENT_SELECT, toStanceEvent, type EventRow } from '../stances/stance.mapper';
import { REPORT_CHANGES_LIMIT, type ReportData } from './report-data';

/** Rows fetched per query when streaming events: bounded memory whatever the history's length. */
export const EVENT_PAGE = 2_000;

/** Later than any real instant. */
const END_OF_TIME = 8_640_000_000_000_000;

/** Reads what the report exports show; the renderers turn it into PDF, XLSX, CSV or Markdown. */
@Injectable()
export class ExportsService {
  constructor(
    private readonly db: Db,
    private readonly negotiations: NegotiationsService,
    private readonly parties: PartiesService,
    private readonly points: PointsService,
    private readonly documents: DocumentsService,
    private readonly milestones: MilestonesService,
    private readonly matrix: MatrixService,
  ) {}

  async report(negotiation: string, query: ExportQuery, options: { series?: boolean; changes?: boolean } = {}): Promise<ReportData> {
    const n = await this.negotiations.resolve(negotiation);
    const knownAt = query.knownAt ? parseBound(query.knownAt) : undefined;
    const since = query.since ? parseSince(query.since) : undefined;
    const [view, allParties, allPoints, documents, milestones, metrics] = await Promise.all([
      this.matrix.matrix(n.id, { asOf: query.asOf, knownAt: query.knownAt, documentId: query.documentId }),
      this.parties.listIn(this.db.read, n.id),
      this.points.listIn(this.db.read, n.id),
      this.documents.listIn(this.db.read, n.id),
      this.milestones.listIn(this.db.read, n.id),
      options.series === false ? null : this.matrix.metrics(n.id, { asOf: query.asOf, knownAt: query.knownAt }),
    ]);
    const codes = partyCodes(query.parties);
    if (codes) {
      const unknown = codes.filter((c) => !allParties.some((p) => p.code === c));
      if (unknown.length > 0) throw badReference('query.parties', `no party with code ${unknown.map((c) => `'${c}'`).join(', ')} in this negotiation`);
    }
    const { parties, rows } = filterMatrix(view, { category: query.category, status: query.status, parties: codes, q: query.q });
    const changes =
      since !== undefined && options.changes !== false
        ? await this.changesSince(n.id, since, knownAt, parties.map((p) => p.id), new Set(rows.map((r) => r.point.id)))
        : { items: [], total: 0 };
    const document = view.documentId ? documents.find((d) => d.id === view.documentId) : undefined;
    return {
      negotiation: toNegotiation(n),
      generatedAt: toIso(Date.now()),
      asOf: view.asOf,
      knownAt: view.knownAt,
      // Shown as the first instant admitted: a day's midnight, or the exact time given.
      since: query.since === undefined ? null : toIso(parseInstant(query.since)),
      document: document ? { id: document.id, title: document.title, shortTitle: document.shortTitle } : null,
      parties,
      rows,
      filters: describeFilters(query),
      changes: changes.items,
      changesTotal: changes.total,
      series: metrics?.series ?? [],
      milestones,
      allParties,
      allPoints,
      documents,
    };
  }

  /**
   * Every stance event of a negotiation in sequence order, read a page at a time (keyset on seq),
   * with retractions as known at `knownAt`. Events recorded after `knownAt` are left out.
   */
  async *events(negotiationId: string, knownAt?: number, upToSeq?: number): AsyncGenerator<StanceEvent> {
    let after = 0;
    for (;;) {
      const where = ['e.negotiation_id = ?', 'e.seq > ?'];
      const params: unknown[] = [negotiationId, after];
      if (knownAt !== undefined) {
        where.push('e.recorded_at <= ?');
        params.push(knownAt);
      }
      if (upToSeq !== undefined) {
        where.push('e.seq <= ?');
        params.push(upToSeq);
      }
      const { rows } = await sql<EventRow>(
        this.db.read,
        `SELECT ${EVENT_SELECT} FROM ${EVENT_FROM} WHERE ${where.join(' AND ')} ORDER BY e.seq ASC LIMIT ?`,
        [...params, EVENT_PAGE],
      );
      for (const row of rows) yield toStanceEvent(row, knownAt);
      if (rows.length < EVENT_PAGE) return;
      after = num(rows[rows.length - 1].seq);
    }
  }

  private async changesSince(
    negotiationId: string,
    since: number,
    knownAt: number | undefined,
    partyIds: string[],
    pointIds: Set<string>,
  ): Promise<{ items: StanceEvent[]; total: number }> {
    const items: StanceEvent[] = [];
    let total = 0;
    const parties = new Set(partyIds);
    // Recorded since, or retracted since: a correction is a change too.
    const until = knownAt ?? END_OF_TIME;
    const where = ['e.negotiation_id = ?', '(e.recorded_at > ? OR (r.recorded_at > ? AND r.recorded_at <= ?))'];
    const params: unknown[] = [negotiationId, since, since, until];
    if (knownAt !== undefined) {
      where.push('e.recorded_at <= ?');
      params.push(knownAt);
    }
    let after = 0;
    for (;;) {
      const { rows } = await sql<EventRow>(
        this.db.read,
        `SELECT ${EVENT_SELECT} FROM ${EVENT_FROM} WHERE ${where.join(' AND ')} AND e.seq > ? ORDER BY e.seq ASC LIMIT ?`,
        [...params, after, EVENT_PAGE],
      );
      for (const row of rows) {
        if (!parties.has(row.party_id) || !pointIds.has(row.point_id)) continue;
        total++;
        if (items.length < REPORT_CHANGES_LIMIT) items.push(toStanceEvent(row, knownAt));
      }
      if (rows.length < EVENT_PAGE) return { items, total };
      after = num(rows[rows.length - 1].seq);
    }
  }
}

function describeFilters(query: ExportQuery): string | null {
  const parts: string[] = [];
  if (query.category) parts.push(`category: ${query.category.replace(/_/g, ' ')}`);
  if (query.status) parts.push(`status: ${query.status}`);
  const codes = partyCodes(query.parties);
  if (codes) parts.push(`parties: ${codes.join(', ')}`);
  if (query.q?.trim()) parts.push(`search: "${query.q.trim()}"`);
  return parts.length > 0 ? parts.join('; ') : null;
}
