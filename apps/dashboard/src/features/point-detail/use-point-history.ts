import type { PointHistory } from '@parley/contracts';
import { useQuery } from '@tanstack/react-query';
import { getJson } from '../../shared/api';

/** Query key: ['point-history', slug, pointId, knownAt]. */
export function usePointHistory(slug: string, pointId: string, knownAt: string | null) {
  return useQuery({
    queryKey: ['point-history', slug, pointId, knownAt],
    queryFn: ({ signal }) => {
      const query = knownAt ? `?${new URLSearchParams({ knownAt }).toString()}` : '';
      return getJson<PointHistory>(
        `/negotiations/${encodeURIComponent(slug)}/points/${encodeURIComponent(pointId)}/history${query}`,
        signal,
      );
    },
  });
}
