import type { StanceCreate } from '@parley/contracts';
import type { EntityManager } from 'typeorm';
import { invalid } from '../common/app-error';
import { DocumentEntity } from '../documents/document.entity';
import { MilestoneEntity } from '../milestones/milestone.entity';
import { ActorEntity, PartyEntity } from '../parties/party.entity';
import { PointEntity } from '../points/point.entity';
import type { FieldProblem } from '@parley/contracts';

/** The ids a stance may refer to, loaded once per request (entities are never deleted, so this cannot go stale). */
export class StanceRefs {
  private constructor(
    private readonly parties: Set<string>,
    private readonly points: Set<string>,
    private readonly actorParty: Map<string, string>,
    private readonly documents: Set<string>,
    private readonly milestones: Set<string>,
  ) {}

  static async load(manager: EntityManager, negotiationId: string): Promise<StanceRefs> {
    const [parties, points, documents, milestones] = await Promise.all([
      manager.find(PartyEntity, { select: { id: true }, where: { negotiationId } }),
      manager.find(PointEntity, { select: { id: true }, where: { negotiationId } }),
      manager.find(DocumentEntity, { select: { id: true }, where: { negotiationId } }),
      manager.find(MilestoneEntity, { select: { id: true }, where: { negotiationId } }),
    ]);
    const actors = parties.length
      ? await manager
          .createQueryBuilder(ActorEntity, 'a')
          .select(['a.id', 'a.partyId'])
          .innerJoin(PartyEntity, 'p', 'p.id = a.party_id')
          .where('p.negotiation_id = :negotiationId', { negotiationId })
          .getMany()
      : [];
    return new StanceRefs(
      new Set(parties.map((p) => p.id)),
      new Set(points.map((p) => p.id)),
      new Map(actors.map((a) => [a.id, a.partyId])),
      new Set(documents.map((d) => d.id)),
      new Set(milestones.map((m) => m.id)),
    );
  }

  problems(input: StanceCreate, prefix = ''): FieldProblem[] {
    const out: FieldProblem[] = [];
    const at = (field: string, message: string) => out.push({ field: `${prefix}${field}`, message });
    if (!this.parties.has(input.partyId)) at('partyId', `party '${input.partyId}' does not exist in this negotiation`);
    if (!this.points.has(input.pointId)) at('pointId', `point '${input.pointId}' does not exist in this negotiation`);
    if (input.actorId !== undefined) {
      const party = this.actorParty.get(input.actorId);
      if (party === undefined) at('actorId', `actor '${input.actorId}' does not exist in this negotiation`);
      else if (party !== input.partyId) at('actorId', `actor '${input.actorId}' speaks for another party`);
    }
    if (input.documentId !== undefined && !this.documents.has(input.documentId)) {
      at('documentId', `document '${input.documentId}' does not exist in this negotiation`);
    }
    if (input.milestoneId !== undefined && !this.milestones.has(input.milestoneId)) {
      at('milestoneId', `milestone '${input.milestoneId}' does not exist in this negotiation`);
    }
    for (const [i, pointId] of (input.conditions?.pointIds ?? []).entries()) {
      if (!this.points.has(pointId)) at(`conditions.pointIds.${i}`, `point '${pointId}' does not exist in this negotiation`);
    }
    return out;
  }

  check(inputs: StanceCreate[], prefix: (index: number) => string): void {
    const problems = inputs.flatMap((input, i) => this.problems(input, prefix(i)));
    if (problems.length) throw invalid(problems);
  }
}
