import type { ChangeEntry } from '@parley/contracts';
import { Sequencer } from './sequencer';

const at = '2025-11-21T00:00:00.000Z';
const entry = (seq: number): ChangeEntry => ({
  negotiationId: 'n',
  seq,
  kind: 'negotiation.updated',
  entityId: 'n',
  recordedAt: at,
  recordedBy: 'a',
  data: { id: 'n', slug: 'n', title: `Edit ${seq}`, description: '', status: 'active', seq, version: seq, createdAt: at, updatedAt: at },
});
const seqs = (entries: ChangeEntry[]) => entries.map((e) => e.seq);

describe('Sequencer', () => {
  it('applies entries in order and drops duplicates', () => {
    const s = new Sequencer(10);
    expect(seqs(s.accept(entry(11)))).toEqual([11]);
    expect(seqs(s.accept(entry(11)))).toEqual([]);
    expect(seqs(s.accept(entry(9)))).toEqual([]);
    expect(s.lastSeq).toBe(11);
  });

  it('holds early entries until the gap is filled, then releases them in order', () => {
    const s = new Sequencer(0);
    expect(seqs(s.accept(entry(3)))).toEqual([]);
    expect(seqs(s.accept(entry(2)))).toEqual([]);
    expect(s.hasGap).toBe(true);
    expect(s.firstWaiting).toBe(2);
    expect(seqs(s.accept(entry(1)))).toEqual([1, 2, 3]);
    expect(s.hasGap).toBe(false);
  });

  it('delivers every entry exactly once whatever the arrival order and repetition', () => {
    let state = 12345;
    const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 50; round++) {
      const arrivals = Array.from({ length: 200 }, (_, i) => i + 1).flatMap((n) => (random() < 0.3 ? [n, n] : [n]));
      arrivals.sort(() => random() - 0.5);
      const s = new Sequencer(0);
      const applied = arrivals.flatMap((n) => seqs(s.accept(entry(n))));
      expect(applied).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    }
  });

  it('resets to a snapshot and forgets what the snapshot already holds', () => {
    const s = new Sequencer(0);
    s.accept(entry(5));
    s.accept(entry(8));
    s.reset(6);
    expect(s.lastSeq).toBe(6);
    expect(s.firstWaiting).toBe(8);
    expect(seqs(s.accept(entry(7)))).toEqual([7, 8]);
  });

  it('applies the entries waiting right after the snapshot when it resets (they are not sent again)', () => {
    const s = new Sequencer(10);
    expect(seqs(s.accept(entry(16)))).toEqual([]);
    expect(seqs(s.accept(entry(17)))).toEqual([]);
    expect(seqs(s.reset(15))).toEqual([16, 17]);
    expect(s.lastSeq).toBe(17);
    expect(s.hasGap).toBe(false);
    // A replay of what was just applied is a duplicate; the stream goes on after it.
    expect(seqs(s.accept(entry(16)))).toEqual([]);
    expect(seqs(s.accept(entry(18)))).toEqual([18]);
  });

  it('keeps waiting entries that are still beyond a gap after a reset', () => {
    const s = new Sequencer(0);
    s.accept(entry(12));
    expect(seqs(s.reset(10))).toEqual([]);
    expect(s.firstWaiting).toBe(12);
    expect(seqs(s.accept(entry(11)))).toEqual([11, 12]);
  });
});
