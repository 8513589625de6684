import type { MatrixRow, MatrixView, PointMetrics, Position } from '@parley/contracts';
import { pointMetrics } from '@parley/domain';

export interface MatrixTotals {
  points: number;
  agreed: number;
  blocked: number;
}

export function matrixTotals(rows: readonly MatrixRow[]): MatrixTotals {
  return {
    points: rows.length,
    agreed: rows.filter((r) => r.summary.agreed).length,
    blocked: rows.filter((r) => r.summary.blocked).length,
  };
}

export type SummaryKind = 'agreed' | 'blocked' | 'spread' | 'none';

/** How a row's summary reads: agreed and blocked win over the spread number. */
export function summaryOf(m: PointMetrics): { kind: SummaryKind; text: string; description: string } {
  if (m.blocked) return { kind: 'blocked', text: 'Blocked', description: 'A party holds a red line' };
  if (m.agreed) return { kind: 'agreed', text: 'Agreed', description: 'Every party that stated a position is at least conditional' };
  if (m.spread === null) return { kind: 'none', text: 'No positions', description: 'No party has stated a position' };
  return {
    kind: 'spread',
    text: `Spread ${m.spread}`,
    description: `Positions differ by ${m.spread} on a scale from −2 (red line) to +2 (accept)`,
  };
}

export function pointCodeMap(view: Pick<MatrixView, 'rows'>): Map<string, string> {
  return new Map(view.rows.map((r) => [r.point.id, r.point.code]));
}

/**
 * A function that gives a row whose summary counts only the given parties (the columns shown when
 * the party filter hides some): "agreed" must not depend on a party the reader cannot see. Rows are
 * cached by identity, so a live update that replaces one row recomputes that row only and every other
 * row keeps its identity (memoized rows stay memoized).
 */
export function summaryOver(partyIds: readonly string[]): (row: MatrixRow) => MatrixRow {
  const cache = new WeakMap<MatrixRow, MatrixRow>();
  return (row) => {
    const hit = cache.get(row);
    if (hit) return hit;
    const positions = new Map<string, Position>();
    for (const id of partyIds) {
      const position = row.cells[id]?.stance?.position;
      if (position) positions.set(id, position);
    }
    const next = { ...row, summary: pointMetrics(row.point.id, partyIds, positions) };
    cache.set(row, next);
    return next;
  };
}

/** How many of the shown cells hold a stance recorded after sequence number `lastSeen`. */
export function changedSince(rows: readonly MatrixRow[], parties: readonly { id: string }[], lastSeen: number): number {
  let count = 0;
  for (const row of rows) {
    for (const p of parties) {
      const seq = row.cells[p.id]?.stance?.seq;
      if (seq !== undefined && seq > lastSeen) count += 1;
    }
  }
  return count;
}
