import type { Corroboration, MatrixCell, MatrixView, Position } from '@parley/contracts';
import { corroborationOf, NO_CORROBORATION, pointMetrics } from '@parley/domain';

/** The cell part of a live `stance.recorded` / `stance.retracted` / `stance.corrected` entry (and of a 201 or a 409 answer). */
export interface CellUpdate {
  partyId: string;
  pointId: string;
  version: number;
  current: MatrixCell['stance'];
}

/** A matrix query key is ['matrix', slug, ...time parameters]; "now" means every time parameter is unset. */
export function isMatrixKeyOf(key: readonly unknown[], slug: string): boolean {
  return key[0] === 'matrix' && key[1] === slug;
}

/** "Now": no asOf or knownAt (['matrix', slug, asOf, knownAt?, {documentId}?]); a document only renumbers the rows. */
export function isCurrentMatrixKey(key: readonly unknown[], slug: string): boolean {
  return isMatrixKeyOf(key, slug) && key.slice(2).every((part) => part === null || part === undefined || typeof part === 'object');
}

/**
 * Puts one changed cell into a cached "now" matrix. Returns a new view in which only the changed row and
 * cell are new objects (every other row and cell keeps its identity, so memoized components skip them);
 * the same view when the update is not newer than what it holds; or null when the matrix does not know
 * the point or party (a new one): the caller reloads the matrix instead.
 */
export function applyCellUpdate(view: MatrixView, update: CellUpdate, seq?: number): MatrixView | null {
  const rowIndex = view.rows.findIndex((r) => r.point.id === update.pointId);
  const row = view.rows[rowIndex];
  if (!row || !view.parties.some((p) => p.id === update.partyId)) return null;
  const held = row.cells[update.partyId]?.version ?? 0;
  if (update.version <= held) return seq !== undefined && seq > view.seq ? { ...view, seq } : view;

  const cells = { ...row.cells, [update.partyId]: { version: update.version, stance: update.current, corroboration: provisional(row.cells[update.partyId], update.current) } };
  const positions = new Map<string, Position>();
  for (const [partyId, cell] of Object.entries(cells)) if (cell.stance) positions.set(partyId, cell.stance.position);
  const summary = pointMetrics(
    row.point.id,
    view.parties.map((p) => p.id),
    positions,
  );
  const rows = view.rows.slice();
  rows[rowIndex] = { ...row, cells, summary };
  return { ...view, rows, seq: Math.max(view.seq, seq ?? view.seq) };
}

/**
 * A changed cell's corroboration until the matrix is read again (refreshCorroboration): a change
 * carries the stance in force, not the run of events behind it. Same position as before: the old
 * count (a new report of it can only add an outlet; a retraction may remove one). Otherwise what the
 * one event in force says by the same rule (libs/domain corroboration.ts).
 */
function provisional(before: MatrixCell | undefined, current: MatrixCell['stance']): Corroboration {
  if (!current) return NO_CORROBORATION;
  if (before?.stance && before.stance.position === current.position && before.corroboration) return before.corroboration;
  return corroborationOf([{ position: current.position, sourceId: current.source.id, outlet: current.source.outlet }]);
}

/**
 * Puts the corroboration of a freshly read matrix into a cached one, for the cells at the same
 * version only (a cell changed since the read keeps its value until the next read). Cells, rows and
 * the view keep their identity where nothing changed; the same view when nothing did.
 */
export function mergeCorroboration(view: MatrixView, read: MatrixView): MatrixView {
  const readRows = new Map(read.rows.map((r) => [r.point.id, r]));
  let changed = false;
  const rows = view.rows.map((row) => {
    const fresh = readRows.get(row.point.id);
    if (!fresh) return row;
    let cells: MatrixView['rows'][number]['cells'] | null = null;
    for (const [partyId, cell] of Object.entries(row.cells)) {
      const other = fresh.cells[partyId];
      if (!other || other.version !== cell.version || sameCorroboration(other.corroboration, cell.corroboration)) continue;
      cells ??= { ...row.cells };
      cells[partyId] = { ...cell, corroboration: other.corroboration };
    }
    if (!cells) return row;
    changed = true;
    return { ...row, cells };
  });
  return changed ? { ...view, rows } : view;
}

const sameCorroboration = (a: Corroboration, b: Corroboration | undefined): boolean =>
  b !== undefined && a.outlets === b.outlets && a.sources === b.sources && a.corroborated === b.corroborated;
