import type { QueryClient, QueryKey } from '@tanstack/react-query';

/** Changes arriving within this time are followed by one reload of the list, not one each. */
export const INVALIDATE_DELAY_MS = 500;

const pending = new WeakMap<QueryClient, Set<string>>();

/**
 * Marks a query stale (reloading it if it is shown) once a burst of changes is over: a list that a
 * change affects without carrying it, such as the sources' citation counts after stances that cite
 * them. A change after the timer fired schedules another reload.
 */
export function invalidateSoon(client: QueryClient, queryKey: QueryKey, delayMs = INVALIDATE_DELAY_MS): void {
  let keys = pending.get(client);
  if (!keys) pending.set(client, (keys = new Set()));
  const id = JSON.stringify(queryKey);
  if (keys.has(id)) return;
  keys.add(id);
  const held = keys;
  setTimeout(() => {
    held.delete(id);
    void client.invalidateQueries({ queryKey, exact: true });
  }, delayMs);
}
