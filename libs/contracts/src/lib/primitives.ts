import { z } from 'zod';

export const LIMITS = {
  title: 200,
  code: 40,
  shortText: 500,
  longText: 20_000,
  url: 2_000,
  batchItems: 1_000,
  listItems: 500,
  pageSize: 1_000,
  idempotencyKey: 200,
} as const;

/** A zod enum whose error lists the allowed values. */
export const enumOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of: ${values.join(', ')}` });

export const Id = z.guid({ error: 'must be an id (UUID)' });

export const NO_NUL_MESSAGE = 'must not contain NUL characters';
// A regex (not a refine) so that OpenAPI shows the rule as a pattern.
// eslint-disable-next-line no-control-regex -- matching NUL is the point
const NO_NUL = /^[^\u0000]*$/;

export const LONE_SURROGATE_MESSAGE = 'must not contain an unpaired surrogate (\\uD800–\\uDFFF without its pair): it is no character and cannot be stored';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Whether text is well-formed UTF-16. A lone surrogate (only a JSON `\uD800` escape can send one)
 * would be stored as U+FFFD by either database: the value read back would not be the one accepted.
 */
export function isWellFormed(value: string): boolean {
  return !LONE_SURROGATE.test(value);
}

/** At most `max` UTF-16 units of `text`, never ending in half of a surrogate pair (an emoji cut in two). */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/**
 * The base of every free-text field that may reach the database. PostgreSQL cannot store the NUL
 * character in text (SQLSTATE 22021), so it is refused here, naming the field, on both databases.
 */
export const PlainString = z.string({ error: 'must be a string' }).regex(NO_NUL, NO_NUL_MESSAGE).refine(isWellFormed, LONE_SURROGATE_MESSAGE);

/** A stable, human-friendly key: letters, digits, dot, dash, underscore. */
export const Code = z
  .string({ error: 'must be a string' })
  .min(1, 'must not be empty')
  .max(LIMITS.code, `must be at most ${LIMITS.code} characters`)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must contain only letters, digits, ".", "-" or "_"');

/**
 * A reference to a party, point or document of the negotiation (or to a negotiation): its id
 * (UUID) or its code (slug). A UUID-shaped value is an id first; codes match as written, then
 * ignoring case. The API turns it into the id (apps/api/src/refs/); responses always carry ids.
 */
const refTo = (what: string) =>
  z
    .string({ error: `must be the id or the code of a ${what}` })
    .min(1, 'must not be empty')
    .max(LIMITS.code, `must be at most ${LIMITS.code} characters`)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, `must be the id or the code of a ${what} (letters, digits, ".", "-" or "_")`)
    .describe(`id or code of the ${what}`);
export const PartyRef = refTo('party');
export const PointRef = refTo('point');
export const DocumentRef = refTo('document');

export const Title = PlainString
  .trim()
  .min(1, 'must not be empty')
  .max(LIMITS.title, `must be at most ${LIMITS.title} characters`);

export const ShortText = PlainString
  .max(LIMITS.shortText, `must be at most ${LIMITS.shortText} characters`);

export const LongText = PlainString
  .max(LIMITS.longText, `must be at most ${LIMITS.longText} characters`);

// The URL parser percent-encodes a NUL in the path, but the string kept is the one given.
export const Url = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(LIMITS.url, `must be at most ${LIMITS.url} characters`)
  .regex(NO_NUL, NO_NUL_MESSAGE)
  .refine(isWellFormed, LONE_SURROGATE_MESSAGE);

export const Color = z.string({ error: 'must be a string' }).regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1f77b4');

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Whether the YYYY-MM-DD at the start of `value` is a day of the calendar (2025-02-30 is not).
 * Arithmetic rather than a Date round trip: it runs for every date of a 100,000-row import.
 */
export function isCalendarDay(value: string): boolean {
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  if (!Number.isInteger(year) || !(month >= 1 && month <= 12) || !(day >= 1)) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]);
}

function isRealDate(value: string): boolean {
  // A date-time must also be a real time of day (no 25:00).
  return isCalendarDay(value) && (DATE_RE.test(value) || !Number.isNaN(Date.parse(value)));
}

/** A calendar day (YYYY-MM-DD, UTC) or an ISO 8601 date-time with a zone (Z or ±hh:mm). */
export const DateInput = z
  .string({ error: 'must be an ISO 8601 date (YYYY-MM-DD) or date-time with a zone' })
  .refine((v) => (DATE_RE.test(v) || DATETIME_RE.test(v)) && isRealDate(v), {
    error: 'must be an ISO 8601 date (YYYY-MM-DD) or date-time with a zone, e.g. 2025-11-21T14:30:00Z',
  });

/** The instant a valid DateInput names (a day: its first millisecond, UTC); NaN for an invalid one. */
export function instantOf(value: string): number {
  return Date.parse(DATE_RE.test(value) ? `${value}T00:00:00.000Z` : value);
}

export const Timestamp = z.string().describe('ISO 8601 date-time in UTC');
