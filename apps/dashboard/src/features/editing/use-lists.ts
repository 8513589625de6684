import type { Point } from '@parley/contracts';
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { getJson } from '../../shared/api';
import { isMatrixKeyOf } from '../live/matrix-cache';

/** The points of a negotiation in their order: ['points', slug] (live changes reload it). */
export function usePoints(slug: string) {
  return useQuery({
    queryKey: ['points', slug],
    queryFn: async ({ signal }) => {
      const list = await getJson<Point[]>(`/negotiations/${encodeURIComponent(slug)}/points`, signal);
      return [...list].sort((a, b) => a.sortOrder - b.sortOrder || a.code.localeCompare(b.code));
    },
  });
}

/** After a save: reload the list and the views built on it (the live update would, a moment later). */
export function refreshAfterEdit(client: QueryClient, slug: string, list: 'points' | 'documents' | 'milestones'): void {
  void client.invalidateQueries({ queryKey: [list, slug] });
  if (list !== 'milestones') void client.invalidateQueries({ predicate: (q) => isMatrixKeyOf(q.queryKey, slug) || q.queryKey[0] === 'point-history' });
}

export const n = (slug: string) => `/negotiations/${encodeURIComponent(slug)}`;
