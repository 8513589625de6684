import type { Party } from '@parley/contracts';
import { useQuery } from '@tanstack/react-query';
import { getJson } from './api';

/** Query key of the parties (with their actors) of one negotiation: ['parties', slug]. */
export function partiesKey(slug: string) {
  return ['parties', slug] as const;
}

export function useParties(slug: string) {
  return useQuery({
    queryKey: partiesKey(slug),
    queryFn: ({ signal }) => getJson<Party[]>(`/negotiations/${encodeURIComponent(slug)}/parties`, signal),
  });
}

/** Actor id → "Name (role)" over all parties, to name who took a stance. */
export function actorNames(parties: readonly Party[] | undefined): Map<string, string> {
  const names = new Map<string, string>();
  for (const party of parties ?? []) {
    for (const actor of party.actors) names.set(actor.id, actor.role ? `${actor.name} (${actor.role})` : actor.name);
  }
  return names;
}
