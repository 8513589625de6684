import type { Proposal, ProposalPage } from '@parley/contracts';
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { getJson } from '../../shared/api';

/**
 * The review queue's data (staff only): the open proposals of a negotiation, loaded once and then
 * kept current by the staff stream (features/live: `onReview`), and the signed-in author's own.
 */
export const proposalsKey = (slug: string) => ['proposals', slug] as const;
export const openProposalsKey = (slug: string) => ['proposals', slug, 'open'] as const;
export const myProposalsKey = (slug: string, author: string) => ['proposals', slug, 'mine', author] as const;

/** Pages read at most (200 a page): a queue longer than that is a problem the badge already shows. */
const MAX_PAGES = 10;

export async function fetchProposals(slug: string, query: Record<string, string>, signal?: AbortSignal, maxPages = MAX_PAGES): Promise<Proposal[]> {
  const out: Proposal[] = [];
  let before: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const q = new URLSearchParams({ limit: '200', ...query, ...(before ? { before } : {}) });
    const res: ProposalPage = await getJson<ProposalPage>(`/negotiations/${encodeURIComponent(slug)}/proposals?${q.toString()}`, signal);
    out.push(...res.items);
    before = res.nextBefore;
    if (!before) break;
  }
  return out;
}

/**
 * Proposals received live, per query client and negotiation: a list loaded while events arrived
 * (it read the database before their commit) is merged with them, so none is lost to the race.
 */
const seenLive = new WeakMap<QueryClient, Map<string, Map<string, Proposal>>>();

function liveOf(client: QueryClient, slug: string): Map<string, Proposal> {
  let bySlug = seenLive.get(client);
  if (!bySlug) seenLive.set(client, (bySlug = new Map()));
  let seen = bySlug.get(slug);
  if (!seen) bySlug.set(slug, (seen = new Map()));
  return seen;
}

/** The open list after one proposal's new state: the newer version wins; only open ones stay, oldest first. */
export function upsertOpen(list: readonly Proposal[], next: Proposal): Proposal[] {
  const old = list.find((p) => p.id === next.id);
  if (old && old.version > next.version) return [...list];
  const rest = list.filter((p) => p.id !== next.id);
  return next.status === 'open' ? [...rest, next].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) : rest;
}

/** A proposal's new state (from the staff stream or a decision's answer), applied to what is cached. */
export function applyProposal(client: QueryClient, slug: string, proposal: Proposal): void {
  const seen = liveOf(client, slug);
  const held = seen.get(proposal.id);
  // An older state arriving late (a decision's answer after the stream's later event) changes nothing.
  if (held && held.version > proposal.version) return;
  seen.set(proposal.id, proposal);
  client.setQueryData<Proposal[]>(openProposalsKey(slug), (list) => (list ? upsertOpen(list, proposal) : list));
  // The authors' own lists (statuses other than open) are few: read again.
  void client.invalidateQueries({ queryKey: [...proposalsKey(slug), 'mine'] });
}

export function useOpenProposals(slug: string | null, staff: boolean) {
  return useQuery({
    queryKey: openProposalsKey(slug ?? ''),
    enabled: staff && slug !== null,
    // The staff stream keeps it current; it is read again when the stream is (re)joined.
    staleTime: Infinity,
    queryFn: async ({ signal, client }) => {
      const loaded = await fetchProposals(slug ?? '', { status: 'open' }, signal);
      // Oldest first: the queue is worked through in the order the proposals came.
      let list = [...loaded].reverse();
      for (const p of liveOf(client, slug ?? '').values()) list = upsertOpen(list, p);
      return list;
    },
  });
}

/** The signed-in author's proposals (every status), newest first: rejected ones with the reason, changes asked with the note. */
export function useMyProposals(slug: string, author: string | null) {
  return useQuery({
    queryKey: myProposalsKey(slug, author ?? ''),
    enabled: author !== null,
    queryFn: ({ signal }) => fetchProposals(slug, { author: author ?? '', limit: '50' }, signal, 1),
  });
}
