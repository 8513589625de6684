import { isCalendarDay, STEPS, type TimePrecision } from '@parley/contracts';

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

/** Date#toISOString writes other years with six digits and a sign: left to it. */
const YEAR_0000 = Date.parse('0000-01-01T00:00:00.000Z');
const YEAR_10000 = Date.parse('+010000-01-01T00:00:00.000Z');
const ZERO = 48;

/**
 * Exactly Date#toISOString for years 0000–9999, without a Date: a matrix formats tens of thousands
 * of instants. One String.fromCharCode gives a flat string; joining pieces gave a chain of cons
 * strings that JSON.stringify then had to flatten.
 */
export function toIso(ms: number): string {
  if (!Number.isInteger(ms) || ms < YEAR_0000 || ms >= YEAR_10000) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  // Civil date from a day number (H. Hinnant's days_from_civil, inverted), in 400-year eras.
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  let rest = ms - day * DAY_MS;
  const milli = rest % 1000;
  rest = (rest - milli) / 1000;
  const s = rest % 60;
  rest = (rest - s) / 60;
  const min = rest % 60;
  const h = (rest - min) / 60;
  // 45 '-', 84 'T', 58 ':', 46 '.', 90 'Z'.
  return String.fromCharCode(
    ZERO + Math.floor(y / 1000), ZERO + (Math.floor(y / 100) % 10), ZERO + (Math.floor(y / 10) % 10), ZERO + (y % 10), 45,
    ZERO + Math.floor(m / 10), ZERO + (m % 10), 45, ZERO + Math.floor(d / 10), ZERO + (d % 10), 84,
    ZERO + Math.floor(h / 10), ZERO + (h % 10), 58, ZERO + Math.floor(min / 10), ZERO + (min % 10), 58,
    ZERO + Math.floor(s / 10), ZERO + (s % 10), 46,
    ZERO + Math.floor(milli / 100), ZERO + (Math.floor(milli / 10) % 10), ZERO + (milli % 10), 90,
  );
}

/** toIso for optional instants. */
export function toIsoOrNull(ms: number | null): string | null {
  return ms === null ? null : toIso(ms);
}

/** The last millisecond (UTC) of the day containing `ms`. */
export function endOfDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS + DAY_MS - 1;
}

/** The steps a date range can take, finest first: the order in which `fittingStep` tries them. */
export const RANGE_STEPS = STEPS;
export type RangeStep = (typeof RANGE_STEPS)[number];

/** Error of a range that has more points than MAX_RANGE_POINTS at the step asked for. */
export class RangeTooLongError extends RangeError {
  constructor(
    readonly count: number,
    readonly step: RangeStep,
    /** The finest step that would fit, or null when none does. */
    readonly fits: RangeStep | null,
  ) {
    super(
      `dateRange would produce ${count} points at step=${step} (at most ${MAX_RANGE_POINTS})` +
        (fits ? `; step=${fits} fits` : '; no step fits: shorten the range'),
    );
  }
}

/** The day `months` calendar months after the day of `ms`, its day of month clamped to the month's length. */
function addMonths(dayMs: number, months: number): number {
  const d = new Date(dayMs);
  const total = d.getUTCMonth() + months;
  const year = d.getUTCFullYear() + Math.floor(total / 12);
  const month = ((total % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(d.getUTCDate(), lastDay));
}

function checkBounds(fromMs: number, toMs: number): void {
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs)) {
    throw new RangeError('dateRange needs finite bounds');
  }
  if (fromMs > toMs) throw new RangeError('dateRange: from is after to');
}

/** How many points dateRange(fromMs, toMs, step) gives, without building them. */
export function rangeCount(fromMs: number, toMs: number, step: RangeStep): number {
  checkBounds(fromMs, toMs);
  const first = endOfDay(fromMs);
  const last = endOfDay(toMs);
  const spanDays = Math.round((last - first) / DAY_MS);
  switch (step) {
    case 'day':
      return spanDays + 1;
    case 'week':
      return Math.floor(spanDays / 7) + 1 + (spanDays % 7 === 0 ? 0 : 1);
    case 'month':
    case 'year': {
      const every = step === 'year' ? 12 : 1;
      const firstDay = first - (DAY_MS - 1);
      const a = new Date(first);
      const b = new Date(last);
      let steps = Math.floor(((b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth()) / every);
      if (addMonths(firstDay, steps * every) > last) steps -= 1;
      const landsOnLast = addMonths(firstDay, steps * every) + DAY_MS - 1 === last;
      return steps + 1 + (landsOnLast ? 0 : 1);
    }
    default: {
      const unknown: never = step;
      throw new RangeError(`Unknown step: ${String(unknown)}`);
    }
  }
}

/**
 * The finest step whose range from `fromMs` to `toMs` stays within MAX_RANGE_POINTS (a default
 * view must work for any history: a stance of 2014 is 4,000 days ago; years cover events an older
 * version let in before 1900), or null when not even years fit. The one place that chooses a step: the metrics API, the PDF and the dashboard's
 * Trends (through the API) use it.
 */
export function fittingStep(fromMs: number, toMs: number): RangeStep | null {
  return RANGE_STEPS.find((step) => rangeCount(fromMs, toMs, step) <= MAX_RANGE_POINTS) ?? null;
}

/**
 * End-of-day bounds from the day of `fromMs` to the day of `toMs`, every day, week, calendar month
 * or year (the same day of the month, or the month's last day when it is shorter). The day of `toMs`
 * is always the last point, even when the step overshoots it, so a curve always ends at the
 * requested date. More than MAX_RANGE_POINTS is a RangeTooLongError naming a step that fits.
 */
export function dateRange(fromMs: number, toMs: number, step: RangeStep): number[] {
  const count = rangeCount(fromMs, toMs, step);
  if (count > MAX_RANGE_POINTS) throw new RangeTooLongError(count, step, fittingStep(fromMs, toMs));
  const first = endOfDay(fromMs);
  const last = endOfDay(toMs);
  const out: number[] = [];
  if (step === 'month' || step === 'year') {
    const every = step === 'year' ? 12 : 1;
    const firstDay = first - (DAY_MS - 1);
    for (let k = 0, t = first; t < last; k += 1, t = addMonths(firstDay, k * every) + DAY_MS - 1) out.push(t);
  } else {
    const every = step === 'week' ? 7 : 1;
    for (let t = first; t < last; t += every * DAY_MS) out.push(t);
  }
  out.push(last);
  return out;
}
