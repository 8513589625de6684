import type { ErrorBody, FieldProblem } from '@parley/contracts';
import { authorizationHeader, readCredential, reportRejected } from './credentials';

/**
 * The dashboard's one API client: reads, writes, the import upload and the downloads all go through
 * `send` below, and every failure is thrown as one ApiError. Paths are under /api.
 */
const API = '/api';

/**
 * A failed API call: the HTTP status (0: the API could not be reached) and, when the server sent
 * one, Parley's error body (code, message, details, current). A caller that wants a result shape
 * catches it (`asApiError`) and maps it.
 */
export class ApiError extends Error {
  /** The error body's machine-readable code (VALIDATION_FAILED, VERSION_CONFLICT, …); null without an error body. */
  readonly code: string | null;

  constructor(
    message: string,
    readonly status: number,
    readonly body: ErrorBody | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
    this.code = typeof body?.code === 'string' ? body.code : null;
  }

  /** The per-field problems of a validation error; none for any other. */
  get details(): readonly FieldProblem[] {
    return this.body?.details ?? [];
  }

  /** The error's extra data, e.g. the cell as it is now on a version conflict. */
  get current(): unknown {
    return this.body?.current;
  }
}

/** Turns a non-2xx answer into an ApiError, preferring the error body's `message`. */
export function toApiError(status: number, statusText: string, bodyText: string): ApiError {
  try {
    const body = JSON.parse(bodyText) as Partial<ErrorBody> | null;
    if (body && typeof body.message === 'string' && body.message.length > 0) return new ApiError(body.message, status, body as ErrorBody);
  } catch {
    // Not JSON (e.g. a proxy's HTML error page): fall through to the status line.
  }
  return new ApiError(`${status} ${statusText || 'Request failed'}`.trim(), status);
}

/** Whatever a call threw, as an ApiError (for callers that map a failure to what they show). */
export function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(error instanceof Error ? error.message : String(error), 0);
}

/** The API refused the request for want of credentials (VIEW_ACCESS=private, or a credential that stopped working). */
export function isUnauthenticated(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

interface Call {
  method?: 'POST' | 'PATCH' | 'PUT';
  headers: Record<string, string>;
  body?: string | Blob;
  signal?: AbortSignal;
}

/**
 * Sends one request under /api and returns a 2xx answer; anything else is thrown as an ApiError
 * (an abort as the AbortError it is). `reportOn401` is the read credential the request went with:
 * a 401 for it is reported, so the AuthProvider can forget it and say why.
 */
async function send(path: string, request: Call, reportOn401: string | null = null): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(`${API}${path}`, request);
  } catch (err) {
    if (request.signal?.aborted) throw err;
    throw new ApiError(`Could not reach the Parley API (${err instanceof Error ? err.message : String(err)})`, 0);
  }
  if (!response.ok) {
    const error = toApiError(response.status, response.statusText, await response.text());
    if (response.status === 401 && reportOn401) reportRejected(reportOn401);
    throw error;
  }
  return response;
}

/** A JSON answer's body; nothing for an empty one (204). */
async function bodyOf<T>(response: Response): Promise<T> {
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

const bearer = (token: string | null | undefined): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

/**
 * GET a JSON resource with the current read credential (session or share link): with
 * VIEW_ACCESS=private every read needs one.
 */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const credential = readCredential();
  const response = await send(path, { headers: { accept: 'application/json', ...authorizationHeader(credential) }, signal }, credential);
  return bodyOf<T>(response);
}

export interface WriteOptions {
  /** The session's token; none to sign in. */
  token?: string | null;
  headers?: Record<string, string>;
}

/** Sends JSON with the session's bearer token and returns the answer's body. */
export async function sendJson<T>(method: 'POST' | 'PATCH', path: string, body: unknown, opts: WriteOptions = {}): Promise<T> {
  const response = await send(path, {
    method,
    headers: {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...bearer(opts.token),
      ...opts.headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return bodyOf<T>(response);
}

/** POSTs JSON, like sendJson. */
export function postJson<T>(path: string, body: unknown, opts: WriteOptions = {}): Promise<T> {
  return sendJson<T>('POST', path, body, opts);
}

/** POSTs a text as it is (an import file: a dump as JSON, rows as CSV) and returns the JSON answer. */
export async function postText<T>(path: string, text: string, contentType: string, opts: WriteOptions = {}): Promise<T> {
  const response = await send(path, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': contentType, ...bearer(opts.token) },
    body: text,
  });
  return bodyOf<T>(response);
}

/** PUTs a body as it is (a source's archived copy: pasted text, an HTML or PDF file) with the session's token; returns the JSON answer. */
export async function putBody<T>(path: string, body: string | Blob, contentType: string, opts: WriteOptions = {}): Promise<T> {
  const response = await send(path, {
    method: 'PUT',
    headers: { accept: 'application/json', 'content-type': contentType, ...bearer(opts.token) },
    body,
  });
  return bodyOf<T>(response);
}

/**
 * Reads a text with the current read credential (session or share link) as a text/plain blob: an
 * archived copy, opened in a new tab as plain text whatever the server sent (never as HTML).
 */
export async function readTextBlob(path: string, signal?: AbortSignal): Promise<Blob> {
  const credential = readCredential();
  const response = await send(path, { headers: authorizationHeader(credential), signal }, credential);
  return new Blob([await response.text()], { type: 'text/plain;charset=utf-8' });
}

export interface Downloaded {
  blob: Blob;
  /** The Content-Disposition header, which names the file the server proposes. */
  disposition: string | null;
  size: number;
}

/** Downloads a file, telling `onProgress` the bytes received so far (long exports stream). */
export async function download(path: string, token: string | null, signal: AbortSignal, onProgress: (received: number) => void): Promise<Downloaded> {
  const response = await send(path, { headers: bearer(token), signal });
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = response.body?.getReader();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.byteLength;
      onProgress(received);
    }
  } else {
    const buffer = new Uint8Array(await response.arrayBuffer());
    chunks.push(buffer);
    received = buffer.byteLength;
  }
  const disposition = response.headers.get('content-disposition');
  const blob = new Blob(chunks as BlobPart[], { type: response.headers.get('content-type') ?? 'application/octet-stream' });
  return { blob, disposition, size: received };
}
