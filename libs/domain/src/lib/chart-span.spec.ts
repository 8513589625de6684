import type { ConvergencePoint } from '@parley/contracts';
import { convergenceSpan, lastChangeIndex } from './chart-span';

const point = (day: string, agreed: number): ConvergencePoint => ({ date: `${day}T23:59:59.999Z`, agreed, blocked: 0, addressed: agreed, points: 10 });
const eod = (day: string) => Date.parse(`${day}T23:59:59.999Z`);
const start = (day: string) => Date.parse(`${day}T00:00:00.000Z`);

// Five weeks of talks, then a year of nothing: what a series fetched up to today looks like.
const series = [point('2025-11-21', 1), point('2025-11-28', 3), point('2025-12-26', 5), point('2026-06-01', 5), point('2026-12-07', 5)];

describe('lastChangeIndex', () => {
  it('finds the last point that differs from the one before', () => {
    expect(lastChangeIndex(series)).toBe(2);
    expect(lastChangeIndex(series.slice(0, 1))).toBe(0);
  });
});

describe('convergenceSpan', () => {
  it('ends a few days after the last change, not at the end of a flat tail', () => {
    expect(convergenceSpan(series, [], null)).toEqual({ from: eod('2025-11-21'), to: eod('2025-12-29') });
  });

  it('ends at the as-of day when it is later than the last change, never past the data', () => {
    expect(convergenceSpan(series, [], eod('2026-03-01'))).toEqual({ from: eod('2025-11-21'), to: eod('2026-03-04') });
    expect(convergenceSpan(series.slice(0, 3), [], eod('2026-03-01'))).toEqual({ from: eod('2025-11-21'), to: eod('2025-12-26') });
  });

  it('reaches every milestone, before the first point and after the last change', () => {
    expect(convergenceSpan(series, [start('2025-11-20'), start('2026-01-15')], null)).toEqual({ from: start('2025-11-20'), to: start('2026-01-16') });
  });

  it('spans at least a day, and nothing without points or milestones', () => {
    expect(convergenceSpan(series.slice(0, 1), [], null)).toEqual({ from: eod('2025-11-21'), to: eod('2025-11-22') });
    expect(convergenceSpan([], [], null)).toBeNull();
  });
});
