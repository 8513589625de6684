import type { ErrorBody } from '@parley/contracts';
import { authorizationHeader, readCredential, reportRejected } from './credentials';

/** A failed API call, carrying the `message` and `code` of Parley's error body when there is one. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Turns a non-2xx answer into an ApiError, preferring the error body's `message`. */
export function toApiError(status: number, statusText: string, bodyText: string): ApiError {
  try {
    const body = JSON.parse(bodyText) as Partial<ErrorBody> | null;
    if (body && typeof body.message === 'string' && body.message.length > 0) {
      return new ApiError(body.message, status, typeof body.code === 'string' ? body.code : null);
    }
  } catch {
    // Not JSON (e.g. a proxy's HTML error page): fall through to the status line.
  }
  return new ApiError(`${status} ${statusText || 'Request failed'}`.trim(), status);
}

/**
 * GET a JSON resource under /api, with the current credential (session or share link): with
 * VIEW_ACCESS=private every read needs one. A 401 for a credential that was sent is reported, so
 * the AuthProvider can forget it and say why.
 */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const credential = readCredential();
  let response: Response;
  try {
    response = await fetch(`/api${path}`, { headers: { accept: 'application/json', ...authorizationHeader(credential) }, signal });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError(`Could not reach the Parley API (${err instanceof Error ? err.message : String(err)})`, 0);
  }
  if (!response.ok) {
    const error = toApiError(response.status, response.statusText, await response.text());
    if (response.status === 401 && credential) reportRejected(credential);
    throw error;
  }
  return (await response.json()) as T;
}

/** The API refused the request for want of credentials (VIEW_ACCESS=private, or a credential that stopped working). */
export function isUnauthenticated(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}
