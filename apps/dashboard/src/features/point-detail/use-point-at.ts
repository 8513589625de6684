import type { Point } from '@parley/contracts';
import { useQuery } from '@tanstack/react-query';
import { ApiError, getJson } from '../../shared/api';

/**
 * The point as it was at the URL's asOf/knownAt (its title then), or null when neither is set or
 * it was not yet tabled then. Query key: ['points', slug, 'at', pointId, asOf, knownAt] (reloaded
 * with the points list).
 */
export function usePointAt(slug: string, pointId: string, asOf: string | null, knownAt: string | null) {
  return useQuery({
    queryKey: ['points', slug, 'at', pointId, asOf, knownAt],
    enabled: asOf !== null || knownAt !== null,
    queryFn: async ({ signal }) => {
      const params = new URLSearchParams();
      if (asOf) params.set('asOf', asOf);
      if (knownAt) params.set('knownAt', knownAt);
      try {
        return await getJson<Point>(`/negotiations/${encodeURIComponent(slug)}/points/${encodeURIComponent(pointId)}?${params.toString()}`, signal);
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
      }
    },
  });
}
