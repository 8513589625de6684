import { isCalendarDay, type TimePrecision } from '@parley/contracts';

export const DAY_MS = 86_400_000;

/** dateRange refuses to build more points than ~10 years of days: a guard against absurd queries. */
export const MAX_RANGE_POINTS = 3_660;

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
// Same grammar as the contracts' DateInput: a zone is mandatory so that an instant never depends on
// the server's local time zone.
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function dayStartOf(value: string): number | null {
  if (!DAY_RE.test(value)) return null;
  // Date.parse would roll 2025-02-30 over to March.
  if (!isCalendarDay(value)) throw new RangeError(`Not a calendar day: ${value}`);
  return Date.parse(`${value}T00:00:00.000Z`);
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

/**
 * The exclusive lower bound of a "since" filter (`recorded_at > bound`): a day admits the whole day
 * ("changes since 1 Dec" lists what was recorded on 1 Dec too), a date-time what came strictly after
 * it (a client asks again with the last time it saw).
 */
export function parseSince(value: string): number {
  const start = dayStartOf(value);
  return start === null ? parseDateTime(value) : start - 1;
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
/** "YYYY-MM-DDT" by day number since 1970; a matrix formats tens of thousands of instants. */
const dayPrefixes = new Map<number, string>();
const MAX_CACHED_DAYS = 100_000;
/** Date#toISOString writes other years with six digits and a sign: left to it. */
const YEAR_0000 = Date.parse('0000-01-01T00:00:00.000Z');
const YEAR_10000 = Date.parse('+010000-01-01T00:00:00.000Z');

/** Exactly Date#toISOString, about twice as fast for years 0000–9999 (the day part is cached). */
export function toIso(ms: number): string {
  if (!Number.isInteger(ms) || ms < YEAR_0000 || ms >= YEAR_10000) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    if (dayPrefixes.size >= MAX_CACHED_DAYS) dayPrefixes.clear();
    dayPrefixes.set(day, prefix);
  }
  let rest = ms - day * DAY_MS;
  const milli = rest % 1000;
  rest = (rest - milli) / 1000;
  const seconds = rest % 60;
  rest = (rest - seconds) / 60;
  const minutes = rest % 60;
  const hours = (rest - minutes) / 60;
  return `${prefix}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[milli]}Z`;
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
