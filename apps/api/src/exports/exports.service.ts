import { Injectable } from '@nestjs/common';
import type { ExportQuery, StanceEvent } from '@parley/contracts';
import { filterMatrix, parseBound, partyCodes, toIso } from '@parley/domain';
import { badReference } from '../common/app-error';
import { Db } from '../database/db.service';
import { num, sql } from '../database/sql';
import { DocumentsService } from '../documents/documents.service';
import { MatrixService } from '../matrix/matrix.service';
import { namesAt } from '../matrix/plan-at';
import { MilestonesService } from '../milestones/milestones.service';
import { toNegotiation } from '../negotiations/negotiation.mapper';
import { NegotiationsService } from '../negotiations/negotiations.service';
import { PartiesService } from '../parties/parties.service';
import { PointsService } from '../points/points.service';
import { EVENT_FROM, EVENT_SELECT, toStanceEvent, type EventRow } from '../stances/stance-row';
import { changesWindowOf, type ChangesWindow } from './changes-window';
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
    readonly parties: PartiesService,
    readonly points: PointsService,
    private readonly documents: DocumentsService,
    private readonly milestones: MilestonesService,
    private readonly matrix: MatrixService,
  ) {}

  async report(negotiation: string, query: ExportQuery, options: { series?: boolean; changes?: boolean } = {}): Promise<ReportData> {
    const n = await this.negotiations.resolve(negotiation);
    const knownAt = query.knownAt ? parseBound(query.knownAt) : undefined;
    // Checked before any read: `since` after `asOf` is a 400.
    const window = changesWindowOf(query);
    const [view, { parties: allParties, points: allPoints }, documents, milestones, metrics] = await Promise.all([
      this.matrix.matrix(n.id, { asOf: query.asOf, knownAt: query.knownAt, documentId: query.documentId }),
      // Named as at the report's date (the plan is bitemporal too).
      namesAt(this.db.read, n.id, this, query.asOf ? parseBound(query.asOf) : undefined, knownAt),
      this.documents.listIn(this.db.read, n.id),
      this.milestones.listIn(this.db.read, n.id),
      options.series === false ? null : this.matrix.metrics(n.id, { asOf: query.asOf, knownAt: query.knownAt, documentId: query.documentId }),
    ]);
    const codes = partyCodes(query.parties);
    if (codes) {
      const unknown = codes.filter((c) => !allParties.some((p) => p.code === c));
      if (unknown.length > 0) throw badReference('query.parties', `no party with code ${unknown.map((c) => `'${c}'`).join(', ')} in this negotiation`);
    }
    const { parties, rows } = filterMatrix(view, { category: query.category, status: query.status, parties: codes, q: query.q });
    const changes =
      window !== null && options.changes !== false
        ? await this.changesIn(n.id, window, knownAt, parties.map((p) => p.id), new Set(rows.map((r) => r.point.id)))
        : { items: [], total: 0 };
    const document = view.documentId ? documents.find((d) => d.id === view.documentId) : undefined;
    return {
      negotiation: toNegotiation(n),
      generatedAt: toIso(Date.now()),
      asOf: view.asOf,
      knownAt: view.knownAt,
      changesWindow: window?.labels ?? null,
      document: document ? { id: document.id, title: document.title, shortTitle: document.shortTitle } : null,
      parties,
      rows,
      filters: describeFilters(query),
      changes: changes.items,
      changesTotal: changes.total,
      series: metrics?.series ?? [],
      seriesStep: metrics?.step ?? 'day',
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

  /** The stance events in a report's changes window (see ChangesWindow), oldest effective date first. */
  private async changesIn(
    negotiationId: string,
    window: ChangesWindow,
    knownAt: number | undefined,
    partyIds: string[],
    pointIds: Set<string>,
  ): Promise<{ items: StanceEvent[]; total: number }> {
    const items: StanceEvent[] = [];
    let total = 0;
    const parties = new Set(partyIds);
    const where = ['e.negotiation_id = ?'];
    const params: unknown[] = [negotiationId];
    if (window.effectiveAfter !== null) {
      where.push('e.effective_at > ?', 'e.effective_at <= ?');
      params.push(window.effectiveAfter, window.effectiveTo);
    }
    if (window.recordedAfter !== null) {
      // Recorded since, or retracted since (as known at knownAt): a correction is a change too.
      where.push('(e.recorded_at > ? OR (r.recorded_at > ? AND r.recorded_at <= ?))');
      params.push(window.recordedAfter, window.recordedAfter, knownAt ?? END_OF_TIME);
    }
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
      if (rows.length < EVENT_PAGE) break;
      after = num(rows[rows.length - 1].seq);
    }
    // Oldest first on the negotiation's time line, as the reports list them.
    items.sort((a, b) => a.effectiveAt.localeCompare(b.effectiveAt) || a.recordedAt.localeCompare(b.recordedAt) || a.seq - b.seq);
    return { items, total };
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
