import type { PlanDocument, Point } from '@parley/contracts';
import { parseInstant } from '@parley/domain';

/** A point of a document's scope, with its provision there. */
export interface ScopedPoint {
  point: Point;
  number: string | null;
  text: string | null;
}

/**
 * The rows of a view scoped by a document (issue 18, item 7): only the points the document has a
 * provision for, in the document's order, with its numbers and texts. Without a document, every
 * point in the negotiation's order, unnumbered. A point the text dropped (no provision in it) is
 * not a row, so it counts in no metric of that scope.
 */
export function scopeToDocument(points: readonly Point[], document: PlanDocument | null): ScopedPoint[] {
  if (!document) return points.map((point) => ({ point, number: null, text: null }));
  const byId = new Map(points.map((p) => [p.id, p]));
  const out: ScopedPoint[] = [];
  for (const provision of document.provisions) {
    const point = byId.get(provision.pointId);
    if (point) out.push({ point, number: provision.number, text: provision.text });
  }
  return out;
}

/** Where a scoped time series starts by default: the document's publication (null: no document). */
export function scopeStart(document: PlanDocument | null): number | null {
  return document ? parseInstant(document.publishedAt) : null;
}
