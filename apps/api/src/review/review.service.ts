import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Proposal, ProposalDecisionInput, ProposalDecisionResult, ProposalEdit, ProposalPage, ProposalQuery, RetractInput, StanceCreate } from '@parley/contracts';
import { AppError, conflict, notFound } from '../common/app-error';
import { isUuid, newOrderedId } from '../common/ids';
import { AuditLog } from '../audit/audit.service';
import { ChangeLog } from '../changes/change-log.service';
import { ReviewLog } from '../changes/review-log.service';
import { decide, editProposal } from './decisions';
import { Db, type Tx } from '../database/db.service';
import { num, sql } from '../database/sql';
import { NegotiationsService } from '../negotiations/negotiations.service';
import { StanceEventEntity, StanceRetractionEntity } from '../stances/stance.entities';
import { loadEvents } from '../stances/stance-row';
import { StancesService } from '../stances/stances.service';
import { versionRequired } from '../stances/stance-writer';
import { ProposalEntity } from './proposal.entity';
import { toProposal } from './proposal.mapper';

const DEFAULT_PAGE = 200;

/**
 * Review before publish: under a negotiation's policy `required`, stance changes become proposals
 * (this service is the stances' ReviewGate), listed and shown to analysts and admins only.
 */
@Injectable()
export class ReviewService implements OnModuleInit {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly negotiations: NegotiationsService,
    private readonly stances: StancesService,
    private readonly changes: ChangeLog,
    private readonly stream: ReviewLog,
  ) {}

  /** Approve (publish), reject or ask for changes: one transaction; never the author's own (403). */
  async decide(negotiation: string, proposalId: string, input: ProposalDecisionInput, reviewer: string): Promise<ProposalDecisionResult> {
    const negotiationId = await this.negotiations.resolveId(negotiation);
    return this.db.write((tx) => decide(tx, { writer: this.stances.writerDeps, changes: this.changes, audit: this.audit, stream: this.stream }, negotiationId, proposalId, input, reviewer));
  }

  /** The author's edit (after a request for changes, or while open): back to open. */
  async edit(negotiation: string, proposalId: string, patch: ProposalEdit, author: string): Promise<Proposal> {
    const negotiationId = await this.negotiations.resolveId(negotiation);
    if (patch.stance) await this.stances.checkRefs(negotiationId, [patch.stance], () => 'stance.');
    return this.db.write((tx) => editProposal(tx, { audit: this.audit, stream: this.stream }, negotiationId, proposalId, patch, author));
  }

  onModuleInit(): void {
    this.stances.useReview({
      stance: (negotiationId, input, author) => this.proposeStance(negotiationId, input, author),
      retraction: (eventId, input, author) => this.proposeRetraction(eventId, input, author),
      correction: (negotiationId, eventId, input, reason, author) => this.proposeCorrection(negotiationId, eventId, input, reason, author),
      refuseBulk: (negotiationId, what) => this.refuseBulk(negotiationId, what),
    });
  }

  /** Whether the negotiation requires review (read each time: another node may just have changed it). */
  async requires(negotiationId: string): Promise<boolean> {
    return (await this.policyOf(negotiationId)).review;
  }

  /** The negotiation's review policy and requireExpectedVersion setting. */
  private async policyOf(negotiationId: string): Promise<{ review: boolean; strict: boolean }> {
    const { rows } = await sql<{ review_policy: string; require_expected_version: number | string }>(
      this.db.read,
      'SELECT review_policy, require_expected_version FROM negotiations WHERE id = ?',
      [negotiationId],
    );
    return { review: rows[0]?.review_policy === 'required', strict: num(rows[0]?.require_expected_version ?? 0) === 1 };
  }

  /** Under requireExpectedVersion a proposal must say which version it was made against, as a write must. */
  private async checkStrict(negotiationId: string, expectedVersion: number | undefined): Promise<boolean> {
    const { review, strict } = await this.policyOf(negotiationId);
    if (review && strict && expectedVersion === undefined) throw versionRequired('');
    return review;
  }

  private async refuseBulk(negotiationId: string, what: string): Promise<void> {
    if (await this.requires(negotiationId)) throw reviewRequired(what);
  }

  private async proposeStance(negotiationId: string, input: StanceCreate, author: string): Promise<Proposal | null> {
    if (!(await this.checkStrict(negotiationId, input.expectedVersion))) return null;
    return this.db.write(async (tx) => {
      const version = await expectVersion(tx, negotiationId, input.partyId, input.pointId, input.expectedVersion);
      return this.insert(tx, { negotiationId, kind: 'stance', partyId: input.partyId, pointId: input.pointId, eventId: null, baseVersion: version, payload: input, author });
    });
  }

  private async proposeRetraction(eventId: string, input: RetractInput, author: string): Promise<Proposal | null> {
    const event = await this.db.read.findOne(StanceEventEntity, { select: { id: true, negotiationId: true, partyId: true, pointId: true }, where: { id: eventId } });
    if (!event || !(await this.checkStrict(event.negotiationId, input.expectedVersion))) return null;
    return this.db.write(async (tx) => {
      const retracted = await tx.manager.findOneBy(StanceRetractionEntity, { eventId });
      if (retracted) throw conflict('ALREADY_RETRACTED', `Stance event '${eventId}' was already retracted (${retracted.reason}); nothing was proposed`);
      const version = await expectVersion(tx, event.negotiationId, event.partyId, event.pointId, input.expectedVersion);
      return this.insert(tx, {
        negotiationId: event.negotiationId, kind: 'retraction', partyId: event.partyId, pointId: event.pointId, eventId, baseVersion: version, payload: { reason: input.reason }, author,
      });
    });
  }

  /** A one-step correction proposed: the event retracted and the new stance, published together on approval. */
  private async proposeCorrection(negotiationId: string, eventId: string, input: StanceCreate, reason: string, author: string): Promise<Proposal | null> {
    if (!(await this.checkStrict(negotiationId, input.expectedVersion))) return null;
    return this.db.write(async (tx) => {
      const retracted = await tx.manager.findOneBy(StanceRetractionEntity, { eventId });
      if (retracted) throw conflict('ALREADY_RETRACTED', `Stance event '${eventId}' was already retracted (${retracted.reason}); nothing was proposed`);
      const version = await expectVersion(tx, negotiationId, input.partyId, input.pointId, input.expectedVersion);
      return this.insert(tx, {
        negotiationId, kind: 'correction', partyId: input.partyId, pointId: input.pointId, eventId, baseVersion: version, payload: { reason, stance: input }, author,
      });
    });
  }

  private async insert(
    tx: Tx,
    p: Pick<ProposalEntity, 'negotiationId' | 'kind' | 'partyId' | 'pointId' | 'eventId' | 'baseVersion' | 'author'> & { payload: unknown },
  ): Promise<Proposal> {
    const now = Date.now();
    const entity: ProposalEntity = {
      ...p,
      id: newOrderedId(now),
      status: 'open',
      payload: JSON.stringify(p.payload),
      createdAt: now,
      updatedAt: now,
      version: 1,
      decision: null,
      decidedBy: null,
      decidedAt: null,
      decisionNote: null,
      publishedEventId: null,
      publishedSeq: null,
    };
    await tx.manager.insert(ProposalEntity, entity);
    const proposal = toProposal(entity);
    await this.audit.record(tx.manager, { actor: p.author, action: 'proposal.created', entityType: 'proposal', entityId: entity.id, negotiationId: p.negotiationId, after: proposal, at: now });
    await this.stream.append(tx, p.negotiationId, 'proposal.created', proposal, now, p.author);
    return proposal;
  }

  async list(negotiation: string, query: ProposalQuery): Promise<ProposalPage> {
    const negotiationId = await this.negotiations.resolveId(negotiation);
    const limit = query.limit ?? DEFAULT_PAGE;
    const qb = this.db.read.createQueryBuilder(ProposalEntity, 'p').where('p.negotiation_id = :negotiationId', { negotiationId }).orderBy('p.id', 'DESC').limit(limit + 1);
    if (query.status) qb.andWhere('p.status = :status', { status: query.status });
    if (query.author) qb.andWhere('p.author = :author', { author: query.author });
    if (query.partyId) qb.andWhere('p.party_id = :partyId', { partyId: query.partyId });
    if (query.pointId) qb.andWhere('p.point_id = :pointId', { pointId: query.pointId });
    if (query.before) qb.andWhere('p.id < :before', { before: query.before });
    const rows = await qb.getMany();
    const items = rows.slice(0, limit).map(toProposal);
    return { items, nextBefore: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
  }

  async get(negotiation: string, proposalId: string): Promise<Proposal> {
    return toProposal(await this.find(this.db.read, await this.negotiations.resolveId(negotiation), proposalId));
  }

  private async find(manager: Tx['manager'], negotiationId: string, proposalId: string): Promise<ProposalEntity> {
    const found = isUuid(proposalId) ? await manager.findOneBy(ProposalEntity, { id: proposalId, negotiationId }) : null;
    if (!found) throw notFound('Proposal', proposalId);
    return found;
  }
}

export const reviewRequired = (what: string) =>
  new AppError(409, 'REVIEW_REQUIRED', `${what} is refused: this negotiation's review policy is 'required', so each stance change must be proposed one at a time (POST …/stances) and approved by a second person`);

/** The cell's version, or 409 VERSION_CONFLICT with the cell when it is not the one expected. */
async function expectVersion(tx: Tx, negotiationId: string, partyId: string, pointId: string, expected: number | undefined): Promise<number> {
  const { version, current } = await cellOf(tx, negotiationId, partyId, pointId);
  if (expected !== undefined && expected !== version) {
    throw conflict(
      'VERSION_CONFLICT',
      `the cell was changed by someone else meanwhile (now version ${version}, you expected ${expected}); nothing was proposed`,
      { partyId, pointId, version, current: current ? ((await loadEvents(tx.manager, [current])).get(current) ?? null) : null },
    );
  }
  return version;
}

/** The cell's version and its current event's id (0 and null: never written). */
async function cellOf(tx: Tx, negotiationId: string, partyId: string, pointId: string): Promise<{ version: number; current: string | null }> {
  const { rows } = await sql<{ version: number | string; event_id: string | null }>(
    tx.manager,
    'SELECT version, event_id FROM current_stances WHERE negotiation_id = ? AND party_id = ? AND point_id = ?',
    [negotiationId, partyId, pointId],
  );
  return rows[0] ? { version: num(rows[0].version), current: rows[0].event_id } : { version: 0, current: null };
}
