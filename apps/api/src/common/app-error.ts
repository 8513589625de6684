import type { ErrorCode, FieldProblem } from '@parley/contracts';

/** A failure the client can act on. Mapped to the one error body by the global filter. */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldProblem[],
    readonly current?: unknown,
    /** Seconds until a retry can succeed (429). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string, id: string) => new AppError(404, 'NOT_FOUND', `${what} '${id}' was not found`);

export const invalid = (details: FieldProblem[]) =>
  new AppError(
    400,
    'VALIDATION_FAILED',
    `Invalid request: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`,
    details,
  );

/** A reference in the body (an id of another entity) that does not resolve. */
export const badReference = (field: string, message: string) => invalid([{ field, message }]);

export const conflict = (code: ErrorCode, message: string, current?: unknown) =>
  new AppError(409, code, message, undefined, current);
