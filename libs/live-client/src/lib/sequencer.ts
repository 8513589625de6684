import type { ChangeEntry } from '@parley/contracts';

/**
 * Applies a negotiation's changes in sequence order, each exactly once. Entries can arrive twice
 * (replay and broadcast overlap) or out of order (several nodes, a replay racing the stream):
 * duplicates are dropped, early ones wait for the missing numbers. Any numbered stream (the staff's
 * proposal events have their own counter) is ordered the same way.
 */
export class Sequencer<Entry extends { seq: number } = ChangeEntry> {
  private readonly waiting = new Map<number, Entry>();

  constructor(private last: number) {}

  /** The highest sequence number applied so far. */
  get lastSeq(): number {
    return this.last;
  }

  /** True when entries wait for a missing one. */
  get hasGap(): boolean {
    return this.waiting.size > 0;
  }

  /** The lowest sequence number that arrived early, if any. */
  get firstWaiting(): number | null {
    return this.waiting.size ? Math.min(...this.waiting.keys()) : null;
  }

  /** Takes an entry; returns the entries that can now be applied, in order. */
  accept(entry: Entry): Entry[] {
    if (entry.seq <= this.last || this.waiting.has(entry.seq)) return [];
    this.waiting.set(entry.seq, entry);
    return this.drain();
  }

  /**
   * After loading a snapshot taken at `seq`: forgets everything up to it and returns the entries that
   * were waiting right after it, now in order. They must be applied: they will not come again (a
   * replay of them is dropped as a duplicate while they wait here).
   */
  reset(seq: number): Entry[] {
    this.last = seq;
    for (const key of [...this.waiting.keys()]) if (key <= seq) this.waiting.delete(key);
    return this.drain();
  }

  private drain(): Entry[] {
    const ready: Entry[] = [];
    for (let next = this.waiting.get(this.last + 1); next; next = this.waiting.get(this.last + 1)) {
      this.waiting.delete(next.seq);
      this.last = next.seq;
      ready.push(next);
    }
    return ready;
  }
}
