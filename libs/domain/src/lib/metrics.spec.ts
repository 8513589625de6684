import { POSITIONS } from '@parley/contracts';
import type { ConvergencePoint, Position } from '@parley/contracts';
import { pick, seededRandom, shuffled } from '../testing/seeded-random';
import { convergenceSeries, partyDistances, pointMetrics, summarize } from './metrics';
import { cellKey, compareFacts, currentStances } from './projection';
import type { StanceFact } from './projection';
import { DAY_MS, dateRange, toIso } from './time';

const PARTIES = ['us', 'ru', 'ua', 'eu'];
const positions = (entries: Record<string, Position>): Map<string, Position> => new Map(Object.entries(entries));

describe('pointMetrics', () => {
  it('is not agreed while one stated position is below conditional', () => {
    expect(pointMetrics('p1', PARTIES, positions({ us: 'accept', ru: 'conditional', ua: 'amend' }))).toEqual({
      pointId: 'p1',
      stated: 3,
      silent: ['eu'],
      agreed: false,
      blocked: false,
      spread: 2,
      minScore: 0,
      maxScore: 2,
    });
  });

  it('counts conditional acceptance as agreement, and ignores silent parties', () => {
    const m = pointMetrics('p1', PARTIES, positions({ ru: 'conditional', us: 'accept' }));
    expect(m.agreed).toBe(true);
    expect(m.spread).toBe(1);
    expect(m.silent).toEqual(['ua', 'eu']);
    expect(m.stated).toBe(2);
  });

  it('is blocked by one red line', () => {
    const m = pointMetrics('p1', PARTIES, positions({ us: 'accept', ru: 'red_line', ua: 'accept', eu: 'accept' }));
    expect(m).toMatchObject({ agreed: false, blocked: true, spread: 4, minScore: -2, maxScore: 2, silent: [] });
  });

  it('has no spread and no agreement when nobody has spoken', () => {
    expect(pointMetrics('p1', PARTIES, new Map())).toEqual({
      pointId: 'p1',
      stated: 0,
      silent: PARTIES,
      agreed: false,
      blocked: false,
      spread: null,
      minScore: null,
      maxScore: null,
    });
  });

  it('ignores positions of parties outside the list', () => {
    const m = pointMetrics('p1', ['us'], positions({ us: 'accept', ru: 'red_line' }));
    expect(m).toMatchObject({ stated: 1, agreed: true, blocked: false, spread: 0 });
  });

  it('treats amend and unclear as zero, not as agreement', () => {
    expect(pointMetrics('p1', ['us', 'ru'], positions({ us: 'unclear', ru: 'amend' }))).toMatchObject({
      agreed: false,
      spread: 0,
      minScore: 0,
      maxScore: 0,
    });
  });
});

describe('partyDistances', () => {
  // us: p1 accept(2) p2 conditional(1) p3 reject(-1)
  // ru: p1 red_line(-2) p2 accept(2)
  // ua: p3 accept(2)
  // eu: p1 conditional(1) p2 red_line(-2) p3 amend(0)
  const table: Record<string, Record<string, Position>> = {
    us: { p1: 'accept', p2: 'conditional', p3: 'reject' },
    ru: { p1: 'red_line', p2: 'accept' },
    ua: { p3: 'accept' },
    eu: { p1: 'conditional', p2: 'red_line', p3: 'amend' },
  };
  const positionOf = (partyId: string, pointId: string): Position | undefined => table[partyId]?.[pointId];

  it('gives every pair its mean absolute difference over shared points', () => {
    expect(partyDistances(PARTIES, ['p1', 'p2', 'p3'], positionOf)).toEqual([
      { a: 'us', b: 'ru', distance: 2.5, sharedPoints: 2 }, // (4 + 1) / 2
      { a: 'us', b: 'ua', distance: 3, sharedPoints: 1 }, // |-1 - 2|
      { a: 'us', b: 'eu', distance: 1.667, sharedPoints: 3 }, // (1 + 3 + 1) / 3
      { a: 'ru', b: 'ua', distance: null, sharedPoints: 0 },
      { a: 'ru', b: 'eu', distance: 3.5, sharedPoints: 2 }, // (3 + 4) / 2
      { a: 'ua', b: 'eu', distance: 2, sharedPoints: 1 }, // |2 - 0|
    ]);
  });

  it('only looks at the listed points', () => {
    expect(partyDistances(['us', 'ru'], ['p2'], positionOf)).toEqual([
      { a: 'us', b: 'ru', distance: 1, sharedPoints: 1 },
    ]);
  });

  it('has no pairs for fewer than two parties', () => {
    expect(partyDistances(['us'], ['p1'], positionOf)).toEqual([]);
  });
});

describe('summarize', () => {
  it('counts agreed and blocked points and rounds the share', () => {
    const metrics = [
      pointMetrics('p1', PARTIES, positions({ us: 'accept', ru: 'conditional' })),
      pointMetrics('p2', PARTIES, positions({ us: 'accept', ru: 'red_line' })),
      pointMetrics('p3', PARTIES, new Map()),
    ];
    expect(summarize(metrics)).toEqual({ points: 3, agreed: 1, blocked: 1, agreedShare: 0.333 });
  });

  it('gives a zero share with no points', () => {
    expect(summarize([])).toEqual({ points: 0, agreed: 0, blocked: 0, agreedShare: 0 });
  });
});

const D = (n: number): number => Date.UTC(2025, 10, n);
const EOD = (n: number): number => D(n) + DAY_MS - 1;

function fact(seq: number, partyId: string, pointId: string, position: Position, day: number, extra: Partial<StanceFact> = {}): StanceFact {
  return {
    id: `e${seq}`,
    partyId,
    pointId,
    position,
    effectiveAt: D(day),
    recordedAt: D(day) + 3_600_000,
    seq,
    retractedAt: null,
    ...extra,
  };
}

describe('convergenceSeries (hand-computed)', () => {
  const facts = [
    fact(1, 'a', 'p1', 'accept', 1),
    fact(2, 'b', 'p1', 'conditional', 2),
    fact(3, 'a', 'p2', 'red_line', 3),
    // b turns against p1 on day 4; the report is retracted on day 5.
    fact(4, 'b', 'p1', 'reject', 4, { retractedAt: D(5) + 7_200_000 }),
    // Outside the lists: must not count.
    fact(5, 'zz', 'p1', 'red_line', 1),
    fact(6, 'a', 'p9', 'accept', 1),
  ];
  const base = { partyIds: ['a', 'b'], pointIds: ['p1', 'p2', 'p3'], dates: [0, 1, 2, 3, 4, 5].map(EOD) };
  const point = (day: number, agreed: number, blocked: number, addressed: number): ConvergencePoint => ({
    date: toIso(EOD(day)),
    agreed,
    blocked,
    addressed,
    points: 3,
  });

  it('follows the current knowledge (the retraction applies to every date)', () => {
    expect(convergenceSeries(facts, base)).toEqual([
      point(0, 0, 0, 0),
      point(1, 1, 0, 1),
      point(2, 1, 0, 1),
      point(3, 1, 1, 2),
      point(4, 1, 1, 2),
      point(5, 1, 1, 2),
    ]);
  });

  it('shows what was known at knownAt (before the retraction)', () => {
    expect(convergenceSeries(facts, { ...base, knownAt: EOD(4) })).toEqual([
      point(0, 0, 0, 0),
      point(1, 1, 0, 1),
      point(2, 1, 0, 1),
      point(3, 1, 1, 2),
      point(4, 0, 1, 2),
      point(5, 0, 1, 2),
    ]);
  });

  it('sorts the dates', () => {
    const series = convergenceSeries(facts, { ...base, dates: [EOD(3), EOD(1)] });
    expect(series.map((p) => p.date)).toEqual([toIso(EOD(1)), toIso(EOD(3))]);
  });

  it('repeats a date given twice', () => {
    const series = convergenceSeries(facts, { ...base, dates: [EOD(3), EOD(3)] });
    expect(series).toEqual([point(3, 1, 1, 2), point(3, 1, 1, 2)]);
  });

  it('gives an empty series for no dates', () => {
    expect(convergenceSeries(facts, { ...base, dates: [] })).toEqual([]);
  });
});

describe('convergenceSeries against a brute-force recomputation', () => {
  const partyIds = ['us', 'ru', 'ua', 'eu', 'uk'];
  const pointIds = Array.from({ length: 8 }, (_, i) => `p${i + 1}`);
  const origin = D(1);

  function randomFacts(seed: number): StanceFact[] {
    const random = seededRandom(seed);
    const facts: StanceFact[] = [];
    for (let i = 0; i < 400; i += 1) {
      // Day precision half of the time, so that many events tie on effectiveAt; some sit exactly on
      // a date bound (the last millisecond of a day), which must count for that date.
      const dayOffset = Math.floor(random() * 30) * DAY_MS;
      const r = random();
      const withinDay = r < 0.5 ? 0 : r < 0.6 ? DAY_MS - 1 : Math.floor(random() * 24) * 3_600_000;
      const effectiveAt = origin + dayOffset + withinDay;
      const recordedAt = effectiveAt + Math.floor(random() * 10 * 24) * 3_600_000;
      facts.push({
        id: `f${i}`,
        // A few facts about parties and points outside the lists.
        partyId: random() < 0.03 ? 'ghost' : pick(random, partyIds),
        pointId: random() < 0.03 ? 'p99' : pick(random, pointIds),
        position: pick(random, POSITIONS),
        effectiveAt,
        recordedAt,
        seq: 0,
        retractedAt: random() < 0.15 ? recordedAt + Math.floor(random() * 10 * 24) * 3_600_000 : null,
      });
    }
    // seq follows recording order, as in the store; equal recordedAt keeps an arbitrary order.
    [...facts].sort((x, y) => x.recordedAt - y.recordedAt).forEach((f, i) => (f.seq = i + 1));
    return shuffled(random, facts);
  }

  function bruteForce(facts: StanceFact[], dates: number[], knownAt: number | undefined): ConvergencePoint[] {
    return dates.map((date) => {
      const current = currentStances(facts, knownAt === undefined ? { asOf: date } : { asOf: date, knownAt });
      const metrics = pointIds.map((pointId) => {
        const byParty = new Map<string, Position>();
        for (const partyId of partyIds) {
          const stance = current.get(cellKey(partyId, pointId));
          if (stance) byParty.set(partyId, stance.position);
        }
        return pointMetrics(pointId, partyIds, byParty);
      });
      return {
        date: toIso(date),
        agreed: metrics.filter((m) => m.agreed).length,
        blocked: metrics.filter((m) => m.blocked).length,
        addressed: metrics.filter((m) => m.stated > 0).length,
        points: pointIds.length,
      };
    });
  }

  // ~20 dates, starting before the first event and ending after the last one.
  const dates = dateRange(origin - 2 * DAY_MS, origin + 40 * DAY_MS, 'day').filter((_, i) => i % 2 === 0);
  const knownAts: (number | undefined)[] = [undefined, origin + 12 * DAY_MS + 5 * 3_600_000, origin + 25 * DAY_MS];

  it.each([1, 2, 3, 42, 2025])('matches with seed %i', (seed) => {
    const facts = randomFacts(seed);
    expect(dates.length).toBeGreaterThanOrEqual(20);
    for (const knownAt of knownAts) {
      const expected = bruteForce(facts, dates, knownAt);
      const opts = knownAt === undefined ? { partyIds, pointIds, dates } : { partyIds, pointIds, dates, knownAt };
      expect(convergenceSeries(facts, opts)).toEqual(expected);
      // The input order must not matter (ties on effectiveAt are decided by compareFacts).
      expect(convergenceSeries([...facts].sort(compareFacts), opts)).toEqual(expected);
    }
  });

  it('produces a series that actually moves (the dataset is not degenerate)', () => {
    const series = convergenceSeries(randomFacts(7), { partyIds, pointIds, dates });
    expect(series[0].addressed).toBe(0);
    expect(series[series.length - 1].addressed).toBe(pointIds.length);
    expect(new Set(series.map((p) => `${p.agreed}/${p.blocked}`)).size).toBeGreaterThan(2);
  });
});
