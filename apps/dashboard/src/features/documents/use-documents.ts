import type { PlanDocument } from '@parley/contracts';
import { useQuery } from '@tanstack/react-query';
import { getJson } from '../../shared/api';

/** Query key of a negotiation's documents: ['documents', slug] (live changes reload it). */
export function documentsKey(slug: string) {
  return ['documents', slug] as const;
}

/** The plan documents (versions of the text), oldest first. */
export function useDocuments(slug: string) {
  return useQuery({
    queryKey: documentsKey(slug),
    queryFn: async ({ signal }) => {
      const list = await getJson<PlanDocument[]>(`/negotiations/${encodeURIComponent(slug)}/documents`, signal);
      return [...list].sort((a, b) => a.publishedAt.localeCompare(b.publishedAt));
    },
  });
}
