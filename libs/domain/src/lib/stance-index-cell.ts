/*
 * One cell of the StanceIndex: its events sorted by compareFacts in typed arrays, and the searches
 * over them.
 */

export interface Cell {
  party: number;
  point: number;
  size: number;
  version: number;
  // The cell's events sorted by compareFacts (effectiveAt, recordedAt, seq), one array per field:
  // a binary search and a walk read contiguous memory instead of jumping around a million rows.
  seq: Int32Array;
  effective: Float64Array;
  recorded: Float64Array;
  /** recordedAt of the retraction; NaN when the event was never retracted. */
  retracted: Float64Array;
  position: Uint8Array;
  /** Source number of the event (StanceIndex.sourceNumber), -1: it cites none. */
  source: Int32Array;
}

const FIRST_CAPACITY = 4;

export function newCell(party: number, point: number): Cell {
  return {
    party,
    point,
    size: 0,
    version: 0,
    seq: new Int32Array(FIRST_CAPACITY),
    effective: new Float64Array(FIRST_CAPACITY),
    recorded: new Float64Array(FIRST_CAPACITY),
    retracted: new Float64Array(FIRST_CAPACITY),
    position: new Uint8Array(FIRST_CAPACITY),
    source: new Int32Array(FIRST_CAPACITY),
  };
}

/** Index in the cell of its greatest visible event at (asOf, knownAt), or -1. */
export function inForce(cell: Cell, asOf: number, knownAt: number): number {
  for (let j = upperBound(cell, asOf) - 1; j >= 0; j -= 1) {
    // A NaN retraction time (never retracted) compares false: the event stays visible.
    if (cell.recorded[j] <= knownAt && !(cell.retracted[j] <= knownAt)) return j;
  }
  return -1;
}

/** inForce without a time bound, without a search: the cell's last event never retracted, or -1. */
export function currentOf(cell: Cell): number {
  for (let j = cell.size - 1; j >= 0; j -= 1) if (Number.isNaN(cell.retracted[j])) return j;
  return -1;
}

/** Index in the cell of its first event with effectiveAt > at. */
export function upperBound(cell: Cell, at: number): number {
  let lo = 0;
  let hi = cell.size;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cell.effective[mid] <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Inserts after every event it does not precede (its seq is the greatest so far, so ties go after). */
export function insertInOrder(cell: Cell, seq: number, eff: number, rec: number, code: number, source: number): void {
  let lo = 0;
  let hi = cell.size;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const e = cell.effective[mid];
    if (e < eff || (e === eff && cell.recorded[mid] <= rec)) lo = mid + 1;
    else hi = mid;
  }
  if (cell.size === cell.seq.length) {
    const capacity = cell.size * 2;
    const widen = <T extends Int32Array | Float64Array | Uint8Array>(old: T, next: T): T => {
      next.set(old as never);
      return next;
    };
    cell.seq = widen(cell.seq, new Int32Array(capacity));
    cell.effective = widen(cell.effective, new Float64Array(capacity));
    cell.recorded = widen(cell.recorded, new Float64Array(capacity));
    cell.retracted = widen(cell.retracted, new Float64Array(capacity));
    cell.position = widen(cell.position, new Uint8Array(capacity));
    cell.source = widen(cell.source, new Int32Array(capacity));
  }
  const n = cell.size;
  cell.seq.copyWithin(lo + 1, lo, n);
  cell.effective.copyWithin(lo + 1, lo, n);
  cell.recorded.copyWithin(lo + 1, lo, n);
  cell.retracted.copyWithin(lo + 1, lo, n);
  cell.position.copyWithin(lo + 1, lo, n);
  cell.source.copyWithin(lo + 1, lo, n);
  cell.seq[lo] = seq;
  cell.effective[lo] = eff;
  cell.recorded[lo] = rec;
  cell.retracted[lo] = Number.NaN;
  cell.position[lo] = code;
  cell.source[lo] = source;
  cell.size = n + 1;
}

