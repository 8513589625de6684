import type { MatrixRow, MatrixView } from '@parley/contracts';
import { matchesSearch, rowStatus, searchTerms } from '@parley/domain';
import type { DashboardParams } from '../../shared/url-state';

// The same filters as the exports apply (libs/domain), kept here with the dashboard's URL names.
export { rowStatus, searchTerms };

export type MatrixFilter = Pick<DashboardParams, 'cat' | 'status' | 'parties' | 'q'>;

/** The rows the filter keeps, in matrix order; the same row objects (memoized rows stay memoized). */
export function filterRows(rows: readonly MatrixRow[], filter: MatrixFilter): MatrixRow[] {
  const terms = searchTerms(filter.q);
  return rows.filter(
    (row) =>
      (filter.cat === null || row.point.category === filter.cat) &&
      (filter.status === null || rowStatus(row.summary) === filter.status) &&
      matchesSearch(row, terms),
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
