import type { ChangeEntry, ChangeKind, MatrixView } from '@parley/contracts';
import type { QueryClient, QueryKey } from '@tanstack/react-query';
import { scheduleCorroborationRefresh } from './corroboration-refresh';
import type { CellFlashStore } from './flash-store';
import { invalidateSoon } from './invalidate-soon';
import { applyCellUpdate, isCurrentMatrixKey, isMatrixKeyOf, type CellUpdate } from './matrix-cache';

/** Lists kept per negotiation under ['<list>', slug, ...]. */
const LISTS = ['parties', 'points', 'documents', 'milestones', 'sources'] as const;

function keyOf(kind: ChangeKind): { lists: readonly string[]; matrix: boolean; negotiations: boolean } {
  switch (kind) {
    case 'stance.recorded':
    case 'stance.retracted':
    case 'stance.corrected':
      return { lists: [], matrix: false, negotiations: false };
    case 'party.created':
    case 'party.updated':
      return { lists: ['parties'], matrix: true, negotiations: false };
    case 'point.created':
    case 'point.updated':
      return { lists: ['points'], matrix: true, negotiations: false };
    case 'document.created':
    case 'document.updated':
      // A document renumbers the matrix rows when the matrix is shown in its numbering.
      return { lists: ['documents'], matrix: true, negotiations: false };
    case 'milestone.created':
    case 'milestone.updated':
      return { lists: ['milestones'], matrix: false, negotiations: false };
    case 'source.created':
      return { lists: ['sources'], matrix: false, negotiations: false };
    case 'source.updated':
      // Every stance citing it shows the corrected source: applyChange reloads the stance views too.
      return { lists: ['sources'], matrix: true, negotiations: false };
    case 'negotiation.created':
    case 'negotiation.updated':
      return { lists: [], matrix: false, negotiations: true };
  }
}

/**
 * Puts a changed cell into every cached matrix of the negotiation: the "now" matrix is patched in place
 * (one row and one cell replaced), a matrix at an asOf/knownAt date is reloaded (the change may or may
 * not be visible at that date). Returns true when a cached "now" matrix changed.
 */
export function applyCell(client: QueryClient, slug: string, cell: CellUpdate, seq?: number, flash?: CellFlashStore): boolean {
  let changed = false;
  const reload: QueryKey[] = [];
  for (const query of client.getQueryCache().findAll({ predicate: (q) => isMatrixKeyOf(q.queryKey, slug) })) {
    const view = query.state.data as MatrixView | undefined;
    if (!view) continue;
    if (!isCurrentMatrixKey(query.queryKey, slug)) {
      reload.push(query.queryKey);
      continue;
    }
    const next = applyCellUpdate(view, cell, seq);
    if (next === null) reload.push(query.queryKey);
    else if (next !== view) {
      client.setQueryData(query.queryKey, next);
      if (next.rows !== view.rows) changed = true;
    }
  }
  for (const queryKey of reload) void client.invalidateQueries({ queryKey, exact: true });
  if (changed) flash?.mark(cell.pointId, cell.partyId);
  return changed;
}

/** Applies one live change to the TanStack Query cache of the negotiation `slug`. */
export function applyChange(client: QueryClient, slug: string, entry: ChangeEntry, flash?: CellFlashStore): void {
  if (entry.kind === 'stance.recorded' || entry.kind === 'stance.retracted' || entry.kind === 'stance.corrected') {
    // The changed cell's corroboration is provisional until the matrix is read again. A correction
    // (the retraction and the new stance in one change) carries the cell after both: one step, so
    // the matrix never shows the stance between them.
    if (applyCell(client, slug, entry.data.cell, entry.seq, flash)) scheduleCorroborationRefresh(client, slug);
    // A recorded stance citing a source counts in that source's citedBy: the sources reload after the burst.
    if (entry.kind !== 'stance.retracted' && entry.data.event.source.id) invalidateSoon(client, ['sources', slug]);
    // Views derived from the stance history (point history, activity, metrics) reload if shown.
    void client.invalidateQueries({
      predicate: (q) =>
        q.queryKey[1] === slug && q.queryKey[0] !== 'matrix' && !(LISTS as readonly unknown[]).includes(q.queryKey[0]),
    });
    return;
  }
  const affects = keyOf(entry.kind);
  for (const list of affects.lists) void client.invalidateQueries({ queryKey: [list, slug] });
  if (affects.matrix) void client.invalidateQueries({ predicate: (q) => isMatrixKeyOf(q.queryKey, slug) });
  if (affects.negotiations) void client.invalidateQueries({ queryKey: ['negotiations'] });
  if (entry.kind === 'source.updated') void client.invalidateQueries({ predicate: (q) => q.queryKey[1] === slug });
}

/** After a resync notice: puts a fresh snapshot in place of every "now" matrix and reloads the others. */
export function replaceSnapshot(client: QueryClient, slug: string, view: MatrixView): void {
  let placed = false;
  for (const query of client.getQueryCache().findAll({ predicate: (q) => isMatrixKeyOf(q.queryKey, slug) })) {
    if (isCurrentMatrixKey(query.queryKey, slug)) {
      client.setQueryData(query.queryKey, view);
      placed = true;
    } else void client.invalidateQueries({ queryKey: query.queryKey, exact: true });
  }
  if (!placed) void client.invalidateQueries({ predicate: (q) => isMatrixKeyOf(q.queryKey, slug) });
}
