/** The one error body every Parley endpoint returns. */
export interface ErrorBody {
  statusCode: number;
  /** HTTP reason phrase, e.g. "Bad Request". */
  error: string;
  /** Human-readable summary; for validation errors it names every offending field. */
  message: string;
  /** Machine-readable code, e.g. VALIDATION_FAILED, NOT_FOUND, VERSION_CONFLICT. */
  code: string;
  /** Per-field problems for validation errors. */
  details?: FieldProblem[];
  /** Extra data for some errors (e.g. the current stance on a version conflict). */
  current?: unknown;
  requestId?: string;
  /** Seconds to wait, on 429. */
  retryAfter?: number;
}

export interface FieldProblem {
  /** Dotted path of the field, e.g. "events.3.position" or "query.asOf". */
  field: string;
  message: string;
}

export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'VERSION_CONFLICT',
  'ALREADY_RETRACTED',
  'REVIEW_REQUIRED',
  'REVIEW_CONFLICT',
  'ALREADY_DECIDED',
  'IDEMPOTENCY_MISMATCH',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'UNAVAILABLE',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
