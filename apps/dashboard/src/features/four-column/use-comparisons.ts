import type { CompareView, PlanDocument } from '@parley/contracts';
import { useQueries } from '@tanstack/react-query';
import { getJson } from '../../shared/api';

/** Query key of one comparison: ['compare', slug, a, b] (documents do not change often; a live change reloads ['documents', slug]). */
export function compareKey(slug: string, a: string, b: string) {
  return ['compare', slug, a, b] as const;
}

/**
 * The API's word-level comparison of each neighbouring pair of columns: result i compares column i-1
 * with column i (index 0 has none). One request per pair, loaded together.
 */
export function useComparisons(slug: string, columns: readonly PlanDocument[]) {
  const pairs = columns.flatMap((d, i) => {
    const before = columns[i - 1];
    return before ? [[before, d] as const] : [];
  });
  const results = useQueries({
    queries: pairs.map(([a, b]) => ({
      queryKey: [...compareKey(slug, a.id, b.id), a.version, b.version],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        getJson<CompareView>(`/negotiations/${encodeURIComponent(slug)}/documents/compare?${new URLSearchParams({ a: a.id, b: b.id }).toString()}`, signal),
    })),
  });
  return {
    comparisons: [undefined, ...results.map((r) => r.data)] as (CompareView | undefined)[],
    error: results.find((r) => r.isError)?.error ?? null,
    refetch: () => results.forEach((r) => r.isError && void r.refetch()),
  };
}
