import type { TimePrecision } from '@parley/contracts';

export const DAY_MS = 86_400_000;

/** dateRange refuses to build more points than ~10 years of days: a guard against absurd queries. */
export const MAX_RANGE_POINTS = 3_660;

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
// Same grammar as the contracts' DateInput: a zone is mandatory so that an instant never depends on
// the server's local time zone.
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function dayStartOf(value: string): number | null {
  if (!DAY_RE.test(value)) return null;
  const ms = Date.parse(`${value}T00:00:00.000Z`);
  // Date.parse rolls 2025-02-30 over to March; the round trip exposes it.
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) {
    throw new RangeError(`Not a calendar day: ${value}`);
  }
  return ms;
}

function parseDateTime(value: string): number {
  const ms = DATETIME_RE.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new RangeError(`Not an ISO 8601 day (YYYY-MM-DD) or date-time with a zone: ${value}`);
  }
  dayStartOf(value.slice(0, 10));
  return ms;
}

export function precisionOf(value: string): TimePrecision {
  return DAY_RE.test(value) ? 'day' : 'time';
}

/** A day means its first instant (how an event dated "21 Nov" is placed on the time axis). */
export function parseInstant(value: string): number {
  return dayStartOf(value) ?? parseDateTime(value);
}

/**
 * A day means its last millisecond: "as of 21 Nov" must include everything that happened on 21 Nov,
 * including events stored at that day's 00:00 because only their day is known.
 */
export function parseBound(value: string): number {
  const start = dayStartOf(value);
  return start === null ? parseDateTime(value) : start + DAY_MS - 1;
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}

/** toIso for optional instants. */
export function toIsoOrNull(ms: number | null): string | null {
  return ms === null ? null : toIso(ms);
}

/** The last millisecond (UTC) of the day containing `ms`. */
export function endOfDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS + DAY_MS - 1;
}

export type RangeStep = 'day' | 'week';

function stepDays(step: RangeStep): number {
  switch (step) {
    case 'day':
      return 1;
    case 'week':
      return 7;
    default: {
      const unknown: never = step;
      throw new RangeError(`Unknown step: ${String(unknown)}`);
    }
  }
}

/**
 * End-of-day bounds from the day of `fromMs` to the day of `toMs`. The day of `toMs` is always the
 * last point, even when the step overshoots it, so a curve always ends at the requested date.
 */
export function dateRange(fromMs: number, toMs: number, step: RangeStep): number[] {
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs)) {
    throw new RangeError('dateRange needs finite bounds');
  }
  if (fromMs > toMs) throw new RangeError('dateRange: from is after to');
  const every = stepDays(step);
  const first = endOfDay(fromMs);
  const last = endOfDay(toMs);
  const spanDays = Math.round((last - first) / DAY_MS);
  const stepped = Math.floor(spanDays / every) + 1;
  const count = spanDays % every === 0 ? stepped : stepped + 1;
  if (count > MAX_RANGE_POINTS) {
    throw new RangeError(`dateRange would produce ${count} points (at most ${MAX_RANGE_POINTS})`);
  }
  const out: number[] = [];
  for (let t = first; t < last; t += every * DAY_MS) out.push(t);
  out.push(last);
  return out;
}
