import type { ReportData } from '../exports/report-data';
import { buildReport, type CellSpec } from './report-fixture';

/** Texts in several scripts that the PDF briefing must print exactly (the PDF and interop tests share them). */
export const UNICODE_TEXT = {
  russian: 'Запорожская АЭС',
  ukrainian: 'Ґарантії безпеки: єдність, і їхня ціна',
  greek: 'Ελληνική Δημοκρατία',
  latin: 'Łódź, Gdańsk, Dvořák, Ærøskøbing, Şişli',
  symbols: '≥ 800 000 → ≤ 600 000 – “firm” ± €',
  title: 'Мирний план для України (2025)',
  pointTitle: 'Запорізька АЕС: контроль МАГАТЕ',
} as const;

const CELLS: CellSpec[] = [
  { party: 0, point: 0, position: 'accept', day: '2025-11-18' },
  { party: 2, point: 2, position: 'red_line', day: '2025-11-21', quote: UNICODE_TEXT.russian, actor: 0 },
  { party: 1, point: 2, position: 'conditional', day: '2025-11-22', conditions: UNICODE_TEXT.symbols, quote: UNICODE_TEXT.ukrainian, actor: 1 },
  { party: 3, point: 1, position: 'amend', day: '2025-11-23', note: UNICODE_TEXT.latin, quote: UNICODE_TEXT.greek, actor: 0 },
];

/** A small report whose title, a point title, quotes, a note and conditions are in Cyrillic, Greek and accented Latin. */
export function buildUnicodeReport(): ReportData {
  const report = buildReport({ parties: 4, points: 4, cells: CELLS });
  const retitle = <T extends { id: string; title: string }>(p: T): T => (p.id === report.rows[2].point.id ? { ...p, title: UNICODE_TEXT.pointTitle } : p);
  return {
    ...report,
    negotiation: { ...report.negotiation, title: UNICODE_TEXT.title },
    rows: report.rows.map((r) => ({ ...r, point: retitle(r.point) })),
    allPoints: report.allPoints.map(retitle),
  };
}

/** The same report with every character outside ASCII replaced by a Latin letter: the same texts, the same lengths. */
export function latinOnly(report: ReportData): ReportData {
  return JSON.parse(JSON.stringify(report), (_key, value: unknown) => (typeof value === 'string' ? value.replace(/[^\x20-\x7e\n]/gu, 'x') : value)) as ReportData;
}
