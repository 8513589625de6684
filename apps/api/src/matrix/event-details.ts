import type { CitedSource, StanceEvent } from '@parley/contracts';
import { DETAIL_TEXTS, viewOfDetails, type IndexedFields } from '../stances/stance-row';

const WIDTH = DETAIL_TEXTS.length;
const NULL_REF = 0;
/** Character codes of the lower-case hex digits. */
const HEX_CODES = Array.from({ length: 16 }, (_, i) => i.toString(16).charCodeAt(0));
const DASH = 45;
/** The hex digit (as a character code) of `word` at bit `shift`. */
const x = (word: number, shift: number): number => HEX_CODES[(word >>> shift) & 15];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The displayed fields of a negotiation's stance events, compact, so that the matrix shows any
 * date's events without reading them from the database: ids as 16 bytes, every text as a number
 * into one table of distinct strings (outlets, authors, actors, documents repeat; a unique note
 * costs its own length), the cited source as its id (its fields are the negotiation's sources',
 * looked up when a view is built) — about 70 bytes per event plus the distinct texts. Events are
 * added in increasing seq, as the index receives them.
 */
export class EventDetails {
  private count = 0;
  private lastSeq = 0;
  /** Slot + 1 by sequence number (0: not held): one read instead of a binary search over a million seqs. */
  private slotBySeq = new Int32Array(0);
  private ids = new Uint32Array(0);
  private refs = new Int32Array(0);
  private capacity = 0;
  /** Ids that are not lower-case UUIDs (none are, today) are kept as they are. */
  private readonly otherIds = new Map<number, string>();
  /** Distinct texts; number 0 stands for null. */
  private readonly strings: (string | null)[] = [null];
  private readonly stringNumber = new Map<string, number>();
  private textBytes = 0;

  constructor(private readonly negotiationId: string) {}

  get size(): number {
    return this.count;
  }

  /** Typed arrays plus the distinct strings (two bytes a character, an upper bound). */
  get bytes(): number {
    return this.slotBySeq.byteLength + this.ids.byteLength + this.refs.byteLength + this.textBytes;
  }

  reserve(more: number): void {
    if (this.count + more > this.capacity) this.grow(this.count + more);
  }

  /** An event: its seq, id and DETAIL_TEXTS' values (stance-row.ts). */
  add(seq: number, id: string, texts: readonly (string | null)[]): void {
    if (seq <= this.lastSeq) return; // already held
    if (this.count === this.capacity) this.grow(Math.max(1024, this.count * 2));
    const slot = this.count++;
    this.lastSeq = seq;
    if (seq >= this.slotBySeq.length) {
      const bigger = new Int32Array(Math.max(1024, seq * 2));
      bigger.set(this.slotBySeq);
      this.slotBySeq = bigger;
    }
    this.slotBySeq[seq] = slot + 1;
    if (UUID.test(id)) {
      const hex = id.replace(/-/g, '');
      for (let k = 0; k < 4; k += 1) this.ids[slot * 4 + k] = Number.parseInt(hex.slice(k * 8, k * 8 + 8), 16);
    } else {
      this.otherIds.set(slot, id);
    }
    for (let c = 0; c < WIDTH; c += 1) this.refs[slot * WIDTH + c] = this.ref(texts[c]);
  }

  /** The API view of the event `seq` in force in a cell (stance-row.ts, viewOfDetails), or null if not held; `sourceOf`: a source's view by id. */
  view(seq: number, indexed: IndexedFields, sourceOf: (id: string) => CitedSource): StanceEvent | null {
    const slot = this.slotOf(seq);
    if (slot < 0) return null;
    const r = this.refs;
    const t = this.strings;
    const at = slot * WIDTH;
    const id = this.otherIds.size === 0 ? this.uuid(slot) : (this.otherIds.get(slot) ?? this.uuid(slot));
    return viewOfDetails(id, this.negotiationId, seq, indexed, (i) => t[r[at + i]], sourceOf);
  }

  private ref(value: string | null): number {
    if (value === null) return NULL_REF;
    const s = value;
    let n = this.stringNumber.get(s);
    if (n === undefined) {
      n = this.strings.push(s) - 1;
      this.stringNumber.set(s, n);
      this.textBytes += 2 * s.length;
    }
    return n;
  }

  /**
   * Formats with one String.fromCharCode: ten thousand ids per matrix. Concatenating pieces built
   * a chain of cons strings per id, which JSON.stringify then had to flatten.
   */
  private uuid(slot: number): string {
    const a = this.ids[slot * 4];
    const b = this.ids[slot * 4 + 1];
    const c = this.ids[slot * 4 + 2];
    const d = this.ids[slot * 4 + 3];
    return String.fromCharCode(
      x(a, 28), x(a, 24), x(a, 20), x(a, 16), x(a, 12), x(a, 8), x(a, 4), x(a, 0), DASH,
      x(b, 28), x(b, 24), x(b, 20), x(b, 16), DASH, x(b, 12), x(b, 8), x(b, 4), x(b, 0), DASH,
      x(c, 28), x(c, 24), x(c, 20), x(c, 16), DASH, x(c, 12), x(c, 8), x(c, 4), x(c, 0),
      x(d, 28), x(d, 24), x(d, 20), x(d, 16), x(d, 12), x(d, 8), x(d, 4), x(d, 0),
    );
  }

  private slotOf(seq: number): number {
    return seq >= 0 && seq < this.slotBySeq.length ? this.slotBySeq[seq] - 1 : -1;
  }

  private grow(capacity: number): void {
    const ids = new Uint32Array(capacity * 4);
    ids.set(this.ids.subarray(0, this.count * 4));
    const refs = new Int32Array(capacity * WIDTH);
    refs.set(this.refs.subarray(0, this.count * WIDTH));
    this.ids = ids;
    this.refs = refs;
    this.capacity = capacity;
  }
}
