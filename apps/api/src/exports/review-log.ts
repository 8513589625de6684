import { Injectable } from '@nestjs/common';
import type { Proposal } from '@parley/contracts';
import { Db } from '../database/db.service';
import { sql } from '../database/sql';
import { NegotiationsService } from '../negotiations/negotiations.service';
import { ProposalEntity } from '../review/proposal.entity';
import { toProposal } from '../review/proposal.mapper';
import { csvLine } from './text-exports';

export const REVIEW_LOG_COLUMNS = [
  'proposalId', 'kind', 'party', 'point', 'author', 'proposedAt', 'decision', 'reviewer', 'decidedAt', 'timeToDecisionSeconds', 'note', 'publishedSeq', 'status',
] as const;

/**
 * The review log (staff): one row per decision, in the order they were taken (a proposal asked for
 * changes and then approved has two), then one row per proposal still waiting (open) without a
 * decision. Time to decision: from the proposal's creation to the decision, in whole seconds.
 * Formula-like texts are neutralised as in every CSV export.
 */
@Injectable()
export class ReviewLogExport {
  constructor(
    private readonly db: Db,
    private readonly negotiations: NegotiationsService,
  ) {}

  async csv(negotiation: string): Promise<{ slug: string; text: string }> {
    const n = await this.negotiations.resolve(negotiation);
    const codes = new Map<string, string>();
    const { rows: named } = await sql<{ id: string; code: string }>(
      this.db.read,
      'SELECT id, code FROM parties WHERE negotiation_id = ? UNION ALL SELECT id, code FROM points WHERE negotiation_id = ?',
      [n.id, n.id],
    );
    for (const r of named) codes.set(r.id, r.code);
    const { rows: decided } = await sql<{ data: string }>(
      this.db.read,
      "SELECT data FROM proposal_log WHERE negotiation_id = ? AND kind = 'proposal.decided' ORDER BY seq ASC",
      [n.id],
    );
    const waiting = await this.db.read.find(ProposalEntity, { where: { negotiationId: n.id, status: 'open' }, order: { id: 'ASC' } });
    const row = (p: Proposal, withDecision: boolean): string => {
      const d = withDecision ? p.decision : null;
      const seconds = d ? Math.round((Date.parse(d.at) - Date.parse(p.createdAt)) / 1000) : null;
      return csvLine([
        p.id, p.kind, codes.get(p.partyId) ?? p.partyId, codes.get(p.pointId) ?? p.pointId, p.author, p.createdAt,
        d?.decision ?? null, d?.by ?? null, d?.at ?? null, seconds, d?.note ?? null,
        withDecision && d?.decision === 'approve' ? (p.published?.seq ?? null) : null, withDecision ? p.status : 'open',
      ]);
    };
    const lines = [csvLine([...REVIEW_LOG_COLUMNS])];
    for (const r of decided) lines.push(row(JSON.parse(r.data) as Proposal, true));
    for (const p of waiting) lines.push(row(toProposal(p), false));
    return { slug: n.slug, text: lines.join('') };
  }
}
