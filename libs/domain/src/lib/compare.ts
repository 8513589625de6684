import type { CompareRow, CompareStatus, CompareView } from '@parley/contracts';
import { wordDiff } from './diff';

const CHUNK_RE = /\d+|\D+/g;
const DIGITS_RE = /^\d/;

function ordinal(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareDigitRuns(a: string, b: string): number {
  // Compared as text, not as Number, so that arbitrarily long runs never lose precision.
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  return x.length - y.length || ordinal(x, y);
}

/**
 * Provision numbers as people read them: "2" < "10", "6" < "6a" < "6b", "II.3" < "II.10".
 * Letters compare case-insensitively; exact ordinal order breaks the remaining ties ("06" vs "6")
 * so that sorting is deterministic.
 */
export function naturalCompare(a: string, b: string): number {
  const ca = a.match(CHUNK_RE) ?? [];
  const cb = b.match(CHUNK_RE) ?? [];
  for (let k = 0; k < ca.length && k < cb.length; k += 1) {
    const x = ca[k];
    const y = cb[k];
    const byChunk =
      DIGITS_RE.test(x) && DIGITS_RE.test(y) ? compareDigitRuns(x, y) : ordinal(x.toLowerCase(), y.toLowerCase());
    if (byChunk !== 0) return byChunk;
  }
  return ca.length - cb.length || ordinal(a, b);
}

export interface DocProvision {
  pointId: string;
  number: string;
  text: string;
}

export interface DocSide {
  id: string;
  title: string;
  provisions: readonly DocProvision[];
}

export interface LineageLink {
  pointId: string;
  kind: string;
}

export interface ComparedPoint {
  title: string;
  derivedFrom: readonly LineageLink[];
}

/** A point listed twice in one document keeps its first provision: a row stands for one point. */
function byPoint(provisions: readonly DocProvision[]): Map<string, DocProvision> {
  const out = new Map<string, DocProvision>();
  for (const provision of provisions) {
    if (!out.has(provision.pointId)) out.set(provision.pointId, provision);
  }
  return out;
}

function byNumber(x: DocProvision, y: DocProvision): number {
  return naturalCompare(x.number, y.number);
}

function statusOf(a: DocProvision | undefined, b: DocProvision | undefined): CompareStatus {
  if (a !== undefined && b !== undefined) return a.text === b.text ? 'same' : 'changed';
  return a !== undefined ? 'only_a' : 'only_b';
}

/**
 * Compares two documents point by point (the "four-column document").
 *
 * - diff is always wordDiff(a text, b text) with a missing side taken as '': an only_a row is one
 *   delete part, an only_b row one insert part, so a viewer renders every row the same way.
 * - lineage lists the point's own derivedFrom links to points of the other document, then the
 *   reverse links (points of the other document derived from this one, with their kind), so that a
 *   split or merge shows on both sides. For a point present in both documents, "the other document"
 *   is either one, but a link between two points that are both in both documents is left out.
 *   Links are deduplicated by (pointId, kind); a link to the point itself is ignored.
 * - Rows follow b's numbering, then the points only in a by a's numbering.
 */
export function compareDocuments(
  a: DocSide,
  b: DocSide,
  points: ReadonlyMap<string, ComparedPoint>,
): CompareView {
  const inA = byPoint(a.provisions);
  const inB = byPoint(b.provisions);

  // Reverse lineage, restricted to points of these two documents: parent id → links to children.
  const children = new Map<string, LineageLink[]>();
  for (const childId of new Set([...inA.keys(), ...inB.keys()])) {
    for (const link of points.get(childId)?.derivedFrom ?? []) {
      const list = children.get(link.pointId) ?? [];
      list.push({ pointId: childId, kind: link.kind });
      children.set(link.pointId, list);
    }
  }

  const lineageOf = (pointId: string, pa: DocProvision | undefined, pb: DocProvision | undefined): LineageLink[] => {
    const inOther = (otherId: string): boolean =>
      otherId !== pointId && ((pa !== undefined && inB.has(otherId)) || (pb !== undefined && inA.has(otherId)));
    // Two points that both documents contain were split or merged before or after this pair of
    // documents, not between them: their link explains no difference here.
    const inBoth = (id: string): boolean => inA.has(id) && inB.has(id);
    const relevant = (otherId: string): boolean => inOther(otherId) && !(inBoth(pointId) && inBoth(otherId));
    const forward = points.get(pointId)?.derivedFrom ?? [];
    const reverse = children.get(pointId) ?? [];
    const seen = new Set<string>();
    const out: LineageLink[] = [];
    for (const link of [...forward, ...reverse]) {
      const key = `${link.pointId}:${link.kind}`;
      if (!relevant(link.pointId) || seen.has(key)) continue;
      seen.add(key);
      out.push({ pointId: link.pointId, kind: link.kind });
    }
    return out;
  };

  const rowOf = (pointId: string): CompareRow => {
    const pa = inA.get(pointId);
    const pb = inB.get(pointId);
    return {
      pointId,
      pointTitle: points.get(pointId)?.title ?? '',
      status: statusOf(pa, pb),
      renumbered: pa !== undefined && pb !== undefined && pa.number !== pb.number,
      a: pa === undefined ? null : { number: pa.number, text: pa.text },
      b: pb === undefined ? null : { number: pb.number, text: pb.text },
      diff: wordDiff(pa?.text ?? '', pb?.text ?? ''),
      lineage: lineageOf(pointId, pa, pb),
    };
  };

  const order = [
    ...[...inB.values()].sort(byNumber),
    ...[...inA.values()].filter((p) => !inB.has(p.pointId)).sort(byNumber),
  ];
  const rows = order.map((p) => rowOf(p.pointId));
  const summary: Record<CompareStatus, number> = { same: 0, changed: 0, only_a: 0, only_b: 0 };
  for (const row of rows) summary[row.status] += 1;

  return { a: { id: a.id, title: a.title }, b: { id: b.id, title: b.title }, rows, summary };
}
