import { POSITIONS } from '@parley/contracts';
import type { Position } from '@parley/contracts';
import { pick, seededRandom } from '../testing/seeded-random';
import { convergenceSeries } from './metrics';
import { cellKey, cellVersions, currentStances } from './projection';
import type { StanceFact, TimeView } from './projection';
import { StanceIndex } from './stance-index';

const HOUR = 3_600_000;

/** A random history with many ties (times on a coarse grid), back-dated reports and retractions. */
function history(seed: number, events: number, parties: string[], points: string[]): StanceFact[] {
  const random = seededRandom(seed);
  const facts: StanceFact[] = [];
  let clock = 0;
  for (let seq = 1; seq <= events; seq += 1) {
    clock += Math.floor(random() * 3) * HOUR;
    // Up to a week back-dated, on a 6-hour grid so that effectiveAt ties are common.
    const effectiveAt = Math.floor((clock - Math.floor(random() * 28) * 6 * HOUR) / (6 * HOUR)) * 6 * HOUR;
    facts.push({
      id: `e${seq}`,
      partyId: pick(random, parties),
      pointId: pick(random, points),
      position: pick(random, POSITIONS),
      effectiveAt,
      recordedAt: clock,
      seq,
      retractedAt: random() < 0.15 ? clock + Math.floor(random() * 48) * HOUR : null,
    });
  }
  return facts;
}

/** Adds the events and retractions in the order of the change stream (by the seq they would take). */
function indexOf(facts: StanceFact[]): StanceIndex {
  const index = new StanceIndex();
  const stream = [
    ...facts.map((f) => ({ at: f.recordedAt, order: 0, f })),
    ...facts.filter((f) => f.retractedAt !== null).map((f) => ({ at: f.retractedAt as number, order: 1, f })),
  ].sort((a, b) => a.at - b.at || a.order - b.order || a.f.seq - b.f.seq);
  let seq = 1_000_000;
  for (const { order, f } of stream) {
    if (order === 0) index.add({ seq: f.seq, partyId: f.partyId, pointId: f.pointId, position: f.position, effectiveAt: f.effectiveAt, recordedAt: f.recordedAt });
    else expect(index.retract(f.seq, f.retractedAt as number, (seq += 1))).toBe(true);
  }
  return index;
}

interface Seen {
  version: number;
  seq: number | null;
  position: Position | null;
  effectiveAt: number | null;
  recordedAt: number | null;
}

function expected(facts: StanceFact[], view: TimeView): Map<string, Seen> {
  const current = currentStances(facts, view);
  const out = new Map<string, Seen>();
  for (const [key, version] of cellVersions(facts)) {
    const f = current.get(key);
    out.set(key, { version, seq: f?.seq ?? null, position: f?.position ?? null, effectiveAt: f?.effectiveAt ?? null, recordedAt: f?.recordedAt ?? null });
  }
  return out;
}

function actual(index: StanceIndex, view: TimeView): Map<string, Seen> {
  return new Map(
    index.cellsAt(view).map((c) => [cellKey(c.partyId, c.pointId), { version: c.version, seq: c.seq, position: c.position, effectiveAt: c.effectiveAt, recordedAt: c.recordedAt }]),
  );
}

describe('StanceIndex', () => {
  const parties = ['a', 'b', 'c', 'd'];
  const points = ['p1', 'p2', 'p3', 'p4', 'p5'];

  it('is empty before the first event', () => {
    const index = new StanceIndex();
    expect(index.cellsAt({})).toEqual([]);
    expect(index.earliestEffectiveAt).toBeNull();
    expect(index.convergence({ partyIds: parties, pointIds: points, dates: [0, 1] })).toEqual(convergenceSeries([], { partyIds: parties, pointIds: points, dates: [0, 1] }));
  });

  it('picks the latest by effectiveAt, then recordedAt, then seq; a retraction hides the event once known', () => {
    const index = new StanceIndex();
    index.add({ seq: 1, partyId: 'a', pointId: 'p1', position: 'accept', effectiveAt: 10, recordedAt: 100 });
    index.add({ seq: 2, partyId: 'a', pointId: 'p1', position: 'reject', effectiveAt: 5, recordedAt: 200 }); // back-dated
    index.add({ seq: 3, partyId: 'a', pointId: 'p1', position: 'amend', effectiveAt: 10, recordedAt: 100 }); // tie: later seq wins
    expect(index.retract(3, 300, 4)).toBe(true);
    expect(index.retract(3, 400, 5)).toBe(false);
    const at = (view: TimeView) => index.cellsAt(view)[0];
    expect(at({})).toMatchObject({ version: 4, seq: 1, position: 'accept' });
    expect(at({ knownAt: 299 })).toMatchObject({ seq: 3, position: 'amend' });
    expect(at({ asOf: 9 })).toMatchObject({ seq: 2, position: 'reject' });
    expect(at({ asOf: 9, knownAt: 150 })).toMatchObject({ seq: null, position: null });
    expect(at({ asOf: 4 })).toMatchObject({ version: 4, seq: null });
    expect(index.lastSeq).toBe(4);
    expect(index.earliestEffectiveAt).toBe(5);
  });

  it('refuses an event out of sequence order', () => {
    const index = new StanceIndex();
    index.add({ seq: 5, partyId: 'a', pointId: 'p1', position: 'accept', effectiveAt: 1, recordedAt: 1 });
    expect(() => index.add({ seq: 5, partyId: 'a', pointId: 'p2', position: 'accept', effectiveAt: 1, recordedAt: 1 })).toThrow(/seq/);
  });

  it.each([1, 2, 3, 4, 5])('gives the same cells as currentStances at random views (seed %i)', (seed) => {
    const facts = history(seed, 600, parties, points);
    const index = indexOf(facts);
    expect(index.size).toBe(600);
    const random = seededRandom(seed + 100);
    const span = facts[facts.length - 1].recordedAt + 72 * HOUR;
    const views: TimeView[] = [{}];
    for (let i = 0; i < 60; i += 1) {
      const asOf = Math.floor(random() * span);
      const knownAt = Math.floor(random() * span);
      views.push({ asOf }, { knownAt }, { asOf, knownAt }, { asOf: Math.floor(asOf / (6 * HOUR)) * 6 * HOUR, knownAt });
    }
    for (const view of views) expect(actual(index, view)).toEqual(expected(facts, view));
  });

  it('marks by cell number the events in force that are also their cell\'s current one', () => {
    const facts = history(9, 400, parties, points);
    const index = indexOf(facts);
    const now = index.inForce({});
    expect(Array.from(now.current)).toEqual(Array.from(now.seq, (seq) => (seq < 0 ? 0 : 1)));
    const random = seededRandom(19);
    const span = facts[facts.length - 1].recordedAt + 72 * HOUR;
    let both = 0;
    for (let i = 0; i < 40; i += 1) {
      const view = i % 2 === 0 ? { asOf: Math.floor(random() * span) } : { asOf: Math.floor(random() * span), knownAt: Math.floor(random() * span) };
      const at = index.inForce(view);
      const cells = index.cellsAt(view);
      expect(at.seq.length).toBe(index.cellCount);
      for (let c = 0; c < cells.length; c += 1) {
        expect({ c, seq: at.seq[c], party: index.partyOf(c), point: index.pointOf(c), version: index.versionOf(c) }).toEqual({ c, seq: cells[c].seq ?? -1, party: cells[c].partyId, point: cells[c].pointId, version: cells[c].version });
        const current = at.seq[c] >= 0 && at.seq[c] === now.seq[c] ? 1 : 0;
        expect({ c, current: at.current[c] }).toEqual({ c, current });
        both += current;
      }
    }
    // Both kinds occur, or the test proves nothing.
    expect(both).toBeGreaterThan(0);
    expect(both).toBeLessThan(40 * index.cellCount);
  });

  it.each([1, 2, 3])('gives the same convergence series as convergenceSeries (seed %i)', (seed) => {
    const facts = history(seed, 500, [...parties, 'outsider'], [...points, 'p-outside']);
    const index = indexOf(facts);
    const random = seededRandom(seed + 7);
    const span = facts[facts.length - 1].recordedAt;
    for (let i = 0; i < 20; i += 1) {
      const from = Math.floor(random() * span) - 24 * HOUR;
      const dates = Array.from({ length: 1 + Math.floor(random() * 30) }, (_, k) => from + k * 6 * HOUR * (1 + Math.floor(random() * 3)));
      // Repeated and unsorted dates too.
      if (i % 3 === 0) dates.push(dates[0], dates[dates.length - 1] - HOUR);
      const knownAt = i % 2 === 0 ? undefined : Math.floor(random() * span);
      const opts = { partyIds: parties, pointIds: points, dates, knownAt };
      expect(index.convergence(opts)).toEqual(convergenceSeries(facts, opts));
    }
  });

  it('costs a few tens of bytes per event', () => {
    const index = new StanceIndex(1_000);
    for (let seq = 1; seq <= 1_000; seq += 1) {
      index.add({ seq, partyId: `party${seq % 10}`, pointId: `point${seq % 20}`, position: 'accept', effectiveAt: seq, recordedAt: seq });
    }
    // 33 bytes an event (its source number included) plus spare capacity.
    expect(index.bytes / index.size).toBeLessThan(56);
  });
});
