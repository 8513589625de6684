import { POSITION_SCORE, SCHEDULE_TOLERANCE_MS, type Confidence, type Position, type StanceEvent, type TimePrecision } from '@parley/contracts';
import { toIso } from '@parley/domain';

/** The fields of a stance event that the as-of index does not hold. */
export interface EventFields {
  seq: number;
  id: string;
  confidence: Confidence;
  effectivePrecision: TimePrecision;
  recordedBy: string;
  conditionsText: string | null;
  /** The stored JSON text of the condition point ids. */
  conditionPointIds: string;
  note: string | null;
  quote: string | null;
  actorId: string | null;
  sourceUrl: string | null;
  sourceOutlet: string | null;
  sourceTitle: string | null;
  sourcePublishedAt: number | null;
  documentId: string | null;
  milestoneId: string | null;
}

/** What the index gives for the event in force of a cell. */
export interface IndexedFields {
  partyId: string;
  pointId: string;
  position: Position;
  effectiveAt: number;
  recordedAt: number;
}

const TEXT_FIELDS = [
  'confidence',
  'effectivePrecision',
  'recordedBy',
  'conditionsText',
  'conditionPointIds',
  'note',
  'quote',
  'actorId',
  'sourceUrl',
  'sourceOutlet',
  'sourceTitle',
  'documentId',
  'milestoneId',
] as const satisfies readonly (keyof EventFields)[];
const WIDTH = TEXT_FIELDS.length;
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
 * costs its own length), the publication date as a double — about 80 bytes per event plus the
 * distinct texts. Events are added in increasing seq, as the index receives them.
 */
export class EventDetails {
  private count = 0;
  private lastSeq = 0;
  /** Slot + 1 by sequence number (0: not held): one read instead of a binary search over a million seqs. */
  private slotBySeq = new Int32Array(0);
  private ids = new Uint32Array(0);
  private refs = new Int32Array(0);
  private published = new Float64Array(0);
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
    return this.slotBySeq.byteLength + this.ids.byteLength + this.refs.byteLength + this.published.byteLength + this.textBytes;
  }

  reserve(more: number): void {
    if (this.count + more > this.published.length) this.grow(this.count + more);
  }

  add(fields: EventFields): void {
    if (fields.seq <= this.lastSeq) return; // already held
    if (this.count === this.published.length) this.grow(Math.max(1024, this.count * 2));
    const slot = this.count++;
    this.lastSeq = fields.seq;
    if (fields.seq >= this.slotBySeq.length) {
      const bigger = new Int32Array(Math.max(1024, fields.seq * 2));
      bigger.set(this.slotBySeq);
      this.slotBySeq = bigger;
    }
    this.slotBySeq[fields.seq] = slot + 1;
    if (UUID.test(fields.id)) {
      const hex = fields.id.replace(/-/g, '');
      for (let k = 0; k < 4; k += 1) this.ids[slot * 4 + k] = Number.parseInt(hex.slice(k * 8, k * 8 + 8), 16);
    } else {
      this.otherIds.set(slot, fields.id);
    }
    for (let c = 0; c < WIDTH; c += 1) this.refs[slot * WIDTH + c] = this.ref(fields[TEXT_FIELDS[c]]);
    this.published[slot] = fields.sourcePublishedAt ?? Number.NaN;
  }

  /**
   * The API view of the event `seq` in force in a cell (visible, so without a known retraction),
   * or null if not held. The same object as buildStanceEvent, built directly: this runs for every
   * cell of every matrix, and an intermediate entity doubled its garbage.
   */
  view(seq: number, indexed: IndexedFields): StanceEvent | null {
    const slot = this.slotOf(seq);
    if (slot < 0) return null;
    const r = this.refs;
    const t = this.strings;
    const at = slot * WIDTH;
    const published = this.published[slot];
    const conditions = t[r[at + 4]];
    return {
      id: this.otherIds.size === 0 ? this.uuid(slot) : (this.otherIds.get(slot) ?? this.uuid(slot)),
      negotiationId: this.negotiationId,
      seq,
      partyId: indexed.partyId,
      pointId: indexed.pointId,
      position: indexed.position,
      score: POSITION_SCORE[indexed.position],
      confidence: t[r[at]] as Confidence,
      effectiveAt: toIso(indexed.effectiveAt),
      effectivePrecision: t[r[at + 1]] as TimePrecision,
      recordedAt: toIso(indexed.recordedAt),
      recordedBy: t[r[at + 2]] ?? '',
      scheduled: indexed.effectiveAt > indexed.recordedAt + SCHEDULE_TOLERANCE_MS,
      source: {
        url: t[r[at + 8]],
        outlet: t[r[at + 9]],
        title: t[r[at + 10]],
        publishedAt: Number.isNaN(published) ? null : toIso(published),
      },
      conditions: {
        text: t[r[at + 3]],
        pointIds: conditions === null || conditions === '[]' ? [] : (JSON.parse(conditions) as string[]),
      },
      note: t[r[at + 5]],
      quote: t[r[at + 6]],
      actorId: t[r[at + 7]],
      documentId: t[r[at + 11]],
      milestoneId: t[r[at + 12]],
      retraction: null,
    };
  }

  private ref(value: string | number | null): number {
    if (value === null) return NULL_REF;
    const s = String(value);
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
    const published = new Float64Array(capacity);
    published.set(this.published.subarray(0, this.count));
    this.ids = ids;
    this.refs = refs;
    this.published = published;
  }
}
