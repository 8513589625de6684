import type { CompareView, DiffPart, PlanDocument, Point } from '@parley/contracts';
import { wordDiff } from '@parley/domain';

/**
 * The four-column document (the EU trilogue format): the plan's versions as columns, its points as
 * rows. Pure: built from the documents, the API's comparison of each neighbouring pair and the points.
 */

/** What became of a point in a column, against the column before it. */
export type CellStatus = 'first' | 'same' | 'changed' | 'new' | 'back' | 'dropped' | 'absent';

/** A lineage link seen from this point: split or merged `from` another point, or `into` it. */
export interface CellLink {
  pointId: string;
  code: string;
  kind: string;
  direction: 'from' | 'into';
}

export interface FourColumnCell {
  status: CellStatus;
  /** The provision's number and text in this document; null when the document leaves the point out. */
  number: string | null;
  text: string | null;
  /** Word diff against the column before (for `back`: the latest earlier column holding the point); null when there is nothing to mark, or while the comparison loads. */
  diff: readonly DiffPart[] | null;
  /** For `back`: the short title of the earlier column the text is marked against. */
  againstTitle: string | null;
  /** The number in the column before, when the point was renumbered. */
  renumberedFrom: string | null;
  links: CellLink[];
}

export interface FourColumnRow {
  pointId: string;
  code: string;
  title: string;
  /** The point's own lineage (what it was split or merged from), whatever the columns shown. */
  derivedFrom: CellLink[];
  cells: FourColumnCell[];
}

/** The days up to which a document exists: published on or before the as-of day (null: now). */
export function documentsAsOf(documents: readonly PlanDocument[], asOf: string | null): PlanDocument[] {
  return documents.filter((d) => asOf === null || d.publishedAt.slice(0, 10) <= asOf);
}

/** The documents shown: those of `docs` (ids, comma-separated) that exist, in publication order; all when none is chosen. */
export function chosenDocuments(existing: readonly PlanDocument[], docs: string | null): PlanDocument[] {
  if (docs === null) return [...existing];
  const ids = new Set(docs.split(',').map((s) => s.trim()));
  const chosen = existing.filter((d) => ids.has(d.id));
  return chosen.length > 0 ? chosen : [...existing];
}

/** The `docs` value for a set of chosen ids: null when every existing document is chosen (the default). */
export function docsParam(existing: readonly PlanDocument[], chosen: ReadonlySet<string>): string | null {
  const ids = existing.filter((d) => chosen.has(d.id)).map((d) => d.id);
  return ids.length === 0 || ids.length === existing.length ? null : ids.join(',');
}

/**
 * The row order, as a trilogue table reads: the first column's numbering; a point a later column
 * brings in goes right after the parent it was split or merged from that stands lowest (after the
 * parent's earlier children), or, without a parent shown, at the end in its column's numbering.
 */
export function rowOrder(columns: readonly PlanDocument[], points: ReadonlyMap<string, Point>): string[] {
  const order: string[] = [];
  const children = new Map<string, number>();
  for (const column of columns) {
    for (const p of column.provisions) {
      if (order.includes(p.pointId)) continue;
      const parents = (points.get(p.pointId)?.derivedFrom ?? []).map((d) => d.pointId).filter((id) => order.includes(id));
      if (parents.length === 0) {
        order.push(p.pointId);
        continue;
      }
      const anchor = parents.reduce((a, b) => (order.indexOf(a) >= order.indexOf(b) ? a : b));
      const after = children.get(anchor) ?? 0;
      order.splice(order.indexOf(anchor) + 1 + after, 0, p.pointId);
      children.set(anchor, after + 1);
    }
  }
  return order;
}

/**
 * The rows, in `rowOrder`, each cell marked against the column before it.
 * `comparisons[i]` compares column i-1 with column i (undefined while it loads; index 0 unused).
 */
export function fourColumnRows(
  columns: readonly PlanDocument[],
  comparisons: readonly (CompareView | undefined)[],
  points: ReadonlyMap<string, Point>,
): FourColumnRow[] {
  const order = rowOrder(columns, points);
  const codeOf = (id: string) => points.get(id)?.code ?? id.slice(0, 8);
  const byPoint = columns.map((d) => new Map(d.provisions.map((p) => [p.pointId, p])));
  const compared = comparisons.map((c) => (c ? new Map(c.rows.map((r) => [r.pointId, r])) : null));

  return order.map((pointId) => {
    const point = points.get(pointId);
    const parents = new Set(point?.derivedFrom.map((d) => d.pointId) ?? []);
    const cells = columns.map((_, i): FourColumnCell => {
      const here = byPoint[i]?.get(pointId);
      const before = byPoint[i - 1]?.get(pointId);
      const row = compared[i]?.get(pointId);
      const links: CellLink[] = (row?.lineage ?? []).map((l) => ({
        pointId: l.pointId,
        code: codeOf(l.pointId),
        kind: l.kind,
        direction: parents.has(l.pointId) ? 'from' : 'into',
      }));
      if (!here) {
        return { status: before ? 'dropped' : 'absent', number: null, text: null, diff: null, againstTitle: null, renumberedFrom: null, links: before ? links : [] };
      }
      const base = { number: here.number, text: here.text, links };
      if (i === 0) return { ...base, status: 'first', diff: null, againstTitle: null, renumberedFrom: null };
      const renumberedFrom = (from: { number: string }) => (from.number !== here.number ? from.number : null);
      if (before) {
        const same = before.text === here.text;
        return { ...base, status: same ? 'same' : 'changed', diff: !same && row ? row.diff : null, againstTitle: null, renumberedFrom: renumberedFrom(before) };
      }
      // Left out of the column before but in an earlier one: back, marked against the latest such text.
      for (let k = i - 2; k >= 0; k -= 1) {
        const earlier = byPoint[k]?.get(pointId);
        const title = columns[k]?.shortTitle || columns[k]?.title || '';
        if (earlier) {
          return { ...base, status: 'back', diff: earlier.text === here.text ? null : wordDiff(earlier.text, here.text), againstTitle: title, renumberedFrom: renumberedFrom(earlier) };
        }
      }
      return { ...base, status: 'new', diff: null, againstTitle: null, renumberedFrom: null };
    });
    return {
      pointId,
      code: point?.code ?? codeOf(pointId),
      title: point?.title ?? '',
      derivedFrom: (point?.derivedFrom ?? []).map((d) => ({ pointId: d.pointId, code: codeOf(d.pointId), kind: d.kind, direction: 'from' as const })),
      cells,
    };
  });
}

const KIND_WORD: Record<string, [from: string, into: string]> = {
  split: ['split from', 'split into'],
  merge: ['merged from', 'merged into'],
  reworded: ['reworded from', 'reworded as'],
};

/**
 * "split from p05, p10", "merged into p29": the links grouped by kind and direction, each group's
 * codes in their natural order (the API gives a point's parents in no particular order).
 */
export function linkText(links: readonly CellLink[]): string[] {
  const groups = new Map<string, string[]>();
  for (const l of links) {
    const words = KIND_WORD[l.kind] ?? [`${l.kind} from`, `${l.kind} into`];
    const label = l.direction === 'from' ? words[0] : words[1];
    groups.set(label, [...(groups.get(label) ?? []), l.code]);
  }
  return [...groups].map(([label, codes]) => `${label} ${[...codes].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).join(', ')}`);
}

/** What a cell says about the point's fate in that column, for the cell's label and the printout. */
export function statusText(cell: FourColumnCell): string | null {
  switch (cell.status) {
    case 'new':
      return 'new in this text';
    case 'back':
      return `back, marked against ${cell.againstTitle}`;
    case 'dropped':
      return 'dropped';
    case 'changed':
      return 'changed';
    case 'same':
      return 'unchanged';
    case 'first':
    case 'absent':
      return null;
  }
}
