import type { SearchResult } from '@parley/contracts';
import { useQuery } from '@tanstack/react-query';
import { getJson } from '../../shared/api';

/** Query key: ['search', slug, q]. Nothing is asked for an empty query. */
export function useSearch(slug: string, q: string) {
  return useQuery({
    queryKey: ['search', slug, q],
    enabled: q.trim().length > 0,
    queryFn: ({ signal }) => getJson<SearchResult>(`/negotiations/${encodeURIComponent(slug)}/search?${new URLSearchParams({ q, limit: '20' }).toString()}`, signal),
    retry: false,
  });
}
