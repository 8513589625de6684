import { DAY_MS, MAX_RANGE_POINTS, RangeTooLongError, dateRange, endOfDay, fittingStep, rangeCount, parseBound, parseInstant, parseSince, precisionOf, toIso, toIsoOrNull } from './time';
import { seededRandom } from '../testing/seeded-random';

const day = (iso: string): number => Date.parse(`${iso}T00:00:00.000Z`);
const eod = (iso: string): number => Date.parse(`${iso}T23:59:59.999Z`);

describe('parseInstant', () => {
  it('places a day at its first millisecond (UTC)', () => {
    expect(parseInstant('2025-11-21')).toBe(Date.UTC(2025, 10, 21));
  });

  it('honours the zone of a date-time', () => {
    expect(parseInstant('2025-11-21T14:30:00+02:00')).toBe(Date.UTC(2025, 10, 21, 12, 30));
    expect(parseInstant('2025-11-21T14:30Z')).toBe(Date.UTC(2025, 10, 21, 14, 30));
    expect(parseInstant('2025-11-21T14:30:00.123Z')).toBe(Date.UTC(2025, 10, 21, 14, 30, 0, 123));
  });

  it.each(['2025-02-30', '2025-02-30T10:00:00Z', '2025-11-21T25:00:00Z', '2025-11-21T14:30:00', 'yesterday', '', '2025-13-01T00:00:00Z'])(
    'refuses %p',
    (value) => {
      expect(() => parseInstant(value)).toThrow(RangeError);
    },
  );
});

describe('parseSince', () => {
  it('admits the whole day for a day: the bound is the last millisecond before it', () => {
    expect(parseSince('2025-11-21')).toBe(Date.UTC(2025, 10, 21) - 1);
    expect(Date.UTC(2025, 10, 21) > parseSince('2025-11-21')).toBe(true);
  });
  it('admits what came strictly after a date-time', () => {
    const t = Date.UTC(2025, 10, 21, 14, 30);
    expect(parseSince('2025-11-21T14:30:00Z')).toBe(t);
    expect(parseSince('2025-11-21T16:30:00+02:00')).toBe(t);
  });
});

describe('parseBound', () => {
  it('reads a day as its last millisecond', () => {
    expect(parseBound('2025-11-21')).toBe(Date.UTC(2025, 10, 21, 23, 59, 59, 999));
  });

  it('keeps a date-time as is', () => {
    expect(parseBound('2025-11-21T14:30:00Z')).toBe(Date.UTC(2025, 10, 21, 14, 30));
  });

  it('refuses an impossible day', () => {
    expect(() => parseBound('2025-02-29')).toThrow(RangeError);
  });
});

describe('precisionOf / toIso / endOfDay', () => {
  it('tells a day from a date-time', () => {
    expect(precisionOf('2025-11-21')).toBe('day');
    expect(precisionOf('2025-11-21T00:00:00Z')).toBe('time');
  });

  it('formats like Date#toISOString', () => {
    expect(toIso(Date.UTC(2025, 10, 21, 12, 30))).toBe('2025-11-21T12:30:00.000Z');
  });

  it('formats exactly like Date#toISOString over years 0000–9999, leap days and the edges', () => {
    const random = seededRandom(5);
    const first = Date.parse('0000-01-01T00:00:00.000Z');
    const last = Date.parse('9999-12-31T23:59:59.999Z');
    const instants = [first, last, 0, -1, Date.UTC(2000, 1, 29, 23, 59, 59, 999), Date.UTC(1900, 2, 1), Date.UTC(2024, 1, 29), Date.UTC(2100, 1, 28, 12)];
    for (let i = 0; i < 20_000; i++) instants.push(Math.floor(first + random() * (last - first)));
    for (let i = 0; i < 2_000; i++) instants.push(Date.UTC(2025, 0, 1) + Math.floor(random() * 400) * DAY_MS + Math.floor(random() * 1000));
    for (const ms of instants) expect({ ms, iso: toIso(ms) }).toEqual({ ms, iso: new Date(ms).toISOString() });
    // Outside 0000–9999 and fractional milliseconds: Date's own format.
    for (const ms of [first - 1, last + 1, 1.5]) expect(toIso(ms)).toBe(new Date(ms).toISOString());
  });

  it('finds the last millisecond of the day', () => {
    expect(endOfDay(Date.UTC(2025, 10, 21, 12, 30))).toBe(eod('2025-11-21'));
    expect(endOfDay(eod('2025-11-21'))).toBe(eod('2025-11-21'));
    expect(endOfDay(day('2025-11-22'))).toBe(eod('2025-11-22'));
  });
});

describe('dateRange', () => {
  it('gives one point when from and to fall on the same day', () => {
    expect(dateRange(Date.UTC(2025, 10, 21, 1), Date.UTC(2025, 10, 21, 22), 'day')).toEqual([eod('2025-11-21')]);
  });

  it('covers every day, both ends included', () => {
    expect(dateRange(Date.UTC(2025, 10, 29, 18), day('2025-12-02'), 'day')).toEqual([
      eod('2025-11-29'),
      eod('2025-11-30'),
      eod('2025-12-01'),
      eod('2025-12-02'),
    ]);
  });

  it('ends on the day of `to` when weeks overshoot it', () => {
    expect(dateRange(day('2025-11-01'), day('2025-11-11'), 'week')).toEqual([
      eod('2025-11-01'),
      eod('2025-11-08'),
      eod('2025-11-11'),
    ]);
  });

  it('does not repeat `to` when weeks land on it', () => {
    expect(dateRange(day('2025-11-01'), eod('2025-11-15'), 'week')).toEqual([
      eod('2025-11-01'),
      eod('2025-11-08'),
      eod('2025-11-15'),
    ]);
  });

  it('refuses from after to, even within one day', () => {
    expect(() => dateRange(day('2025-11-02'), day('2025-11-01'), 'day')).toThrow(RangeError);
    expect(() => dateRange(Date.UTC(2025, 10, 1, 12), Date.UTC(2025, 10, 1, 11), 'day')).toThrow(RangeError);
  });

  it('allows exactly the maximum number of points and refuses one more', () => {
    const from = day('2020-01-01');
    const atMax = dateRange(from, from + (MAX_RANGE_POINTS - 1) * DAY_MS, 'day');
    expect(atMax).toHaveLength(MAX_RANGE_POINTS);
    expect(atMax[atMax.length - 1]).toBe(endOfDay(from + (MAX_RANGE_POINTS - 1) * DAY_MS));
    expect(() => dateRange(from, from + MAX_RANGE_POINTS * DAY_MS, 'day')).toThrow(RangeError);
  });

  it('counts the overshooting last point against the maximum', () => {
    const from = day('2000-01-01');
    // 3,659 whole weeks plus 3 days: 3,660 stepped points and the extra end point.
    const to = from + (3_659 * 7 + 3) * DAY_MS;
    expect(() => dateRange(from, to, 'week')).toThrow(RangeError);
    expect(dateRange(from, to - 3 * DAY_MS, 'week')).toHaveLength(MAX_RANGE_POINTS);
  });

  it('refuses non-finite bounds', () => {
    expect(() => dateRange(Number.NaN, 0, 'day')).toThrow(RangeError);
  });
});

describe('dateRange by month', () => {
  it('steps by calendar month, clamping to short months, and ends on the day of `to`', () => {
    expect(dateRange(day('2025-01-31'), day('2025-05-10'), 'month')).toEqual([
      eod('2025-01-31'),
      eod('2025-02-28'),
      eod('2025-03-31'),
      eod('2025-04-30'),
      eod('2025-05-10'),
    ]);
  });

  it('steps by year from the same day, ending on the day of `to`', () => {
    expect(dateRange(day('2024-02-29'), day('2026-12-07'), 'year')).toEqual([eod('2024-02-29'), eod('2025-02-28'), eod('2026-02-28'), eod('2026-12-07')]);
  });

  it('does not repeat `to` when a month lands on it', () => {
    expect(dateRange(day('2024-11-15'), day('2025-01-15'), 'month')).toEqual([eod('2024-11-15'), eod('2024-12-15'), eod('2025-01-15')]);
  });

  it('counts exactly what it builds', () => {
    const pairs: [string, string][] = [['2016-03-02', '2025-12-07'], ['2025-01-31', '2025-03-01'], ['2000-02-29', '2001-02-28'], ['2025-06-01', '2025-06-01']];
    for (const [a, b] of pairs) {
      for (const step of ['day', 'week', 'month', 'year'] as const) expect(rangeCount(day(a), day(b), step)).toBe(dateRange(day(a), day(b), step).length);
    }
  });
});

describe('fittingStep', () => {
  it('keeps days while they fit, then weeks, then months', () => {
    expect(fittingStep(day('2025-11-01'), day('2025-12-07'))).toBe('day');
    // A stance of 2014 seen in December 2026: 4,664 days, 667 weeks.
    expect(fittingStep(day('2014-03-02'), day('2026-12-07'))).toBe('week');
    // From 1900 (the earliest effectiveAt accepted) to now: 6,700 weeks, 1,523 months.
    expect(fittingStep(day('1900-01-01'), day('2026-12-07'))).toBe('month');
    // Dates an older version let in: years.
    expect(fittingStep(day('0001-01-01'), day('2026-12-07'))).toBe('year');
    expect(fittingStep(day('1000-01-01'), day('9999-12-31'))).toBeNull();
  });

  it('gives a range within the limit', () => {
    const from = day('1900-01-01');
    const to = day('2026-12-07');
    const step = fittingStep(from, to);
    expect(step).not.toBeNull();
    expect(dateRange(from, to, step ?? 'day').length).toBeLessThanOrEqual(MAX_RANGE_POINTS);
  });

  it('names the step that would fit when the asked one does not', () => {
    let caught: unknown;
    try {
      dateRange(day('2014-03-02'), day('2026-12-07'), 'day');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(RangeTooLongError);
    expect((caught as Error).message).toBe('dateRange would produce 4664 points at step=day (at most 3660); step=week fits');
  });
});

describe('toIsoOrNull', () => {
  it('formats an instant and passes null through', () => {
    expect(toIsoOrNull(Date.UTC(2025, 10, 21))).toBe('2025-11-21T00:00:00.000Z');
    expect(toIsoOrNull(null)).toBeNull();
  });
});

describe('toIso', () => {
  it('writes exactly what Date#toISOString writes, also before 1970 and at the edges of four-digit years', () => {
    const random = seededRandom(3);
    const edges = [0, -1, 1, DAY_MS - 1, DAY_MS, -DAY_MS, Date.parse('0000-01-01T00:00:00.000Z'), Date.parse('9999-12-31T23:59:59.999Z')];
    const outside = [Date.parse('0000-01-01T00:00:00.000Z') - 1, Date.parse('+010000-01-01T00:00:00.000Z'), 8.64e15];
    const randoms = Array.from({ length: 20_000 }, () => Math.floor((random() - 0.5) * 2 * 2.5e14));
    for (const ms of [...edges, ...outside, ...randoms, 1.5]) expect(toIso(ms)).toBe(new Date(ms).toISOString());
  });
});
