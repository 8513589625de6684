import type { ErrorBody } from '@parley/contracts';

export type WriteResult<T> = { ok: true; status: number; body: T } | { ok: false; status: number; error: ErrorBody };

export interface WriteOptions {
  token?: string | null;
  headers?: Record<string, string>;
}

/** POSTs JSON under /api with the session's bearer token; never throws for an HTTP error answer. */
export function postJson<T>(path: string, body: unknown, opts: WriteOptions = {}): Promise<WriteResult<T>> {
  return sendJson<T>('POST', path, body, opts);
}

/** PATCHes JSON under /api, like postJson. */
export function patchJson<T>(path: string, body: unknown, opts: WriteOptions = {}): Promise<WriteResult<T>> {
  return sendJson<T>('PATCH', path, body, opts);
}

/** Sends JSON under /api with the session's bearer token; never throws for an HTTP error answer. */
export async function sendJson<T>(method: 'POST' | 'PATCH', path: string, body: unknown, opts: WriteOptions = {}): Promise<WriteResult<T>> {
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...opts.headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    const message = `Could not reach the Parley API (${err instanceof Error ? err.message : String(err)})`;
    return { ok: false, status: 0, error: { statusCode: 0, error: 'Network error', code: 'UNAVAILABLE', message } };
  }
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (response.ok) return { ok: true, status: response.status, body: parsed as T };
  const error =
    parsed && typeof parsed === 'object' && typeof (parsed as ErrorBody).message === 'string'
      ? (parsed as ErrorBody)
      : { statusCode: response.status, error: response.statusText, code: 'INTERNAL', message: `${response.status} ${response.statusText}` };
  return { ok: false, status: response.status, error };
}
