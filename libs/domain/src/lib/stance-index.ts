import { POSITIONS } from '@parley/contracts';
import type { ConvergencePoint, Position } from '@parley/contracts';
import { isAgreeing, isBlocking, type ConvergenceOptions } from './metrics';
import type { TimeView } from './projection';
import { toIso } from './time';

/** What the index keeps of a stance event: enough to decide which one is in force, nothing to show. */
export interface IndexedEvent {
  seq: number;
  partyId: string;
  pointId: string;
  position: Position;
  effectiveAt: number;
  recordedAt: number;
}

/** A cell as the index sees it at a time view: its version and the sequence number of the event in force. */
export interface IndexedCell {
  partyId: string;
  pointId: string;
  /** Events + retractions ever recorded on the cell (the projection's version). */
  version: number;
  /** seq of the event in force, or null when none is visible. */
  seq: number | null;
  position: Position | null;
  effectiveAt: number | null;
  recordedAt: number | null;
}

const POSITION_CODE = new Map<Position, number>(POSITIONS.map((p, i) => [p, i]));
const AGREES = 1;
const BLOCKS = 2;
const FLAGS = POSITIONS.map((p) => (isAgreeing(p) ? AGREES : 0) | (isBlocking(p) ? BLOCKS : 0));
/** Keys cells by (party, point) number; a negotiation never has 2^20 points. */
const POINT_SPAN = 0x100000;

interface Cell {
  party: number;
  point: number;
  /** Event slots of the cell, sorted by compareFacts (effectiveAt, recordedAt, seq). */
  order: Int32Array;
  size: number;
  version: number;
}

/**
 * A compact, in-memory as-of index of one negotiation's stance events, with the same rules as
 * currentStances / isVisible / compareFacts. Events live in typed-array columns in sequence order
 * (about 33 bytes each, plus 4–8 bytes in their cell's order), so a million events take tens of
 * megabytes instead of a million objects; each cell keeps its events sorted by compareFacts, so
 * "the event in force at T" is a binary search per cell whatever the length of the history.
 * Events must be added in increasing seq (the order of the negotiation's change stream).
 */
export class StanceIndex {
  /** The change stream's sequence number up to which this index is complete. */
  lastSeq = 0;
  private readonly partyIds: string[] = [];
  private readonly partyNumber = new Map<string, number>();
  private readonly pointIds: string[] = [];
  private readonly pointNumber = new Map<string, number>();
  private readonly cells: Cell[] = [];
  private readonly cellNumber = new Map<number, number>();
  private count = 0;
  private seqs = new Int32Array(0);
  private effective = new Float64Array(0);
  private recorded = new Float64Array(0);
  /** recordedAt of the retraction; NaN when the event was never retracted. */
  private retracted = new Float64Array(0);
  private positions = new Uint8Array(0);
  private cellOf = new Int32Array(0);
  private minEffective = Number.POSITIVE_INFINITY;

  constructor(capacity = 0) {
    this.grow(capacity);
  }

  get size(): number {
    return this.count;
  }

  get cellCount(): number {
    return this.cells.length;
  }

  /** The earliest effectiveAt of any event, retracted or not; null when there are none. */
  get earliestEffectiveAt(): number | null {
    return Number.isFinite(this.minEffective) ? this.minEffective : null;
  }

  /** Bytes held by the typed arrays (the columns and the per-cell orders, with their spare capacity). */
  get bytes(): number {
    const columns = this.seqs.byteLength + this.effective.byteLength + this.recorded.byteLength + this.retracted.byteLength;
    let orders = 0;
    for (const cell of this.cells) orders += cell.order.byteLength;
    return columns + this.positions.byteLength + this.cellOf.byteLength + orders;
  }

  /** Makes room for `more` events without re-allocating on each add (a bulk load knows its size). */
  reserve(more: number): void {
    if (this.count + more > this.seqs.length) this.grow(this.count + more);
  }

  add(event: IndexedEvent): void {
    if (this.count > 0 && event.seq <= this.seqs[this.count - 1]) {
      throw new Error(`stance index: event seq ${event.seq} is not after ${this.seqs[this.count - 1]}`);
    }
    const code = POSITION_CODE.get(event.position);
    if (code === undefined) throw new Error(`stance index: unknown position '${event.position}'`);
    if (this.count === this.seqs.length) this.grow(Math.max(1024, this.count * 2));
    const slot = this.count++;
    const cellNo = this.cellFor(event.partyId, event.pointId);
    this.seqs[slot] = event.seq;
    this.effective[slot] = event.effectiveAt;
    this.recorded[slot] = event.recordedAt;
    this.retracted[slot] = Number.NaN;
    this.positions[slot] = code;
    this.cellOf[slot] = cellNo;
    if (event.effectiveAt < this.minEffective) this.minEffective = event.effectiveAt;
    const cell = this.cells[cellNo];
    cell.version += 1;
    this.insertInOrder(cell, slot);
    this.lastSeq = Math.max(this.lastSeq, event.seq);
  }

  /** Records the retraction of the event with sequence number `eventSeq`; false if the index does not hold it. */
  retract(eventSeq: number, recordedAt: number, seq: number): boolean {
    const slot = this.slotOf(eventSeq);
    if (slot < 0 || !Number.isNaN(this.retracted[slot])) return false;
    this.retracted[slot] = recordedAt;
    this.cells[this.cellOf[slot]].version += 1;
    this.lastSeq = Math.max(this.lastSeq, seq);
    return true;
  }

  /** The cell's event in force at the view, per cell that has ever had an event. */
  cellsAt(view: TimeView): IndexedCell[] {
    const asOf = view.asOf ?? Number.POSITIVE_INFINITY;
    const knownAt = view.knownAt ?? Number.POSITIVE_INFINITY;
    const out: IndexedCell[] = new Array<IndexedCell>(this.cells.length);
    for (let c = 0; c < this.cells.length; c += 1) {
      const cell = this.cells[c];
      const slot = this.inForce(cell, asOf, knownAt);
      out[c] = {
        partyId: this.partyIds[cell.party],
        pointId: this.pointIds[cell.point],
        version: cell.version,
        seq: slot < 0 ? null : this.seqs[slot],
        position: slot < 0 ? null : POSITIONS[this.positions[slot]],
        effectiveAt: slot < 0 ? null : this.effective[slot],
        recordedAt: slot < 0 ? null : this.recorded[slot],
      };
    }
    return out;
  }

  /**
   * The same series as convergenceSeries over the indexed events. Per cell: the event in force at
   * the first date by binary search, then only the cell's events up to the last date, in order;
   * the changes become per-(date, point) deltas summed once. Events before the range cost nothing,
   * so a 90-day range of a long history reads a fraction of it.
   */
  convergence(opts: ConvergenceOptions): ConvergencePoint[] {
    const dates = [...opts.dates].sort((a, b) => a - b);
    const points = opts.pointIds.length;
    const series: ConvergencePoint[] = [];
    if (dates.length === 0) return series;
    const knownAt = opts.knownAt ?? Number.POSITIVE_INFINITY;
    const partyAt = positionsOf(opts.partyIds, this.partyNumber);
    const pointAt = positionsOf(opts.pointIds, this.pointNumber);
    const width = points;
    const stated = new Int32Array(dates.length * width);
    const agreeing = new Int32Array(dates.length * width);
    const blocking = new Int32Array(dates.length * width);
    const change = (bucket: number, point: number, flags: number, delta: number, firstStance: boolean): void => {
      const at = bucket * width + point;
      if (firstStance) stated[at] += delta;
      if (flags & AGREES) agreeing[at] += delta;
      if (flags & BLOCKS) blocking[at] += delta;
    };
    const last = dates[dates.length - 1];
    for (const cell of this.cells) {
      const point = pointAt[cell.point];
      if (point < 0 || partyAt[cell.party] < 0) continue;
      let held = this.inForce(cell, dates[0], knownAt);
      if (held >= 0) change(0, point, FLAGS[this.positions[held]], +1, true);
      // The cell's events after the first date, in order: each visible one replaces the holder.
      let j = this.upperBound(cell, dates[0]);
      let bucket = 0;
      for (; j < cell.size; j += 1) {
        const slot = cell.order[j];
        const at = this.effective[slot];
        if (at > last) break;
        if (!(this.recorded[slot] <= knownAt) || this.retracted[slot] <= knownAt) continue;
        while (dates[bucket] < at) bucket += 1;
        if (held >= 0) change(bucket, point, FLAGS[this.positions[held]], -1, false);
        change(bucket, point, FLAGS[this.positions[slot]], +1, held < 0);
        held = slot;
      }
    }
    const nowStated = new Int32Array(points);
    const nowAgreeing = new Int32Array(points);
    const nowBlocking = new Int32Array(points);
    for (let k = 0; k < dates.length; k += 1) {
      let agreed = 0;
      let blocked = 0;
      let addressed = 0;
      for (let p = 0; p < points; p += 1) {
        const at = k * width + p;
        nowStated[p] += stated[at];
        nowAgreeing[p] += agreeing[at];
        nowBlocking[p] += blocking[at];
        if (nowStated[p] === 0) continue;
        addressed += 1;
        if (nowAgreeing[p] === nowStated[p]) agreed += 1;
        if (nowBlocking[p] > 0) blocked += 1;
      }
      series.push({ date: toIso(dates[k]), agreed, blocked, addressed, points });
    }
    return series;
  }

  /** The slot of the cell's greatest visible event at (asOf, knownAt), or -1. */
  private inForce(cell: Cell, asOf: number, knownAt: number): number {
    for (let j = this.upperBound(cell, asOf) - 1; j >= 0; j -= 1) {
      const slot = cell.order[j];
      // A NaN retraction time (never retracted) compares false: the event stays visible.
      if (this.recorded[slot] <= knownAt && !(this.retracted[slot] <= knownAt)) return slot;
    }
    return -1;
  }

  /** Index in the cell's order of the first event with effectiveAt > at. */
  private upperBound(cell: Cell, at: number): number {
    let lo = 0;
    let hi = cell.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.effective[cell.order[mid]] <= at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Events are added in seq order, so the seq column is sorted. */
  private slotOf(seq: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.seqs[mid] < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.count && this.seqs[lo] === seq ? lo : -1;
  }

  /** Inserts after every event it does not precede (its seq is the greatest so far, so ties go after). */
  private insertInOrder(cell: Cell, slot: number): void {
    const eff = this.effective[slot];
    const rec = this.recorded[slot];
    let lo = 0;
    let hi = cell.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const other = cell.order[mid];
      const e = this.effective[other];
      if (e < eff || (e === eff && this.recorded[other] <= rec)) lo = mid + 1;
      else hi = mid;
    }
    if (cell.size === cell.order.length) {
      const bigger = new Int32Array(Math.max(4, cell.order.length * 2));
      bigger.set(cell.order);
      cell.order = bigger;
    }
    cell.order.copyWithin(lo + 1, lo, cell.size);
    cell.order[lo] = slot;
    cell.size += 1;
  }

  private cellFor(partyId: string, pointId: string): number {
    let party = this.partyNumber.get(partyId);
    if (party === undefined) {
      party = this.partyIds.push(partyId) - 1;
      this.partyNumber.set(partyId, party);
    }
    let point = this.pointNumber.get(pointId);
    if (point === undefined) {
      point = this.pointIds.push(pointId) - 1;
      this.pointNumber.set(pointId, point);
    }
    const key = party * POINT_SPAN + point;
    let cellNo = this.cellNumber.get(key);
    if (cellNo === undefined) {
      cellNo = this.cells.push({ party, point, order: new Int32Array(4), size: 0, version: 0 }) - 1;
      this.cellNumber.set(key, cellNo);
    }
    return cellNo;
  }

  private grow(capacity: number): void {
    const widen = <T extends Int32Array | Float64Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old.subarray(0, this.count) as never);
      return next;
    };
    this.seqs = widen(this.seqs, (n) => new Int32Array(n));
    this.effective = widen(this.effective, (n) => new Float64Array(n));
    this.recorded = widen(this.recorded, (n) => new Float64Array(n));
    this.retracted = widen(this.retracted, (n) => new Float64Array(n));
    this.positions = widen(this.positions, (n) => new Uint8Array(n));
    this.cellOf = widen(this.cellOf, (n) => new Int32Array(n));
  }
}

/** For each internal number, the position of its id in `ids` (-1 when absent; the first occurrence wins). */
function positionsOf(ids: readonly string[], numbers: ReadonlyMap<string, number>): Int32Array {
  const out = new Int32Array(numbers.size).fill(-1);
  ids.forEach((id, i) => {
    const n = numbers.get(id);
    if (n !== undefined && out[n] < 0) out[n] = i;
  });
  return out;
}
