import { Injectable } from '@nestjs/common';
import type { AuditEntry, AuditPage, AuditQuery } from '@parley/contracts';
import { parseSince, toIso } from '@parley/domain';
import type { EntityManager } from 'typeorm';
import { invalid } from '../common/app-error';
import { newOrderedId } from '../common/ids';
import { Db } from '../database/db.service';
import { AuditEntity } from './audit.entity';

/** Entries per page when the query does not say. */
const DEFAULT_PAGE = 200;

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

  /**
   * Newest first, in pages: the order is (at, id), so entries recorded at the same instant keep one
   * order and a page that ends among them is continued exactly after its last entry (`before`).
   */
  async list(query: AuditQuery): Promise<AuditPage> {
    const limit = query.limit ?? DEFAULT_PAGE;
    const qb = this.db.read.createQueryBuilder(AuditEntity, 'a').orderBy('a.at', 'DESC').addOrderBy('a.id', 'DESC').limit(limit + 1);
    if (query.before) {
      const cursor = await this.db.read.findOne(AuditEntity, { select: { id: true, at: true }, where: { id: query.before } });
      if (!cursor) throw invalid([{ field: 'query.before', message: 'is not the id of an audit entry (pass nextBefore of the previous page)' }]);
      // "at <=" first, so the index on at bounds the scan.
      qb.andWhere('(a.at <= :beforeAt AND (a.at < :beforeAt OR a.id < :beforeId))', { beforeAt: cursor.at, beforeId: cursor.id });
    }
    if (query.since) qb.andWhere('a.at > :since', { since: parseSince(query.since) });
    if (query.negotiationId) qb.andWhere('a.negotiation_id = :n', { n: query.negotiationId });
    if (query.actor) qb.andWhere('a.actor = :actor', { actor: query.actor });
    const rows = await qb.getMany();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { items: page.map(toAuditEntry), nextBefore: rows.length > limit && last ? last.id : null };
  }
}

function toAuditEntry(r: AuditEntity): AuditEntry {
  return {
    id: r.id,
    at: toIso(r.at),
    actor: r.actor,
    action: r.action,
    entityType: r.entityType,
    entityId: r.entityId,
    negotiationId: r.negotiationId,
    before: r.before ?? null,
    after: r.after ?? null,
  };
}
