import type { ErrorBody } from '@parley/contracts';

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

/** GET a JSON resource under /api. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/api${path}`, { headers: { accept: 'application/json' }, signal });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError(`Could not reach the Parley API (${err instanceof Error ? err.message : String(err)})`, 0);
  }
  if (!response.ok) throw toApiError(response.status, response.statusText, await response.text());
  return (await response.json()) as T;
}
