import { Injectable } from '@nestjs/common';
import { defaultSourceKind, type Source, type SourceCreate, type SourceDetail, type SourcePatch } from '@parley/contracts';
import { parseInstant } from '@parley/domain';
import { Not, type EntityManager } from 'typeorm';
import { badReference, conflict } from '../common/app-error';
import { newOrderedId } from '../common/ids';
import { checkVersion, findScoped } from '../common/scoped';
import { ChangeLog } from '../changes/change-log.service';
import { Db, type Tx } from '../database/db.service';
import { num, sql } from '../database/sql';
import { NegotiationsService } from '../negotiations/negotiations.service';
import { latestArchives } from './archive-meta';
import { SourceEntity } from './source.entity';
import { toSource } from './source.mapper';

/**
 * A negotiation's sources: created here or by a stance write that cites one inline
 * (stances/stance-writer.ts), then corrected here. Never deleted: stances cite them, and what a
 * negotiation holds is only ever added to (the stance write caches known ids on that promise).
 */
@Injectable()
export class SourcesService {
  constructor(
    private readonly db: Db,
    private readonly changes: ChangeLog,
    private readonly negotiations: NegotiationsService,
  ) {}

  /** Every source of the negotiation, each with how many stance events cite it (counted on the events' source index). */
  async list(negotiation: string): Promise<SourceDetail[]> {
    const negotiationId = await this.negotiations.resolveId(negotiation);
    const [rows, archives, counts] = await Promise.all([
      this.db.read.find(SourceEntity, { where: { negotiationId }, order: { createdAt: 'ASC', id: 'ASC' } }),
      latestArchives(this.db.read, negotiationId),
      sql<{ id: string; n: number | string }>(
        this.db.read,
        'SELECT s.id AS id, (SELECT COUNT(*) FROM stance_events e WHERE e.source_id = s.id) AS n FROM sources s WHERE s.negotiation_id = ?',
        [negotiationId],
      ),
    ]);
    const citedBy = new Map(counts.rows.map((r) => [r.id, num(r.n)]));
    return rows.map((s) => ({ ...toSource(s, archives.get(s.id) ?? null), citedBy: citedBy.get(s.id) ?? 0 }));
  }

  async get(negotiation: string, sourceId: string): Promise<SourceDetail> {
    const negotiationId = await this.negotiations.resolveId(negotiation);
    const source = await findScoped(this.db.read, SourceEntity, negotiationId, sourceId, 'Source');
    const [{ rows }, archives] = await Promise.all([
      sql<{ n: number | string }>(this.db.read, 'SELECT COUNT(*) AS n FROM stance_events WHERE source_id = ?', [source.id]),
      latestArchives(this.db.read, negotiationId, source.id),
    ]);
    return { ...toSource(source, archives.get(source.id) ?? null), citedBy: num(rows[0]?.n ?? 0) };
  }

  async create(negotiation: string, input: SourceCreate, author: string): Promise<Source> {
    const negotiationId = await this.negotiations.resolveId(negotiation);
    return this.db.write(async (tx) => {
      const seq = await this.changes.nextSeq(tx, negotiationId);
      if (input.url !== undefined) await this.refuseTakenUrl(tx.manager, negotiationId, input.url, null);
      const now = Date.now();
      const source: SourceEntity = {
        id: newOrderedId(now),
        negotiationId,
        kind: input.kind ?? defaultSourceKind(input.outlet),
        outlet: input.outlet ?? null,
        title: input.title ?? null,
        url: input.url ?? null,
        publishedAt: input.publishedAt ? parseInstant(input.publishedAt) : null,
        language: input.language ?? null,
        description: input.description ?? null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      await tx.manager.insert(SourceEntity, source);
      const view = toSource(source);
      await this.changes.record(tx, { negotiationId, seq, kind: 'source.created', entityId: source.id, data: view, recordedAt: now, recordedBy: author });
      return view;
    });
  }

  async update(negotiation: string, sourceId: string, patch: SourcePatch, author: string): Promise<Source> {
    const negotiationId = await this.negotiations.resolveId(negotiation);
    return this.db.write(async (tx: Tx) => {
      const seq = await this.changes.nextSeq(tx, negotiationId);
      const current = await findScoped(tx.manager, SourceEntity, negotiationId, sourceId, 'Source');
      const archive = (await latestArchives(tx.manager, negotiationId, current.id)).get(current.id) ?? null;
      const before = toSource(current, archive);
      checkVersion('Source', current.version, patch.expectedVersion, before);
      const pick = <T>(value: T | undefined, was: T): T => (value === undefined ? was : value);
      const now = Date.now();
      const next: SourceEntity = {
        ...current,
        kind: patch.kind ?? current.kind,
        outlet: pick(patch.outlet, current.outlet),
        title: pick(patch.title, current.title),
        url: pick(patch.url, current.url),
        publishedAt: patch.publishedAt === undefined ? current.publishedAt : patch.publishedAt === null ? null : parseInstant(patch.publishedAt),
        language: pick(patch.language, current.language),
        description: pick(patch.description, current.description),
        version: current.version + 1,
        updatedAt: now,
      };
      if ([next.url, next.outlet, next.title, next.description, next.publishedAt].every((v) => v === null)) {
        throw badReference('source', 'would name nothing: keep at least a url, an outlet, a title, a description or a publication date');
      }
      if (next.url !== null && next.url !== current.url) await this.refuseTakenUrl(tx.manager, negotiationId, next.url, current.id);
      const { id, negotiationId: _n, createdAt: _c, ...fields } = next;
      await tx.manager.update(SourceEntity, { id }, fields);
      const view = toSource(next, archive);
      await this.changes.record(tx, { negotiationId, seq, kind: 'source.updated', entityId: id, data: view, before, recordedAt: now, recordedBy: author });
      return view;
    });
  }

  /** One source per URL in a negotiation: another with the same URL is a 409 carrying it. */
  private async refuseTakenUrl(manager: EntityManager, negotiationId: string, url: string, except: string | null): Promise<void> {
    const taken = await manager.findOne(SourceEntity, { where: except ? { negotiationId, url, id: Not(except) } : { negotiationId, url }, order: { createdAt: 'ASC' } });
    if (taken) throw conflict('CONFLICT', `Source '${taken.id}' of this negotiation has this URL already; cite it instead`, toSource(taken));
  }
}
