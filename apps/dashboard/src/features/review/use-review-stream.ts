import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useAuth } from '../auth/AuthProvider';
import { useLive } from '../live/LiveProvider';
import { applyProposal, openProposalsKey } from './proposals';

/**
 * Staff: keeps the open proposals current from the live connection's review stream — each proposal
 * event applied in order; the list read again when the stream is first joined (what happened before
 * that is in the list; a rejoin after a reconnect replays what was missed).
 */
export function useReviewStream(slug: string | null): void {
  const { analyst } = useAuth();
  const client = useQueryClient();
  const { onReview } = useLive();
  useEffect(() => {
    if (!slug || !analyst) return;
    return onReview((event) => {
      if (event.kind === 'proposal') applyProposal(client, slug, event.entry.data);
      else if (event.first) void client.invalidateQueries({ queryKey: openProposalsKey(slug) });
    });
  }, [slug, analyst, client, onReview]);
}
