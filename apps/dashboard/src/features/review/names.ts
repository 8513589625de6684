import { POSITION_LABEL, type MatrixView, type Proposal } from '@parley/contracts';

/** The names a proposal is shown with: its party and point, from the current matrix. */
export function cellName(view: MatrixView | undefined, p: Pick<Proposal, 'partyId' | 'pointId'>): string {
  const party = view?.parties.find((x) => x.id === p.partyId);
  const row = view?.rows.find((r) => r.point.id === p.pointId);
  return `${party?.name ?? p.partyId} on ${row ? `${row.point.code} ${row.point.title}` : p.pointId}`;
}

/** What a proposal would publish, in a few words. */
export function proposalSummary(p: Proposal): string {
  if (p.kind === 'retraction') return `Retraction: ${p.retraction?.reason ?? ''}`;
  return p.stance ? POSITION_LABEL[p.stance.position] : 'Stance';
}
