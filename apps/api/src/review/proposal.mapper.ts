import type { Proposal, StanceCreate } from '@parley/contracts';
import { toIso } from '@parley/domain';
import type { ProposalEntity } from './proposal.entity';

export const toProposal = (e: ProposalEntity): Proposal => {
  // A stance: the StanceCreate; a retraction: { reason }; a correction: { reason, stance }.
  const payload = JSON.parse(e.payload) as StanceCreate | { reason: string } | { reason: string; stance: StanceCreate };
  return {
    id: e.id,
    negotiationId: e.negotiationId,
    kind: e.kind,
    status: e.status,
    partyId: e.partyId,
    pointId: e.pointId,
    baseVersion: e.baseVersion,
    stance: e.kind === 'stance' ? (payload as StanceCreate) : e.kind === 'correction' ? (payload as { stance: StanceCreate }).stance : null,
    retraction: e.kind === 'stance' ? null : { eventId: e.eventId as string, reason: (payload as { reason: string }).reason },
    author: e.author,
    createdAt: toIso(e.createdAt),
    updatedAt: toIso(e.updatedAt),
    version: e.version,
    decision:
      e.decision && e.decidedBy && e.decidedAt !== null ? { decision: e.decision, by: e.decidedBy, at: toIso(e.decidedAt), note: e.decisionNote } : null,
    published: e.publishedEventId && e.publishedSeq !== null ? { eventId: e.publishedEventId, seq: e.publishedSeq } : null,
  };
};
