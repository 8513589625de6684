import type { ErrorBody, ImportReport } from '@parley/contracts';

export type ImportKind = 'dump' | 'points' | 'stances';

export type ImportAnswer = { ok: true; report: ImportReport } | { ok: false; error: ErrorBody };

/** The import URL: a dump creates its own negotiation; CSV rows go into the one on screen. */
export function importUrl(kind: ImportKind, slug: string, dryRun: boolean): string {
  const q = new URLSearchParams();
  if (dryRun) q.set('dryRun', 'true');
  if (kind !== 'dump') {
    q.set('negotiation', slug);
    q.set('kind', kind);
  }
  const s = q.toString();
  return `/api/negotiations/import${s ? `?${s}` : ''}`;
}

/** What a file is, from its name: a JSON dump or CSV rows (whose kind the analyst picks). */
export function fileKind(name: string): 'json' | 'csv' | null {
  const lower = name.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.csv')) return 'csv';
  return null;
}

/** Sends the file's text as it is (a dump as JSON, rows as CSV); never throws for an HTTP error. */
export async function sendImport(kind: ImportKind, slug: string, text: string, dryRun: boolean, token: string | null): Promise<ImportAnswer> {
  let response: Response;
  try {
    response = await fetch(importUrl(kind, slug, dryRun), {
      method: 'POST',
      headers: {
        accept: 'application/json',
        'content-type': kind === 'dump' ? 'application/json' : 'text/csv',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: text,
    });
  } catch (err) {
    const message = `Could not reach the Parley API (${err instanceof Error ? err.message : String(err)})`;
    return { ok: false, error: { statusCode: 0, error: 'Network error', code: 'UNAVAILABLE', message } };
  }
  const body = (await response.json().catch(() => null)) as unknown;
  if (response.ok && body && typeof body === 'object') return { ok: true, report: body as ImportReport };
  const error =
    body && typeof body === 'object' && typeof (body as ErrorBody).message === 'string'
      ? (body as ErrorBody)
      : { statusCode: response.status, error: response.statusText, code: 'INTERNAL', message: `${response.status} ${response.statusText}` };
  return { ok: false, error };
}
