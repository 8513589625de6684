import type { MatrixView } from '@parley/contracts';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { getJson } from './api';

export interface MatrixOptions {
  /** Audit view: only what Parley had recorded by then (a day or an instant). */
  knownAt?: string | null;
  /** Number the rows and show the provision text of this document. */
  documentId?: string | null;
}

/**
 * Query key of a matrix: ['matrix', slug, asOf], plus knownAt and { documentId } when set. The plain
 * three-part key with asOf null is the "now" matrix the live client patches in place (features/live/matrix-cache).
 */
export function matrixKey(slug: string | null, asOf: string | null, opts: MatrixOptions = {}): readonly unknown[] {
  const knownAt = opts.knownAt ?? null;
  const documentId = opts.documentId ?? null;
  if (documentId) return ['matrix', slug, asOf, knownAt, { documentId }];
  return knownAt ? ['matrix', slug, asOf, knownAt] : ['matrix', slug, asOf];
}

/** Options of one matrix query, shared by useMatrix and the prefetch of the next day during playback. */
export function matrixQuery(slug: string | null, asOf: string | null, opts: MatrixOptions = {}) {
  const knownAt = opts.knownAt ?? null;
  const documentId = opts.documentId ?? null;
  return queryOptions({
    queryKey: matrixKey(slug, asOf, opts),
    enabled: slug !== null,
    queryFn: ({ signal }) => {
      const q = new URLSearchParams();
      if (asOf) q.set('asOf', asOf);
      if (knownAt) q.set('knownAt', knownAt);
      if (documentId) q.set('documentId', documentId);
      const query = q.size > 0 ? `?${q.toString()}` : '';
      return getJson<MatrixView>(`/negotiations/${encodeURIComponent(slug ?? '')}/matrix${query}`, signal);
    },
  });
}

export function useMatrix(slug: string | null, asOf: string | null, opts: MatrixOptions = {}) {
  return useQuery({
    ...matrixQuery(slug, asOf, opts),
    // Keep the old matrix on screen while another date loads (or during playback), instead of flashing a spinner.
    placeholderData: keepPreviousData,
  });
}
