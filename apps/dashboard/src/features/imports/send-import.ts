import type { ImportReport } from '@parley/contracts';
import { postText } from '../../shared/api';

export type ImportKind = 'dump' | 'points' | 'stances';

/** The import's path under /api: a dump creates its own negotiation; CSV rows go into the one on screen. */
export function importPath(kind: ImportKind, slug: string, dryRun: boolean): string {
  const q = new URLSearchParams();
  if (dryRun) q.set('dryRun', 'true');
  if (kind !== 'dump') {
    q.set('negotiation', slug);
    q.set('kind', kind);
  }
  const s = q.toString();
  return `/negotiations/import${s ? `?${s}` : ''}`;
}

/** What a file is, from its name: a JSON dump or CSV rows (whose kind the analyst picks). */
export function fileKind(name: string): 'json' | 'csv' | null {
  const lower = name.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.csv')) return 'csv';
  return null;
}

/** Sends the file's text as it is (a dump as JSON, rows as CSV); a refusal is thrown as an ApiError. */
export function sendImport(kind: ImportKind, slug: string, text: string, dryRun: boolean, token: string | null): Promise<ImportReport> {
  return postText<ImportReport>(importPath(kind, slug, dryRun), text, kind === 'dump' ? 'application/json' : 'text/csv', { token });
}
