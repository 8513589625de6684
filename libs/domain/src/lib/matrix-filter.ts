import type { MatrixRow, MatrixView, PointMetrics, Position, RowStatus } from '@parley/contracts';
import { pointMetrics } from './metrics';

/** The matrix filters a reader can set (the dashboard's URL and the exports share them). */
export interface MatrixFilter {
  category?: string | null;
  status?: RowStatus | null;
  /** Party codes to show; null/empty = all. */
  parties?: readonly string[] | null;
  /** Search text: every word must appear in the point's code, number, title or provision text. */
  q?: string | null;
}

export function rowStatus(m: PointMetrics): RowStatus {
  if (m.agreed) return 'agreed';
  if (m.blocked) return 'blocked';
  return m.stated > 0 ? 'open' : 'none';
}

/** Lower case without accents, so "geneve" finds "Genève". */
function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

export function searchTerms(q: string | null | undefined): string[] {
  return q ? fold(q).split(/\s+/).filter(Boolean) : [];
}

/** Whether the point's code, number, title or provision text contains every search term. */
export function matchesSearch(row: MatrixRow, terms: readonly string[]): boolean {
  if (terms.length === 0) return true;
  const haystack = fold([row.point.code, row.number ?? '', row.point.title, row.text ?? ''].join(' \u0000 '));
  return terms.every((t) => haystack.includes(t));
}

/** Party codes from a comma-separated list ("UA,RU"); null = all. */
export function partyCodes(list: string | null | undefined): string[] | null {
  if (!list) return null;
  const codes = list.split(',').map((c) => c.trim()).filter(Boolean);
  return codes.length > 0 ? codes : null;
}

/**
 * The matrix as a reader filtered it: only the chosen party columns, with each row's summary
 * recomputed over those parties (agreed among the parties shown), then the row filters applied.
 */
export function filterMatrix(view: Pick<MatrixView, 'parties' | 'rows'>, filter: MatrixFilter): Pick<MatrixView, 'parties' | 'rows'> {
  const shown = filter.parties && filter.parties.length > 0 ? new Set(filter.parties) : null;
  const parties = shown ? view.parties.filter((p) => shown.has(p.code)) : view.parties;
  const partyIds = parties.map((p) => p.id);
  const rows = shown
    ? view.rows.map((row) => {
        const cells: MatrixRow['cells'] = {};
        const positions = new Map<string, Position>();
        for (const id of partyIds) {
          const cell = row.cells[id];
          if (!cell) continue;
          cells[id] = cell;
          if (cell.stance) positions.set(id, cell.stance.position);
        }
        return { ...row, cells, summary: pointMetrics(row.point.id, partyIds, positions) };
      })
    : view.rows;
  const terms = searchTerms(filter.q);
  return {
    parties,
    rows: rows.filter(
      (row) =>
        (!filter.category || row.point.category === filter.category) &&
        (!filter.status || rowStatus(row.summary) === filter.status) &&
        matchesSearch(row, terms),
    ),
  };
}
