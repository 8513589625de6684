import type * as ExcelJS from 'exceljs';
import { SOURCE_KIND_LABEL, type SourceKind } from '@parley/contracts';
import type { ReportData } from '../report-data';
import { actorsText, CATEGORY_LABEL, changesHeading, formatInstant, type ReportLookup, totalsOf } from '../report-format';
import { addRow, addSheet, type ColumnSpec, DATE_ONLY, DATE_TIME, dateCell, dateFormatOf, solidFill, type Value } from './cells';

/** The spreadsheet's reference sheets: Points, Parties, Documents, Sources and About. */

/** A distinct source of the Changes sheet's events, with how many cite it. */
export interface SourceTally {
  kind: SourceKind | null;
  outlet: string | null;
  title: string | null;
  url: string | null;
  publishedAt: string | null;
  language: string | null;
  description: string | null;
  events: number;
}

export function writePoints(wb: ExcelJS.stream.xlsx.WorkbookWriter, data: ReportData): void {
  const byId = new Map(data.allPoints.map((p) => [p.id, p.code]));
  const inDocument = new Map(data.rows.map((r) => [r.point.id, r]));
  const columns: ColumnSpec[] = [
    { header: 'Code', width: 12 },
    { header: 'Title', width: 44 },
    { header: 'Category', width: 18 },
    { header: data.document === null ? 'No. in document' : `No. in ${data.document.shortTitle || data.document.title}`, width: 12 },
    { header: 'Description', width: 50 },
    { header: 'Derived from', width: 24 },
    { header: 'Sort order', width: 10 },
    { header: 'Created (UTC)', width: 20, numFmt: DATE_TIME },
    { header: 'Updated (UTC)', width: 20, numFmt: DATE_TIME },
  ];
  const ws = addSheet(wb, 'Points', columns, 2);
  for (const p of data.allPoints) {
    addRow(
      ws,
      [
        p.code,
        p.title,
        CATEGORY_LABEL[p.category],
        inDocument.get(p.id)?.number ?? null,
        p.description || null,
        p.derivedFrom.map((d) => `${byId.get(d.pointId) ?? d.pointId} (${d.kind})`).join(', ') || null,
        p.sortOrder,
        dateCell(p.createdAt),
        dateCell(p.updatedAt),
      ],
      columns,
    ).commit();
  }
  ws.commit();
}

export function writeParties(wb: ExcelJS.stream.xlsx.WorkbookWriter, data: ReportData, lookup: ReportLookup): void {
  const columns: ColumnSpec[] = [
    { header: 'Code', width: 10 },
    { header: 'Name', width: 28 },
    { header: 'Kind', width: 13 },
    { header: 'Colour', width: 10 },
    { header: 'Parent', width: 10 },
    { header: 'In matrix', width: 10 },
    { header: 'Actors', width: 60 },
    { header: 'Description', width: 50 },
  ];
  const shown = new Set(data.parties.map((p) => p.id));
  const ws = addSheet(wb, 'Parties', columns, 2);
  for (const p of data.allParties) {
    const row = addRow(
      ws,
      [p.code, p.name, p.kind, p.color, lookup.partyCode(p.parentId), shown.has(p.id) ? 'yes' : 'no', actorsText(p) || null, p.description || null],
      columns,
    );
    if (/^#[0-9a-f]{6}$/i.test(p.color)) {
      row.getCell(4).fill = solidFill(p.color);
    }
    row.commit();
  }
  ws.commit();
}

export function writeDocuments(wb: ExcelJS.stream.xlsx.WorkbookWriter, data: ReportData, lookup: ReportLookup): void {
  const columns: ColumnSpec[] = [
    { header: 'Document', width: 34 },
    { header: 'Short title', width: 14 },
    { header: 'Published (UTC)', width: 14, numFmt: DATE_ONLY },
    { header: 'Author', width: 10 },
    { header: 'No.', width: 8 },
    { header: 'Point code', width: 12 },
    { header: 'Point', width: 40 },
    { header: 'Text', width: 80 },
  ];
  const ws = addSheet(wb, 'Documents', columns, 2);
  for (const d of data.documents) {
    for (const prov of d.provisions) {
      const point = lookup.point(prov.pointId);
      const row = addRow(
        ws,
        [d.title, d.shortTitle || null, dateCell(d.publishedAt), lookup.partyCode(d.authorPartyId), prov.number, point.code, point.title, prov.text],
        columns,
      );
      row.getCell(3).numFmt = dateFormatOf(d.publishedPrecision);
      row.commit();
    }
  }
  ws.commit();
}

export function writeSources(wb: ExcelJS.stream.xlsx.WorkbookWriter, sources: Map<string, SourceTally>): void {
  const columns: ColumnSpec[] = [
    { header: 'Outlet', width: 24 },
    { header: 'Title', width: 44 },
    { header: 'URL', width: 60 },
    { header: 'Published (UTC)', width: 20, numFmt: DATE_TIME },
    { header: 'Kind', width: 16 },
    { header: 'Language', width: 10 },
    { header: 'Description', width: 40 },
    { header: 'Events citing', width: 10 },
  ];
  const ws = addSheet(wb, 'Sources', columns, 1);
  const sorted = [...sources.values()].sort(
    (a, b) => b.events - a.events || (a.outlet ?? '').localeCompare(b.outlet ?? '') || (a.url ?? '').localeCompare(b.url ?? ''),
  );
  for (const s of sorted) addRow(ws, [s.outlet, s.title, s.url, dateCell(s.publishedAt), s.kind === null ? null : SOURCE_KIND_LABEL[s.kind], s.language, s.description, s.events], columns).commit();
  ws.commit();
}

export function writeAbout(wb: ExcelJS.stream.xlsx.WorkbookWriter, data: ReportData): void {
  const columns: ColumnSpec[] = [
    { header: 'Field', width: 22 },
    { header: 'Value', width: 80 },
  ];
  const ws = addSheet(wb, 'About', columns, 0);
  const totals = totalsOf(data.rows);
  const rows: [string, Value][] = [
    ['Negotiation', data.negotiation.title],
    ['Description', data.negotiation.description || null],
    ['Status', data.negotiation.status],
    ['Positions as of', data.asOf === null ? 'now' : formatInstant(data.asOf)],
    ['As known at', data.knownAt === null ? 'now' : formatInstant(data.knownAt)],
    ['Changes', data.changesWindow === null ? 'every stance event' : changesHeading(data.changesWindow).replace(/^Changes /, '')],
    ['Numbering', data.document?.title ?? 'point codes'],
    ['Filters', data.filters ?? 'none'],
    ['Generated', formatInstant(data.generatedAt)],
    ['Points', totals.points],
    ['Agreed', totals.agreed],
    ['Blocked', totals.blocked],
    ['Parties', data.parties.length],
    ['Sequence number', data.negotiation.seq],
  ];
  for (const r of rows) addRow(ws, r, columns).commit();
  ws.commit();
}
