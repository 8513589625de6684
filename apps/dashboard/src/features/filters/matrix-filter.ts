import type { MatrixRow, MatrixView, PointMetrics } from '@parley/contracts';
import type { DashboardParams, RowStatus } from '../../app/url-state';

export type MatrixFilter = Pick<DashboardParams, 'cat' | 'status' | 'parties' | 'q'>;

export function rowStatus(m: PointMetrics): RowStatus {
  if (m.agreed) return 'agreed';
  if (m.blocked) return 'blocked';
  return m.stated > 0 ? 'open' : 'none';
}

/** Lower case without accents, so "geneve" finds "Genève". */
function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Search terms: every word must appear in the point's code, number, title or provision text. */
export function searchTerms(q: string | null): string[] {
  return q ? fold(q).split(/\s+/).filter(Boolean) : [];
}

function matches(row: MatrixRow, terms: readonly string[]): boolean {
  if (terms.length === 0) return true;
  const haystack = fold([row.point.code, row.number ?? '', row.point.title, row.text ?? ''].join(' \u0000 '));
  return terms.every((t) => haystack.includes(t));
}

/** The rows the filter keeps, in matrix order; the same row objects (memoized rows stay memoized). */
export function filterRows(rows: readonly MatrixRow[], filter: MatrixFilter): MatrixRow[] {
  const terms = searchTerms(filter.q);
  return rows.filter(
    (row) =>
      (filter.cat === null || row.point.category === filter.cat) &&
      (filter.status === null || rowStatus(row.summary) === filter.status) &&
      matches(row, terms),
  );
}

/** Party codes chosen in the URL (`parties=UA,RU`); null = all. */
export function shownPartyCodes(parties: string | null): Set<string> | null {
  if (!parties) return null;
  const codes = parties.split(',').map((c) => c.trim()).filter(Boolean);
  return codes.length > 0 ? new Set(codes) : null;
}

export function filterParties(parties: MatrixView['parties'], param: string | null): MatrixView['parties'] {
  const shown = shownPartyCodes(param);
  return shown ? parties.filter((p) => shown.has(p.code)) : parties;
}

/** The URL value after showing or hiding one party: null once every party is shown again. */
export function toggleParty(all: readonly { code: string }[], param: string | null, code: string, show: boolean): string | null {
  const shown = shownPartyCodes(param) ?? new Set(all.map((p) => p.code));
  if (show) shown.add(code);
  else shown.delete(code);
  const codes = all.map((p) => p.code).filter((c) => shown.has(c));
  if (codes.length === all.length) return null;
  // No code starts with "-" (see Code in the contracts): "-" keeps "no party" distinct from "all".
  return codes.length > 0 ? codes.join(',') : '-';
}

export function isFiltered(filter: MatrixFilter): boolean {
  return filter.cat !== null || filter.status !== null || filter.parties !== null || searchTerms(filter.q).length > 0;
}

export const NO_FILTER: MatrixFilter = { cat: null, status: null, parties: null, q: null };
