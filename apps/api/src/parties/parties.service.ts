import { Injectable } from '@nestjs/common';
import type { Party, PartyCreate, PartyPatch, PlanQuery } from '@parley/contracts';
import type { TimeView } from '@parley/domain';
import { In, type EntityManager } from 'typeorm';
import { badReference, conflict, notFound } from '../common/app-error';
import { newId } from '../common/ids';
import { checkVersion, findScoped, requireRefs } from '../common/scoped';
import { ChangeLog } from '../changes/change-log.service';
import { effectiveOf, planView, PlanVersions, type HistoryTimes } from '../changes/plan-versions.service';
import { Db, type Tx } from '../database/db.service';
import { NegotiationsService } from '../negotiations/negotiations.service';
import { ActorEntity, PartyEntity } from './party.entity';
import { toParty } from './party.mapper';

/** Okabe–Ito: distinguishable with the common colour-vision deficiencies. */
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'];

@Injectable()
export class PartiesService {
  constructor(
    private readonly db: Db,
    private readonly changes: ChangeLog,
    private readonly negotiations: NegotiationsService,
    private readonly versions: PlanVersions,
  ) {}

  async list(negotiation: string, query: PlanQuery = {}): Promise<Party[]> {
    const id = await this.negotiations.resolveId(negotiation);
    const view = planView(query);
    return view ? this.listAt(this.db.read, id, view) : this.listIn(this.db.read, id);
  }

  /** The parties as they were at (asOf, knownAt): those created and known by then, named as then. */
  async listAt(manager: EntityManager, negotiationId: string, view: TimeView): Promise<Party[]> {
    const parties = await this.versions.asOf(manager, negotiationId, 'party', await this.listIn(manager, negotiationId), view);
    return parties.sort((a, b) => a.sortOrder - b.sortOrder || a.createdAt.localeCompare(b.createdAt));
  }

  async listIn(manager: EntityManager, negotiationId: string): Promise<Party[]> {
    const parties = await manager.find(PartyEntity, { where: { negotiationId }, order: { sortOrder: 'ASC', createdAt: 'ASC' } });
    const actors = parties.length
      ? await manager.find(ActorEntity, { where: { partyId: In(parties.map((p) => p.id)) } })
      : [];
    return parties.map((p) => toParty(p, actors));
  }

  async get(negotiation: string, partyId: string, query: PlanQuery = {}): Promise<Party> {
    const id = await this.negotiations.resolveId(negotiation);
    const party = await findScoped(this.db.read, PartyEntity, id, partyId, 'Party');
    const current = toParty(party, await this.db.read.findBy(ActorEntity, { partyId: party.id }));
    const view = planView(query);
    if (!view) return current;
    const [then] = await this.versions.asOf(this.db.read, id, 'party', [current], view, party.id);
    if (!then) throw notFound('Party', partyId);
    return then;
  }

  async create(negotiation: string, input: PartyCreate, author: string): Promise<Party> {
    const negotiationId = await this.negotiations.resolveId(negotiation);
    return this.db.write((tx) => this.createIn(tx, negotiationId, input, author));
  }

  /** create inside a caller's transaction (the demo loader writes a whole negotiation in one). */
  async createIn(tx: Tx, negotiationId: string, input: PartyCreate, author: string, history: HistoryTimes = {}): Promise<Party> {
    const seq = await this.changes.nextSeq(tx, negotiationId);
    await this.checkCode(tx.manager, negotiationId, input.code);
    await requireRefs(tx.manager, PartyEntity, negotiationId, [{ field: 'parentId', id: input.parentId }], 'Party');
    const count = await tx.manager.countBy(PartyEntity, { negotiationId });
    const now = Date.now();
    const party: PartyEntity = {
      id: newId(),
      negotiationId,
      code: input.code,
      name: input.name,
      kind: input.kind ?? 'state',
      color: input.color ?? PALETTE[count % PALETTE.length],
      parentId: input.parentId ?? null,
      description: input.description ?? '',
      sortOrder: input.sortOrder ?? count,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await tx.manager.insert(PartyEntity, party);
    const actors = await this.syncActors(tx, party.id, input.actors ?? [], [], now);
    const view = toParty(party, actors);
    await this.changes.record(tx, { negotiationId, seq, kind: 'party.created', entityId: party.id, data: view, recordedAt: now, recordedBy: author });
    await this.versions.append(tx, {
      negotiationId,
      kind: 'party',
      entityId: party.id,
      seq,
      effectiveAt: history.effectiveAt ?? effectiveOf(input.effectiveAt, now),
      recordedAt: history.recordedAt ?? now,
      data: view,
    });
    return view;
  }

  async update(negotiation: string, partyId: string, patch: PartyPatch, author: string): Promise<Party> {
    const negotiationId = await this.negotiations.resolveId(negotiation);
    return this.db.write(async (tx) => {
      const seq = await this.changes.nextSeq(tx, negotiationId);
      const current = await findScoped(tx.manager, PartyEntity, negotiationId, partyId, 'Party');
      const currentActors = await tx.manager.findBy(ActorEntity, { partyId: current.id });
      const before = toParty(current, currentActors);
      checkVersion('Party', current.version, patch.expectedVersion, before);
      if (patch.code !== undefined && patch.code !== current.code) await this.checkCode(tx.manager, negotiationId, patch.code);
      if (patch.parentId) {
        await requireRefs(tx.manager, PartyEntity, negotiationId, [{ field: 'parentId', id: patch.parentId }], 'Party');
        await this.checkNoCycle(tx.manager, current.id, patch.parentId);
      }
      const now = Date.now();
      const next: PartyEntity = {
        ...current,
        code: patch.code ?? current.code,
        name: patch.name ?? current.name,
        kind: patch.kind ?? current.kind,
        color: patch.color ?? current.color,
        parentId: patch.parentId === undefined ? current.parentId : patch.parentId,
        description: patch.description ?? current.description,
        sortOrder: patch.sortOrder ?? current.sortOrder,
        version: current.version + 1,
        updatedAt: now,
      };
      const { id } = next;
      await tx.manager.update(PartyEntity, { id }, {
        code: next.code,
        name: next.name,
        kind: next.kind,
        color: next.color,
        parentId: next.parentId,
        description: next.description,
        sortOrder: next.sortOrder,
        version: next.version,
        updatedAt: now,
      });
      const actors = patch.actors ? await this.syncActors(tx, id, patch.actors, currentActors, now) : currentActors;
      const view = toParty(next, actors);
      await this.changes.record(tx, { negotiationId, seq, kind: 'party.updated', entityId: id, data: view, before, recordedAt: now, recordedBy: author });
      await this.versions.append(tx, { negotiationId, kind: 'party', entityId: id, seq, effectiveAt: effectiveOf(patch.effectiveAt, now), recordedAt: now, data: view });
      return view;
    });
  }

  private async checkCode(manager: EntityManager, negotiationId: string, code: string): Promise<void> {
    if (await manager.existsBy(PartyEntity, { negotiationId, code })) {
      throw conflict('CONFLICT', `code '${code}' is already used by another party of this negotiation`);
    }
  }

  private async checkNoCycle(manager: EntityManager, partyId: string, parentId: string): Promise<void> {
    for (let at: string | null = parentId, depth = 0; at && depth < 100; depth++) {
      if (at === partyId) throw badReference('parentId', 'a party cannot be its own ancestor');
      const row: PartyEntity | null = await manager.findOneBy(PartyEntity, { id: at });
      at = row?.parentId ?? null;
    }
  }

  /** Makes the party's active actors exactly `wanted`; actors left out are retired, never deleted. */
  private async syncActors(
    tx: Tx,
    partyId: string,
    wanted: NonNullable<PartyCreate['actors']>,
    existing: ActorEntity[],
    now: number,
  ): Promise<ActorEntity[]> {
    const byId = new Map(existing.map((a) => [a.id, a]));
    const result: ActorEntity[] = [];
    for (const [index, input] of wanted.entries()) {
      if (input.id) {
        const actor = byId.get(input.id);
        if (!actor) throw badReference(`actors.${index}.id`, `actor '${input.id}' does not belong to this party`);
        byId.delete(input.id);
        const updated: ActorEntity = { ...actor, name: input.name, role: input.role ?? actor.role, sortOrder: index, retiredAt: null };
        await tx.manager.update(ActorEntity, { id: actor.id }, { name: updated.name, role: updated.role, sortOrder: index, retiredAt: null });
        result.push(updated);
      } else {
        const actor: ActorEntity = { id: newId(), partyId, name: input.name, role: input.role ?? '', sortOrder: index, retiredAt: null };
        await tx.manager.insert(ActorEntity, actor);
        result.push(actor);
      }
    }
    for (const left of byId.values()) {
      const retiredAt = left.retiredAt ?? now;
      if (left.retiredAt === null) await tx.manager.update(ActorEntity, { id: left.id }, { retiredAt });
      result.push({ ...left, retiredAt, sortOrder: wanted.length + left.sortOrder });
    }
    return result;
  }
}
