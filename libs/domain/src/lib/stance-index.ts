import { POSITIONS } from '@parley/contracts';
import type { ConvergencePoint, Position } from '@parley/contracts';
import { outletKey } from './corroboration';
import { isAgreeing, isBlocking, type ConvergenceOptions } from './metrics';
import type { TimeView } from './projection';
import { toIso } from './time';
import { currentOf, inForce, insertInOrder, newCell, upperBound, type Cell } from './stance-index-cell';

/** What the index keeps of a stance event: enough to decide which one is in force, nothing to show. */
export interface IndexedEvent {
  seq: number;
  partyId: string;
  pointId: string;
  position: Position;
  effectiveAt: number;
  recordedAt: number;
  /** The cited source's id (null or absent: none), for corroboration; its outlet comes from setOutlet. */
  sourceId?: string | null;
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

/**
 * The event in force per cell at a time view, one column per field and one entry per cell
 * number (cells are numbered in the order they were first written): no object per cell.
 */
export interface InForce {
  /** seq of the event in force, or -1 when none is visible. */
  seq: Int32Array;
  /** Index into POSITIONS (meaningless when seq is -1). */
  position: Uint8Array;
  effectiveAt: Float64Array;
  recordedAt: Float64Array;
  /** 1 when that event is also the cell's event in force without a time bound (its current one). */
  current: Uint8Array;
  /** Corroboration of that event's position (corroboration.ts): distinct outlets and sources of its run. */
  outlets: Int32Array;
  sources: Int32Array;
}

const POSITION_CODE = new Map<Position, number>(POSITIONS.map((p, i) => [p, i]));
const AGREES = 1;
const BLOCKS = 2;
const FLAGS = POSITIONS.map((p) => (isAgreeing(p) ? AGREES : 0) | (isBlocking(p) ? BLOCKS : 0));
/** Keys cells by (party, point) number; a negotiation never has 2^20 points. */
const POINT_SPAN = 0x100000;

/**
 * A compact, in-memory as-of index of one negotiation's stance events, with the same rules as
 * currentStances / isVisible / compareFacts. Each cell keeps its events sorted by compareFacts in
 * typed arrays (33 bytes an event with its source number, plus spare capacity), so "the event in force at T" is a binary
 * search per cell whatever the length of the history, and a million events take tens of megabytes
 * instead of a million objects. A sorted seq column (with each event's cell) finds the event a
 * retraction names. Events must be added in increasing seq (the order of the change stream).
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
  private cellOf = new Int32Array(0);
  private minEffective = Number.POSITIVE_INFINITY;
  /** Sources by number, and each one's outlet number (-1: no outlet; outlets keyed by outletKey). */
  private readonly sourceNumber = new Map<string, number>();
  private sourceOutlet = new Int32Array(64).fill(-1);
  private readonly outletNumber = new Map<string, number>();
  /** Scratch marks of the sources and outlets counted for a cell, stamped per cell: nothing is cleared or allocated per cell. */
  private sourceMark = new Int32Array(0);
  private outletMark = new Int32Array(0);
  private stamp = 0;

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

  /** Bytes held by the typed arrays (with their spare capacity). */
  get bytes(): number {
    let cells = 0;
    for (const c of this.cells) {
      cells += c.seq.byteLength + c.effective.byteLength + c.recorded.byteLength + c.retracted.byteLength + c.position.byteLength + c.source.byteLength;
    }
    return this.seqs.byteLength + this.cellOf.byteLength + cells;
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
    const cellNo = this.cellFor(event.partyId, event.pointId);
    this.seqs[this.count] = event.seq;
    this.cellOf[this.count] = cellNo;
    this.count += 1;
    if (event.effectiveAt < this.minEffective) this.minEffective = event.effectiveAt;
    const cell = this.cells[cellNo];
    cell.version += 1;
    insertInOrder(cell, event.seq, event.effectiveAt, event.recordedAt, code, event.sourceId ? this.sourceFor(event.sourceId) : -1);
    this.lastSeq = Math.max(this.lastSeq, event.seq);
  }

  /** Sets (or corrects) a source's outlet, which corroboration counts; a source never set has none. */
  setOutlet(sourceId: string, outlet: string | null): void {
    const source = this.sourceFor(sourceId);
    const key = outletKey(outlet);
    let n = -1;
    if (key !== null) {
      n = this.outletNumber.get(key) ?? -1;
      if (n < 0) {
        n = this.outletNumber.size;
        this.outletNumber.set(key, n);
      }
    }
    this.sourceOutlet[source] = n;
  }

  /** Records the retraction of the event with sequence number `eventSeq`; false if the index does not hold it. */
  retract(eventSeq: number, recordedAt: number, seq: number): boolean {
    const slot = this.slotOf(eventSeq);
    if (slot < 0) return false;
    const cell = this.cells[this.cellOf[slot]];
    const j = cell.seq.subarray(0, cell.size).indexOf(eventSeq);
    if (j < 0 || !Number.isNaN(cell.retracted[j])) return false;
    cell.retracted[j] = recordedAt;
    cell.version += 1;
    this.lastSeq = Math.max(this.lastSeq, seq);
    return true;
  }

  /** The cell's event in force at the view, per cell that has ever had an event. */
  cellsAt(view: TimeView): IndexedCell[] {
    const at = this.inForce(view);
    const out: IndexedCell[] = new Array<IndexedCell>(this.cells.length);
    for (let c = 0; c < this.cells.length; c += 1) {
      const cell = this.cells[c];
      const none = at.seq[c] < 0;
      out[c] = {
        partyId: this.partyIds[cell.party],
        pointId: this.pointIds[cell.point],
        version: cell.version,
        seq: none ? null : at.seq[c],
        position: none ? null : POSITIONS[at.position[c]],
        effectiveAt: none ? null : at.effectiveAt[c],
        recordedAt: none ? null : at.recordedAt[c],
      };
    }
    return out;
  }

  /** Like cellsAt, by cell number and column-wise, for callers that show every cell (the matrix). */
  inForce(view: TimeView): InForce {
    const asOf = view.asOf ?? Number.POSITIVE_INFINITY;
    const knownAt = view.knownAt ?? Number.POSITIVE_INFINITY;
    const n = this.cells.length;
    const out: InForce = {
      seq: new Int32Array(n),
      position: new Uint8Array(n),
      effectiveAt: new Float64Array(n),
      recordedAt: new Float64Array(n),
      current: new Uint8Array(n),
      outlets: new Int32Array(n),
      sources: new Int32Array(n),
    };
    const unbounded = asOf === Number.POSITIVE_INFINITY && knownAt === Number.POSITIVE_INFINITY;
    this.readyMarks();
    const sourceMark = this.sourceMark;
    const outletMark = this.outletMark;
    const sourceOutlet = this.sourceOutlet;
    for (let c = 0; c < n; c += 1) {
      const cell = this.cells[c];
      const j = inForce(cell, asOf, knownAt);
      if (j < 0) {
        out.seq[c] = -1;
        continue;
      }
      out.seq[c] = cell.seq[j];
      out.position[c] = cell.position[j];
      out.effectiveAt[c] = cell.effective[j];
      out.recordedAt[c] = cell.recorded[j];
      out.current[c] = unbounded || j === currentOf(cell) ? 1 : 0;
      // The run (corroboration.ts): back from j over visible events while the position holds.
      const stamp = (this.stamp += 1);
      const position = cell.position[j];
      let sources = 0;
      let outlets = 0;
      for (let k = j; k >= 0; k -= 1) {
        if (!(cell.recorded[k] <= knownAt) || cell.retracted[k] <= knownAt) continue;
        if (cell.position[k] !== position) break;
        const source = cell.source[k];
        if (source < 0 || sourceMark[source] === stamp) continue;
        sourceMark[source] = stamp;
        sources += 1;
        const outlet = sourceOutlet[source];
        if (outlet >= 0 && outletMark[outlet] !== stamp) {
          outletMark[outlet] = stamp;
          outlets += 1;
        }
      }
      out.sources[c] = sources;
      out.outlets[c] = outlets;
    }
    return out;
  }

  /** Marks as long as the numbers of sources and outlets, and a stamp that cannot wrap during one call. */
  private readyMarks(): void {
    if (this.sourceMark.length < this.sourceNumber.size || this.stamp > 0x3fffffff) {
      this.sourceMark = new Int32Array(Math.max(64, this.sourceNumber.size * 2));
      this.outletMark = new Int32Array(this.sourceMark.length);
      this.stamp = 0;
    }
    if (this.outletMark.length < this.outletNumber.size) this.outletMark = new Int32Array(this.outletNumber.size * 2);
  }

  private sourceFor(sourceId: string): number {
    let n = this.sourceNumber.get(sourceId);
    if (n === undefined) {
      n = this.sourceNumber.size;
      this.sourceNumber.set(sourceId, n);
      if (n >= this.sourceOutlet.length) {
        const bigger = new Int32Array(this.sourceOutlet.length * 2).fill(-1);
        bigger.set(this.sourceOutlet);
        this.sourceOutlet = bigger;
      }
    }
    return n;
  }

  /** The party of a cell, by cell number. */
  partyOf(cell: number): string {
    return this.partyIds[this.cells[cell].party];
  }

  /** The point of a cell, by cell number. */
  pointOf(cell: number): string {
    return this.pointIds[this.cells[cell].point];
  }

  /** A cell's version (events + retractions ever recorded on it), by cell number. */
  versionOf(cell: number): number {
    return this.cells[cell].version;
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
    // Per (date, point): changes of the number of stated, agreeing and blocking parties.
    const stated = new Int32Array(dates.length * points);
    const agreeing = new Int32Array(dates.length * points);
    const blocking = new Int32Array(dates.length * points);
    const last = dates[dates.length - 1];
    for (const cell of this.cells) {
      const point = pointAt[cell.point];
      if (point < 0 || partyAt[cell.party] < 0) continue;
      let held = inForce(cell, dates[0], knownAt);
      if (held >= 0) {
        stated[point] += 1;
        const flags = FLAGS[cell.position[held]];
        if (flags & AGREES) agreeing[point] += 1;
        if (flags & BLOCKS) blocking[point] += 1;
      }
      // The cell's events after the first date, in order: each visible one replaces the holder.
      let bucket = 0;
      for (let j = upperBound(cell, dates[0]); j < cell.size; j += 1) {
        const at = cell.effective[j];
        if (at > last) break;
        if (!(cell.recorded[j] <= knownAt) || cell.retracted[j] <= knownAt) continue;
        while (dates[bucket] < at) bucket += 1;
        const k = bucket * points + point;
        if (held >= 0) {
          const before = FLAGS[cell.position[held]];
          if (before & AGREES) agreeing[k] -= 1;
          if (before & BLOCKS) blocking[k] -= 1;
        } else {
          stated[k] += 1;
        }
        const flags = FLAGS[cell.position[j]];
        if (flags & AGREES) agreeing[k] += 1;
        if (flags & BLOCKS) blocking[k] += 1;
        held = j;
      }
    }
    const nowStated = new Int32Array(points);
    const nowAgreeing = new Int32Array(points);
    const nowBlocking = new Int32Array(points);
    for (let d = 0; d < dates.length; d += 1) {
      let agreed = 0;
      let blocked = 0;
      let addressed = 0;
      for (let p = 0; p < points; p += 1) {
        const k = d * points + p;
        nowStated[p] += stated[k];
        nowAgreeing[p] += agreeing[k];
        nowBlocking[p] += blocking[k];
        if (nowStated[p] === 0) continue;
        addressed += 1;
        if (nowAgreeing[p] === nowStated[p]) agreed += 1;
        if (nowBlocking[p] > 0) blocked += 1;
      }
      series.push({ date: toIso(dates[d]), agreed, blocked, addressed, points });
    }
    return series;
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
      cellNo = this.cells.push(newCell(party, point)) - 1;
      this.cellNumber.set(key, cellNo);
    }
    return cellNo;
  }

  private grow(capacity: number): void {
    const seqs = new Int32Array(capacity);
    seqs.set(this.seqs.subarray(0, this.count));
    const cellOf = new Int32Array(capacity);
    cellOf.set(this.cellOf.subarray(0, this.count));
    this.seqs = seqs;
    this.cellOf = cellOf;
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
