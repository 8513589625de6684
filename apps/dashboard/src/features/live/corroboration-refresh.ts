import type { MatrixView } from '@parley/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { getJson } from '../../shared/api';
import { isCurrentMatrixKey, mergeCorroboration } from './matrix-cache';

/** Changes arriving within this time are followed by one read of the matrix, not one each. */
const REFRESH_DELAY_MS = 500;

type Read = (slug: string) => Promise<MatrixView>;
const readMatrix: Read = (slug) => getJson<MatrixView>(`/negotiations/${encodeURIComponent(slug)}/matrix`);

interface State {
  timer: ReturnType<typeof setTimeout> | null;
  running: boolean;
  again: boolean;
}
const states = new WeakMap<QueryClient, Map<string, State>>();

/**
 * A live stance change patches the "now" matrix at once, but the corroboration of the changed cell
 * depends on events the change does not carry (the run behind the stance in force). So a burst of
 * changes is followed by one read of the matrix, from which only the corroboration of the cells
 * still at the version read is taken (mergeCorroboration): a newer patch is never overwritten, and
 * a change during the read causes one more read afterwards. One read at a time per negotiation.
 */
export function scheduleCorroborationRefresh(client: QueryClient, slug: string, read: Read = readMatrix, delayMs = REFRESH_DELAY_MS): void {
  let bySlug = states.get(client);
  if (!bySlug) states.set(client, (bySlug = new Map()));
  let state = bySlug.get(slug);
  if (!state) bySlug.set(slug, (state = { timer: null, running: false, again: false }));
  if (state.running) {
    state.again = true;
    return;
  }
  if (state.timer !== null) return;
  const held = state;
  held.timer = setTimeout(() => {
    held.timer = null;
    held.running = true;
    refreshCorroboration(client, slug, read)
      .catch(() => undefined) // the next change tries again; the counts stay provisional meanwhile
      .finally(() => {
        held.running = false;
        if (held.again) {
          held.again = false;
          scheduleCorroborationRefresh(client, slug, read, delayMs);
        }
      });
  }, delayMs);
}

/** Reads the "now" matrix once and merges its corroboration into every cached "now" matrix of the negotiation. */
export async function refreshCorroboration(client: QueryClient, slug: string, read: Read = readMatrix): Promise<void> {
  const fresh = await read(slug);
  for (const query of client.getQueryCache().findAll({ predicate: (q) => isCurrentMatrixKey(q.queryKey, slug) })) {
    const view = query.state.data as MatrixView | undefined;
    if (!view) continue;
    const next = mergeCorroboration(view, fresh);
    if (next !== view) client.setQueryData(query.queryKey, next);
  }
}
