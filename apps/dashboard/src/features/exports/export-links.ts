import type { ExportFormat } from '@parley/contracts';
import type { DashboardParams } from '../../shared/url-state';

export interface ExportChoice {
  id: string;
  format: ExportFormat;
  label: string;
  description: string;
  /** Extra query parameters of this choice (e.g. the CSV table). */
  extra?: Record<string, string>;
  /** Whether the dashboard's date, filters and "changes since" apply (the JSON dump is always whole). */
  filtered: boolean;
}

export const EXPORT_CHOICES: readonly ExportChoice[] = [
  { id: 'pdf', format: 'pdf', label: 'PDF briefing', description: 'Matrix, changes in the window, notes with sources, convergence chart', filtered: true },
  { id: 'xlsx', format: 'xlsx', label: 'Spreadsheet (XLSX)', description: 'Matrix, every stance event, points, parties, documents, sources', filtered: true },
  { id: 'csv-matrix', format: 'csv', label: 'CSV: matrix', description: 'One row per point, one column per party', filtered: true, extra: { table: 'matrix' } },
  { id: 'csv-changes', format: 'csv', label: 'CSV: change log', description: 'Every stance event with all its fields', filtered: true, extra: { table: 'changes' } },
  { id: 'md', format: 'md', label: 'Markdown digest', description: 'A short summary for chat or email', filtered: true },
  { id: 'json', format: 'json', label: 'JSON dump', description: 'The whole negotiation with its history, for another installation', filtered: false },
];

type Scope = Pick<DashboardParams, 'asOf' | 'knownAt' | 'cat' | 'status' | 'parties' | 'q' | 'doc'>;

/** The export's path under /api for what is on screen: the same date, audit bound, filters and document numbering. */
export function exportPath(slug: string, choice: ExportChoice, scope: Scope, since: string | null): string {
  const q = new URLSearchParams();
  if (choice.filtered) {
    if (scope.asOf) q.set('asOf', scope.asOf);
    if (scope.knownAt) q.set('knownAt', scope.knownAt);
    if (since) q.set('since', since);
    if (scope.doc) q.set('documentId', scope.doc);
    if (scope.cat) q.set('category', scope.cat);
    if (scope.status) q.set('status', scope.status);
    // "-" is the dashboard's "no party shown": the export then shows every party rather than none.
    if (scope.parties && scope.parties !== '-') q.set('parties', scope.parties);
    if (scope.q?.trim()) q.set('q', scope.q.trim());
  }
  for (const [k, v] of Object.entries(choice.extra ?? {})) q.set(k, v);
  const s = q.toString();
  return `/negotiations/${encodeURIComponent(slug)}/export.${choice.format}${s ? `?${s}` : ''}`;
}

/** The file name the server proposes (Content-Disposition), or a fallback. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  const m = /filename="([^"]+)"/.exec(disposition ?? '');
  return m?.[1] ?? fallback;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
