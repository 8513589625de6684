import type { MatrixRow, Position, StanceEvent } from '@parley/contracts';

/** Hardest positions first: red lines, rejections, …, acceptances; "no stated position" last. */
const RANK: Readonly<Record<Position, number>> = {
  red_line: 0,
  reject: 1,
  amend: 2,
  unclear: 3,
  conditional: 4,
  accept: 5,
};
const NO_POSITION = 6;

export interface PartyPosition {
  row: MatrixRow;
  stance: StanceEvent | null;
}

/** One party's cell on every point, hardest positions first; within a position, the matrix order is kept. */
export function partyPositions(rows: readonly MatrixRow[], partyId: string): PartyPosition[] {
  return rows
    .map((row, index) => ({ row, index, stance: row.cells[partyId]?.stance ?? null }))
    .sort((a, b) => (a.stance ? RANK[a.stance.position] : NO_POSITION) - (b.stance ? RANK[b.stance.position] : NO_POSITION) || a.index - b.index)
    .map(({ row, stance }) => ({ row, stance }));
}
