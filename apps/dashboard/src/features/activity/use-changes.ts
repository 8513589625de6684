import type { ChangeItem, ChangesPage } from '@parley/contracts';
import { type QueryClient, useQuery } from '@tanstack/react-query';
import { getJson } from '../../shared/api';

/** How many changes the feed shows. */
export const FEED_SIZE = 50;
/**
 * The change log pages oldest first and numbers every change of the negotiation (not only stance
 * changes), so the feed reads a window of recent sequence numbers and keeps the newest FEED_SIZE.
 */
const WINDOW = 400;

/**
 * Query key of the activity feed: ['changes', slug]. Its data is the latest stance changes, oldest
 * first (as the API sends them). The live client can refresh it with
 * `queryClient.invalidateQueries({ queryKey: changesKey(slug) })`, or add one change it received
 * with `addLiveChange(queryClient, slug, item)`.
 */
export function changesKey(slug: string) {
  return ['changes', slug] as const;
}

async function fetchLatest(slug: string, signal: AbortSignal): Promise<ChangeItem[]> {
  const base = `/negotiations/${encodeURIComponent(slug)}/changes`;
  const head = await getJson<ChangesPage>(`${base}?limit=1`, signal);
  const sinceSeq = Math.max(0, head.seq - WINDOW);
  const page = await getJson<ChangesPage>(`${base}?${new URLSearchParams({ sinceSeq: String(sinceSeq), limit: '500' }).toString()}`, signal);
  return page.items.slice(-FEED_SIZE);
}

export function useChanges(slug: string) {
  return useQuery({ queryKey: changesKey(slug), queryFn: ({ signal }) => fetchLatest(slug, signal) });
}

/** Adds a change that arrived live to the cached feed (ignores one already there), newest last. */
export function addLiveChange(client: QueryClient, slug: string, item: ChangeItem): void {
  client.setQueryData<ChangeItem[]>(changesKey(slug), (old) => {
    if (!old) return old; // feed not loaded: it will fetch fresh data when shown
    if (old.some((c) => c.seq === item.seq)) return old;
    return [...old, item].sort((a, b) => a.seq - b.seq).slice(-FEED_SIZE);
  });
}

