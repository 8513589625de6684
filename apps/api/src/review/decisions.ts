import type { Proposal, ProposalDecisionInput, ProposalEdit, RecordStanceResult, ReviewConflict, StanceCreate } from '@parley/contracts';
import { AppError, conflict, invalid } from '../common/app-error';
import type { ChangeLog } from '../changes/change-log.service';
import type { AuditLog } from '../audit/audit.service';
import type { ReviewLog } from '../changes/review-log.service';
import type { Tx } from '../database/db.service';
import { lockRow, num, sql } from '../database/sql';
import { loadEvents } from '../stances/stance-row';
import { correctStance, recordStances, retractStance, type WriterDeps } from '../stances/stance-writer';
import { ProposalEntity } from './proposal.entity';
import { toProposal } from './proposal.mapper';

/*
 * A decision on a proposal, inside one transaction (the caller's Db.write): the proposal's row is
 * locked (PostgreSQL) and read again, so of two reviewers deciding at once the second finds it
 * decided (409); an approval publishes through the stance writer in the same transaction, so an
 * approved proposal and its event exist together or not at all.
 */

export interface DecisionDeps {
  writer: WriterDeps;
  changes: ChangeLog;
  audit: AuditLog;
  stream: ReviewLog;
}

/** The proposal, locked for this transaction; 404 when it is not the negotiation's. */
export async function lockProposal(tx: Tx, negotiationId: string, proposalId: string): Promise<ProposalEntity> {
  await lockRow(tx.manager, 'proposals', proposalId);
  const found = await tx.manager.findOneBy(ProposalEntity, { id: proposalId, negotiationId });
  if (!found) throw new AppError(404, 'NOT_FOUND', `Proposal '${proposalId}' was not found`);
  return found;
}

/** The cell's version and its event in force as the API shows it. */
export async function cellNow(tx: Tx, p: ProposalEntity): Promise<ReviewConflict['cell']> {
  const { rows } = await sql<{ version: number | string; event_id: string | null }>(
    tx.manager,
    'SELECT version, event_id FROM current_stances WHERE negotiation_id = ? AND party_id = ? AND point_id = ?',
    [p.negotiationId, p.partyId, p.pointId],
  );
  const version = rows[0] ? num(rows[0].version) : 0;
  const eventId = rows[0]?.event_id ?? null;
  const current = eventId ? ((await loadEvents(tx.manager, [eventId])).get(eventId) ?? null) : null;
  return { partyId: p.partyId, pointId: p.pointId, version, current };
}

export async function decide(
  tx: Tx,
  deps: DecisionDeps,
  negotiationId: string,
  proposalId: string,
  input: ProposalDecisionInput,
  reviewer: string,
): Promise<{ proposal: Proposal; published: RecordStanceResult | null }> {
  const p = await lockProposal(tx, negotiationId, proposalId);
  const before = toProposal(p);
  if (p.author === reviewer) {
    throw new AppError(403, 'FORBIDDEN', 'Nobody decides on their own proposal (two-person rule): another analyst or an admin must');
  }
  if (p.status !== 'open') {
    const why = p.status === 'changes_requested' ? 'waits for its author’s changes' : `was already ${p.status} by ${p.decidedBy ?? 'someone'}`;
    throw conflict('ALREADY_DECIDED', `Proposal '${p.id}' ${why}; nothing was decided`, before);
  }
  const now = Date.now();
  let published: RecordStanceResult | null = null;
  if (input.decision === 'approve') {
    // PostgreSQL: serialize with the negotiation's other writers before reading the cell.
    await deps.changes.lock(tx, negotiationId);
    const cell = await cellNow(tx, p);
    const base = input.baseVersion ?? (input.rebase ? cell.version : p.baseVersion);
    if (cell.version !== base) {
      const current: ReviewConflict = { proposal: before, cell };
      throw conflict(
        'REVIEW_CONFLICT',
        `The cell changed since ${input.baseVersion === undefined ? 'the proposal was made' : 'the version you approve against'} (version ${base}, now ${cell.version}): approve again with rebase: true to publish it over the current stance, or reject it; nothing was published`,
        current,
      );
    }
    published = await publish(tx, deps.writer, p, reviewer);
    p.publishedEventId = published.event.id;
    p.publishedSeq = p.kind === 'retraction' ? (published.event.retraction?.seq ?? null) : published.event.seq;
    p.baseVersion = base;
  }
  p.status = input.decision === 'approve' ? 'approved' : input.decision === 'reject' ? 'rejected' : 'changes_requested';
  p.decision = input.decision;
  p.decidedBy = reviewer;
  p.decidedAt = now;
  p.decisionNote = input.note ?? null;
  p.version += 1;
  p.updatedAt = now;
  await tx.manager.save(ProposalEntity, p);
  const proposal = toProposal(p);
  await deps.audit.record(tx.manager, {
    actor: reviewer, action: `proposal.${p.status}`, entityType: 'proposal', entityId: p.id, negotiationId, before, after: proposal, at: now,
  });
  await deps.stream.append(tx, negotiationId, 'proposal.decided', proposal, now, reviewer);
  return { proposal, published };
}

/** Through the writer, as the author's change approved by `reviewer`: the next seq, recorded now. */
async function publish(tx: Tx, writer: WriterDeps, p: ProposalEntity, reviewer: string): Promise<RecordStanceResult> {
  if (p.kind === 'retraction') {
    const { reason } = JSON.parse(p.payload) as { reason: string };
    return retractStance(tx, writer, p.eventId as string, { reason }, p.author, undefined, reviewer);
  }
  if (p.kind === 'correction') {
    // One change, as the direct route's: recorded now (the approval), approvedBy the reviewer; the base was checked above.
    const { reason, stance } = JSON.parse(p.payload) as { reason: string; stance: StanceCreate };
    const { expectedVersion: _, ...input } = stance;
    return correctStance(tx, writer, p.negotiationId, p.eventId as string, input, reason, p.author, reviewer);
  }
  // The proposal's base was checked above; the version the author once expected is not the writer's concern now.
  const { expectedVersion: _, ...input } = JSON.parse(p.payload) as StanceCreate;
  const [outcome] = await recordStances(tx, writer, p.negotiationId, [{ input, field: '', author: p.author, approvedBy: reviewer }], true);
  if (!outcome?.ok) throw outcome?.error ?? new Error('the writer gave no outcome');
  return outcome.result;
}

/** The author's edit: the new content, back to open, based on the cell as it is now. */
export async function editProposal(
  tx: Tx,
  deps: Pick<DecisionDeps, 'audit' | 'stream'>,
  negotiationId: string,
  proposalId: string,
  patch: ProposalEdit,
  author: string,
): Promise<Proposal> {
  const p = await lockProposal(tx, negotiationId, proposalId);
  const before = toProposal(p);
  if (p.author !== author) throw new AppError(403, 'FORBIDDEN', 'Only its author edits a proposal; a reviewer asks for changes');
  if (p.status !== 'open' && p.status !== 'changes_requested') throw conflict('ALREADY_DECIDED', `Proposal '${p.id}' was already ${p.status}; it cannot change`, before);
  if (patch.expectedVersion !== undefined && patch.expectedVersion !== p.version) {
    throw conflict('VERSION_CONFLICT', `The proposal was changed meanwhile (now version ${p.version}, you expected ${patch.expectedVersion})`, before);
  }
  if (p.kind === 'correction') {
    // Either part or both; the stance stays on the corrected event's cell.
    if (patch.stance === undefined && patch.reason === undefined) throw invalid([{ field: 'stance', message: 'a correction proposal takes stance and/or reason' }]);
    const current = JSON.parse(p.payload) as { reason: string; stance: StanceCreate };
    if (patch.stance && (patch.stance.partyId !== p.partyId || patch.stance.pointId !== p.pointId)) {
      throw invalid([{ field: 'stance.partyId', message: "a correction stays on the corrected event's cell (party and point)" }]);
    }
    p.payload = JSON.stringify({ reason: patch.reason ?? current.reason, stance: patch.stance ?? current.stance });
  } else if (p.kind === 'stance') {
    if (patch.reason !== undefined || patch.stance === undefined) throw invalid([{ field: 'stance', message: 'is required for a stance proposal (and reason is for retractions)' }]);
    if (patch.stance.partyId !== p.partyId || patch.stance.pointId !== p.pointId) {
      throw invalid([{ field: 'stance.partyId', message: 'a proposal stays on its cell (party and point): propose another stance for another cell' }]);
    }
    p.payload = JSON.stringify(patch.stance);
  } else {
    if (patch.stance !== undefined || patch.reason === undefined) throw invalid([{ field: 'reason', message: 'is required for a retraction proposal (and stance is for stances)' }]);
    p.payload = JSON.stringify({ reason: patch.reason });
  }
  const now = Date.now();
  p.baseVersion = (await cellNow(tx, p)).version;
  p.status = 'open';
  p.version += 1;
  p.updatedAt = now;
  await tx.manager.save(ProposalEntity, p);
  const proposal = toProposal(p);
  await deps.audit.record(tx.manager, { actor: author, action: 'proposal.updated', entityType: 'proposal', entityId: p.id, negotiationId, before, after: proposal, at: now });
  await deps.stream.append(tx, negotiationId, 'proposal.updated', proposal, now, author);
  return proposal;
}
