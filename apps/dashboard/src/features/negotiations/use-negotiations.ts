import type { Negotiation } from '@parley/contracts';
import { useQuery } from '@tanstack/react-query';
import { getJson } from '../../shared/api';

export function useNegotiations() {
  return useQuery({
    queryKey: ['negotiations'],
    queryFn: ({ signal }) => getJson<Negotiation[]>('/negotiations', signal),
  });
}

/** The negotiation named by `slug`, or the first one when the slug is missing or unknown. */
export function pickNegotiation(list: readonly Negotiation[], slug: string | null): Negotiation | null {
  return list.find((n) => n.slug === slug) ?? list[0] ?? null;
}
