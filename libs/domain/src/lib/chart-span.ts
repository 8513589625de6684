import type { ConvergencePoint } from '@parley/contracts';
import { DAY_MS } from './time';

/**
 * Where the interesting part of a convergence curve ends: the last point whose values differ from
 * the point before. A series fetched up to today otherwise ends in a long flat tail after the talks
 * went quiet.
 */
export function lastChangeIndex(series: readonly ConvergencePoint[]): number {
  for (let i = series.length - 1; i > 0; i -= 1) {
    const [a, b] = [series[i - 1], series[i]];
    if (a.agreed !== b.agreed || a.blocked !== b.blocked || a.addressed !== b.addressed || a.points !== b.points) return i;
  }
  return series.length - 1;
}

/** Days shown after the curve's last change (or the as-of day), so its last step is visible. */
const TAIL_DAYS = 3;

/**
 * The time axis of a convergence chart (epoch ms), the same on the dashboard and in the PDF: from the
 * first point or milestone to a few days after the last change or the as-of instant (never past the
 * data), then far enough for every milestone, even a future deadline. Null without points or
 * milestones.
 */
export function convergenceSpan(
  series: readonly ConvergencePoint[],
  milestoneTimes: readonly number[],
  asOf: number | null,
): { from: number; to: number } | null {
  const times = series.map((p) => Date.parse(p.date));
  const starts = [...(times.length > 0 ? [times[0]] : []), ...milestoneTimes];
  if (starts.length === 0) return null;
  const from = Math.min(...starts);
  const ends = [...(times.length > 0 ? [times[lastChangeIndex(series)]] : []), ...(asOf === null ? [] : [asOf])];
  const curveEnd = ends.length > 0 ? Math.min(Math.max(...ends) + TAIL_DAYS * DAY_MS, times.at(-1) ?? Number.POSITIVE_INFINITY) : from;
  const to = Math.max(curveEnd, ...milestoneTimes.map((t) => t + DAY_MS), from + DAY_MS);
  return { from, to };
}
