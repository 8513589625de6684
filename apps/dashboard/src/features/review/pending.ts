import type { Proposal } from '@parley/contracts';
import { createContext, useContext, useMemo } from 'react';
import { useAuth } from '../auth/AuthProvider';
import { useOpenProposals } from './proposals';

/** A cell's key in the pending counts. */
export const cellKey = (pointId: string, partyId: string) => `${pointId}|${partyId}`;

/** Open proposals per (point, party) cell. */
export function pendingByCell(list: readonly Proposal[]): ReadonlyMap<string, number> {
  const counts = new Map<string, number>();
  for (const p of list) if (p.status === 'open') counts.set(cellKey(p.pointId, p.partyId), (counts.get(cellKey(p.pointId, p.partyId)) ?? 0) + 1);
  return counts;
}

const NONE: ReadonlyMap<string, number> = new Map();

/** The pending counts a matrix shows (staff only; empty for everyone else). */
export const PendingContext = createContext<ReadonlyMap<string, number>>(NONE);

/** The counts for the negotiation on screen: empty unless signed in as an analyst or an admin. */
export function usePendingByCell(slug: string): ReadonlyMap<string, number> {
  const { analyst } = useAuth();
  const open = useOpenProposals(slug, analyst).data;
  return useMemo(() => (analyst && open ? pendingByCell(open) : NONE), [analyst, open]);
}

/** "1 pending", "3 pending"; null without any. */
export function usePendingText(pointId: string, partyId: string): string | null {
  const n = useContext(PendingContext).get(cellKey(pointId, partyId)) ?? 0;
  return n > 0 ? `${n} pending` : null;
}
