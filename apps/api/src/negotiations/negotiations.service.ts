import { Injectable } from '@nestjs/common';
import { Code, type Negotiation, type NegotiationCreate, type NegotiationPatch } from '@parley/contracts';
import type { EntityManager } from 'typeorm';
import { conflict, notFound } from '../common/app-error';
import { isUuid, newId, slugify } from '../common/ids';
import { ChangeLog } from '../changes/change-log.service';
import { Db, type Tx } from '../database/db.service';
import { NegotiationEntity } from './negotiation.entity';
import { toNegotiation } from './negotiation.mapper';

@Injectable()
export class NegotiationsService {
  private readonly ids = new Map<string, string>();

  constructor(
    private readonly db: Db,
    private readonly changes: ChangeLog,
  ) {}

  async list(): Promise<Negotiation[]> {
    const rows = await this.db.read.find(NegotiationEntity, { order: { createdAt: 'ASC' } });
    return rows.map(toNegotiation);
  }

  /**
   * The id of a negotiation named by id or slug. Both never change and negotiations are never
   * deleted, so a found answer is kept: writes skip a lookup.
   */
  async resolveId(idOrSlug: string): Promise<string> {
    const known = this.ids.get(idOrSlug);
    if (known) return known;
    const { id, slug } = await this.resolve(idOrSlug);
    this.ids.set(id, id);
    this.ids.set(slug, id);
    return id;
  }

  /** Finds a negotiation by id or by slug (what cannot be a slug is not looked up: it may not even be storable). */
  async resolve(idOrSlug: string, manager: EntityManager = this.db.read): Promise<NegotiationEntity> {
    const found = isUuid(idOrSlug)
      ? await manager.findOneBy(NegotiationEntity, { id: idOrSlug })
      : Code.safeParse(idOrSlug).success
        ? await manager.findOneBy(NegotiationEntity, { slug: idOrSlug })
        : null;
    if (!found) throw notFound('Negotiation', idOrSlug);
    return found;
  }

  async get(idOrSlug: string): Promise<Negotiation> {
    return toNegotiation(await this.resolve(idOrSlug));
  }

  async create(input: NegotiationCreate, author: string): Promise<Negotiation> {
    return this.db.write((tx) => this.createIn(tx, input, author));
  }

  /** create inside a caller's transaction (the demo loader writes a whole negotiation in one). */
  async createIn(tx: Tx, input: NegotiationCreate, author: string): Promise<Negotiation> {
    const slug = await this.freeSlug(tx.manager, input.slug, input.title);
    const now = Date.now();
    const entity: NegotiationEntity = {
      id: newId(),
      slug,
      title: input.title,
      description: input.description ?? '',
      status: input.status ?? 'active',
      reviewPolicy: input.reviewPolicy ?? 'off',
      requireExpectedVersion: input.requireExpectedVersion ?? false,
      seq: 0,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await tx.manager.insert(NegotiationEntity, entity);
    const seq = await this.changes.nextSeq(tx, entity.id);
    const created = { ...entity, seq };
    await this.changes.record(tx, {
      negotiationId: entity.id,
      seq,
      kind: 'negotiation.created',
      entityId: entity.id,
      data: toNegotiation(created),
      recordedAt: now,
      recordedBy: author,
    });
    return toNegotiation(created);
  }

  async update(idOrSlug: string, patch: NegotiationPatch, author: string): Promise<Negotiation> {
    const id = await this.resolveId(idOrSlug);
    return this.db.write(async (tx) => {
      const seq = await this.changes.nextSeq(tx, id);
      const current = await this.resolve(id, tx.manager);
      const before = toNegotiation({ ...current, seq: seq - 1 });
      if (patch.expectedVersion !== undefined && patch.expectedVersion !== current.version) {
        throw conflict('VERSION_CONFLICT', `Negotiation was changed by someone else (version ${current.version}, you expected ${patch.expectedVersion})`, before);
      }
      const now = Date.now();
      const next: NegotiationEntity = {
        ...current,
        title: patch.title ?? current.title,
        description: patch.description ?? current.description,
        status: patch.status ?? current.status,
        reviewPolicy: patch.reviewPolicy ?? current.reviewPolicy,
        requireExpectedVersion: patch.requireExpectedVersion ?? current.requireExpectedVersion,
        version: current.version + 1,
        updatedAt: now,
        seq,
      };
      await tx.manager.update(NegotiationEntity, { id }, {
        title: next.title,
        description: next.description,
        status: next.status,
        reviewPolicy: next.reviewPolicy,
        requireExpectedVersion: next.requireExpectedVersion,
        version: next.version,
        updatedAt: now,
      });
      const after = toNegotiation(next);
      await this.changes.record(tx, {
        negotiationId: id,
        seq,
        kind: 'negotiation.updated',
        entityId: id,
        data: after,
        before,
        recordedAt: now,
        recordedBy: author,
      });
      return after;
    });
  }

  private async freeSlug(manager: EntityManager, wanted: string | undefined, title: string): Promise<string> {
    if (wanted) {
      if (isUuid(wanted)) throw conflict('CONFLICT', `slug '${wanted}' looks like an id; choose another`);
      const taken = await manager.existsBy(NegotiationEntity, { slug: wanted });
      if (taken) throw conflict('CONFLICT', `slug '${wanted}' is already used by another negotiation`);
      return wanted;
    }
    const base = slugify(title, 34);
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? base : `${base}-${n}`;
      if (!(await manager.existsBy(NegotiationEntity, { slug: candidate }))) return candidate;
    }
  }
}
