import { Injectable } from '@nestjs/common';
import type { AuditEntry, AuditQuery } from '@parley/contracts';
import { parseBound, toIso } from '@parley/domain';
import type { EntityManager } from 'typeorm';
import { newOrderedId } from '../common/ids';
import { Db } from '../database/db.service';
import { AuditEntity } from './audit.entity';

export interface AuditInput {
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  negotiationId?: string | null;
  before?: unknown;
  after?: unknown;
  at?: number;
}

/** Writes audit entries inside the caller's transaction, so an entry exists exactly when its change does. */
@Injectable()
export class AuditLog {
  constructor(private readonly db: Db) {}

  async record(manager: EntityManager, input: AuditInput): Promise<void> {
    const at = input.at ?? Date.now();
    const row: AuditEntity = {
      id: newOrderedId(at),
      at,
      actor: input.actor,
      action: input.action,
      entityType: input.entityType,
      entityId: input.entityId,
      negotiationId: input.negotiationId ?? null,
      before: input.before ?? null,
      after: input.after ?? null,
    };
    await manager.insert(AuditEntity, row as never);
  }

  async list(query: AuditQuery): Promise<AuditEntry[]> {
    const qb = this.db.read.createQueryBuilder(AuditEntity, 'a').orderBy('a.at', 'DESC').addOrderBy('a.id', 'DESC').take(query.limit ?? 200);
    if (query.since) qb.andWhere('a.at > :since', { since: parseBound(query.since) });
    if (query.negotiationId) qb.andWhere('a.negotiation_id = :n', { n: query.negotiationId });
    if (query.actor) qb.andWhere('a.actor = :actor', { actor: query.actor });
    const rows = await qb.getMany();
    return rows.map((r) => ({
      id: r.id,
      at: toIso(r.at),
      actor: r.actor,
      action: r.action,
      entityType: r.entityType,
      entityId: r.entityId,
      negotiationId: r.negotiationId,
      before: r.before ?? null,
      after: r.after ?? null,
    }));
  }
}
