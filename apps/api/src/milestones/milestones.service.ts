import { Injectable } from '@nestjs/common';
import type { Milestone, MilestoneCreate, MilestonePatch } from '@parley/contracts';
import { parseInstant, precisionOf, toIso, toIsoOrNull } from '@parley/domain';
import type { EntityManager } from 'typeorm';
import { badReference } from '../common/app-error';
import { newId } from '../common/ids';
import { checkVersion, findScoped, requireRefs } from '../common/scoped';
import { ChangeLog } from '../changes/change-log.service';
import { Db, type Tx } from '../database/db.service';
import { NegotiationsService } from '../negotiations/negotiations.service';
import { PartyEntity } from '../parties/party.entity';
import { MilestoneEntity } from './milestone.entity';

export const toMilestone = (m: MilestoneEntity): Milestone => ({
  id: m.id,
  negotiationId: m.negotiationId,
  title: m.title,
  kind: m.kind,
  startsAt: toIso(m.startsAt),
  startsPrecision: m.startsPrecision,
  endsAt: toIsoOrNull(m.endsAt),
  description: m.description,
  sourceUrl: m.sourceUrl,
  partyIds: m.partyIds,
  version: m.version,
  createdAt: toIso(m.createdAt),
  updatedAt: toIso(m.updatedAt),
});

@Injectable()
export class MilestonesService {
  constructor(
    private readonly db: Db,
    private readonly changes: ChangeLog,
    private readonly negotiations: NegotiationsService,
  ) {}

  async list(negotiation: string): Promise<Milestone[]> {
    const id = await this.negotiations.resolveId(negotiation);
    return this.listIn(this.db.read, id);
  }

  async listIn(manager: EntityManager, negotiationId: string): Promise<Milestone[]> {
    const rows = await manager.find(MilestoneEntity, { where: { negotiationId }, order: { startsAt: 'ASC', createdAt: 'ASC' } });
    return rows.map(toMilestone);
  }

  async get(negotiation: string, milestoneId: string): Promise<Milestone> {
    const id = await this.negotiations.resolveId(negotiation);
    return toMilestone(await findScoped(this.db.read, MilestoneEntity, id, milestoneId, 'Milestone'));
  }

  async create(negotiation: string, input: MilestoneCreate, author: string): Promise<Milestone> {
    const negotiationId = await this.negotiations.resolveId(negotiation);
    return this.db.write((tx) => this.createIn(tx, negotiationId, input, author));
  }

  /** create inside a caller's transaction (the demo loader writes a whole negotiation in one). */
  async createIn(tx: Tx, negotiationId: string, input: MilestoneCreate, author: string): Promise<Milestone> {
    const seq = await this.changes.nextSeq(tx, negotiationId);
    await this.checkParties(tx.manager, negotiationId, input.partyIds ?? []);
    const now = Date.now();
    const milestone: MilestoneEntity = {
      id: newId(),
      negotiationId,
      title: input.title,
      kind: input.kind,
      startsAt: parseInstant(input.startsAt),
      startsPrecision: precisionOf(input.startsAt),
      endsAt: input.endsAt ? parseInstant(input.endsAt) : null,
      description: input.description ?? '',
      sourceUrl: input.sourceUrl ?? null,
      partyIds: [...new Set(input.partyIds ?? [])],
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    checkRange(milestone);
    await tx.manager.insert(MilestoneEntity, milestone);
    const view = toMilestone(milestone);
    await this.changes.record(tx, { negotiationId, seq, kind: 'milestone.created', entityId: milestone.id, data: view, recordedAt: now, recordedBy: author });
    return view;
  }

  async update(negotiation: string, milestoneId: string, patch: MilestonePatch, author: string): Promise<Milestone> {
    const negotiationId = await this.negotiations.resolveId(negotiation);
    return this.db.write(async (tx) => {
      const seq = await this.changes.nextSeq(tx, negotiationId);
      const current = await findScoped(tx.manager, MilestoneEntity, negotiationId, milestoneId, 'Milestone');
      const before = toMilestone(current);
      checkVersion('Milestone', current.version, patch.expectedVersion, before);
      if (patch.partyIds) await this.checkParties(tx.manager, negotiationId, patch.partyIds);
      const now = Date.now();
      const next: MilestoneEntity = {
        ...current,
        title: patch.title ?? current.title,
        kind: patch.kind ?? current.kind,
        startsAt: patch.startsAt ? parseInstant(patch.startsAt) : current.startsAt,
        startsPrecision: patch.startsAt ? precisionOf(patch.startsAt) : current.startsPrecision,
        endsAt: patch.endsAt === undefined ? current.endsAt : patch.endsAt === null ? null : parseInstant(patch.endsAt),
        description: patch.description ?? current.description,
        sourceUrl: patch.sourceUrl === undefined ? current.sourceUrl : patch.sourceUrl,
        partyIds: patch.partyIds ? [...new Set(patch.partyIds)] : current.partyIds,
        version: current.version + 1,
        updatedAt: now,
      };
      checkRange(next);
      await tx.manager.update(MilestoneEntity, { id: current.id }, {
        title: next.title,
        kind: next.kind,
        startsAt: next.startsAt,
        startsPrecision: next.startsPrecision,
        endsAt: next.endsAt,
        description: next.description,
        sourceUrl: next.sourceUrl,
        partyIds: next.partyIds,
        version: next.version,
        updatedAt: now,
      });
      const view = toMilestone(next);
      await this.changes.record(tx, { negotiationId, seq, kind: 'milestone.updated', entityId: current.id, data: view, before, recordedAt: now, recordedBy: author });
      return view;
    });
  }

  private checkParties(manager: EntityManager, negotiationId: string, partyIds: string[]): Promise<void> {
    return requireRefs(manager, PartyEntity, negotiationId, partyIds.map((id, i) => ({ field: `partyIds.${i}`, id })), 'Party');
  }
}

function checkRange(m: MilestoneEntity): void {
  if (m.endsAt !== null && m.endsAt < m.startsAt) throw badReference('endsAt', 'must not be before startsAt');
}
