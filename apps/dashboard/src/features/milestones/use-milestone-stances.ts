import type { ChangesPage, Milestone, StanceEvent } from '@parley/contracts';
import { useQuery } from '@tanstack/react-query';
import { getJson } from '../../shared/api';

/** Pages of the change log read at most for one list (500 changes each). */
export const MAX_PAGES = 40;

export interface StanceList {
  events: StanceEvent[];
  /** The change log is longer than MAX_PAGES pages: the list may miss later changes. */
  partial: boolean;
}

/** The milestone's days: from its start to its end (its start alone without an end), as YYYY-MM-DD. */
export function milestoneDays(m: Pick<Milestone, 'startsAt' | 'endsAt'>): { from: string; to: string } {
  const from = m.startsAt.slice(0, 10);
  const to = m.endsAt ? m.endsAt.slice(0, 10) : from;
  return { from, to: to < from ? from : to };
}

/** Every recorded stance event of the change log's pages matching `filter`, oldest effective first. */
async function readChanges(slug: string, query: Record<string, string>, keep: (e: StanceEvent) => boolean, signal: AbortSignal): Promise<StanceList> {
  const byId = new Map<string, StanceEvent>();
  let sinceSeq: number | null = null;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const q = new URLSearchParams({ ...query, limit: '500', ...(sinceSeq === null ? {} : { sinceSeq: String(sinceSeq) }) });
    const answer: ChangesPage = await getJson<ChangesPage>(`/negotiations/${encodeURIComponent(slug)}/changes?${q.toString()}`, signal);
    // A retraction item carries the event too; the recorded item (with its retraction) is the entry (a correction's item: its new event).
    for (const item of answer.items) if (keep(item.event) && (item.kind !== 'stance.retracted' || !byId.has(item.event.id))) byId.set(item.event.id, item.event);
    if (answer.nextSinceSeq === null) {
      return { events: sortByEffective([...byId.values()]), partial: false };
    }
    sinceSeq = answer.nextSinceSeq;
  }
  return { events: sortByEffective([...byId.values()]), partial: true };
}

function sortByEffective(events: StanceEvent[]): StanceEvent[] {
  return events.sort((a, b) => a.effectiveAt.localeCompare(b.effectiveAt) || a.seq - b.seq);
}

/** The stance events linked to a milestone (the changes route's `milestoneId` filter). */
export function useLinkedStances(slug: string, milestoneId: string) {
  return useQuery({
    queryKey: ['milestone-stances', slug, milestoneId, 'linked'],
    queryFn: ({ signal }) => readChanges(slug, { milestoneId }, (e) => e.milestoneId === milestoneId, signal),
  });
}

/** The stance events that took effect within the milestone's days (the changes route's effective window). */
export function useStancesWithin(slug: string, days: { from: string; to: string } | null) {
  return useQuery({
    queryKey: ['milestone-stances', slug, days?.from, days?.to, 'within'],
    enabled: days !== null,
    queryFn: ({ signal }) => (days ? readChanges(slug, { effectiveFrom: days.from, effectiveTo: days.to }, () => true, signal) : Promise.resolve({ events: [], partial: false })),
  });
}
