import type { SourceDetail, SourceStancesPage } from '@parley/contracts';
import { useQuery } from '@tanstack/react-query';
import { getJson } from '../../shared/api';

export const n = (slug: string) => `/negotiations/${encodeURIComponent(slug)}`;

/** The API path of a source's archived copy (its text; `/original` for the stored bytes). */
export const archivePath = (slug: string, sourceId: string) => `${n(slug)}/sources/${encodeURIComponent(sourceId)}/archive`;

/** Query key of a negotiation's sources: ['sources', slug] (a live source change reloads it). */
export const sourcesKey = (slug: string) => ['sources', slug] as const;

/** The negotiation's sources by id, each with its archive (or null) and how many stance events cite it. */
export function useSources(slug: string) {
  return useQuery({
    queryKey: sourcesKey(slug),
    queryFn: async ({ signal }) => new Map((await getJson<SourceDetail[]>(`${n(slug)}/sources`, signal)).map((s) => [s.id, s])),
  });
}

/** Page size of the per-source view. */
export const SOURCE_STANCES_PAGE = 200;

/** Every stance event citing a source, newest recorded first (the first page). */
export function useSourceStances(slug: string, sourceId: string) {
  return useQuery({
    queryKey: ['source-stances', slug, sourceId],
    queryFn: ({ signal }) => getJson<SourceStancesPage>(`${n(slug)}/sources/${encodeURIComponent(sourceId)}/stances?limit=${SOURCE_STANCES_PAGE}`, signal),
  });
}

/** The API path of one source (GET it with citedBy; PATCH corrects it). */
export const sourcePath = (slug: string, sourceId: string) => `${n(slug)}/sources/${encodeURIComponent(sourceId)}`;
