import { Injectable } from '@nestjs/common';
import type { DumpParty, ImportProblem, ImportReport, NegotiationDump, Position } from '@parley/contracts';
import { cellKey, cellVersions, currentStances, parseInstant, type StanceFact } from '@parley/domain';
import { In, type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';
import { AuditLog } from '../audit/audit.service';
import { conflict } from '../common/app-error';
import { ChangeEntity } from '../changes/change.entity';
import { PlanVersionEntity } from '../changes/plan-version.entity';
import { Db } from '../database/db.service';
import { insertRows } from '../database/sql';
import { DocumentEntity, ProvisionEntity } from '../documents/document.entity';
import { changeCodec, documentCodec, milestoneCodec, negotiationCodec, partyCodec, planVersionCodec, pointCodec, retractionCodec, sourceArchiveCodec, sourceCodec, stanceEventCodec } from '../exports/dump/dump-codecs';
import { DumpWriter } from '../exports/dump/dump-writer';
import { MilestoneEntity } from '../milestones/milestone.entity';
import { NegotiationEntity } from '../negotiations/negotiation.entity';
import { ActorEntity, PartyEntity } from '../parties/party.entity';
import { PointEntity, PointLineageEntity } from '../points/point.entity';
import { SourceArchiveEntity } from '../sources/source-archive.entity';
import { SourceEntity } from '../sources/source.entity';
import { CurrentStanceEntity, StanceEventEntity, StanceRetractionEntity } from '../stances/stance.entities';
import { serializeParsed } from './dump-canonical';
import { checkDump } from './dump-check';
import { withPlanVersions, withSources } from './dump-upgrade';
import { importRefused } from './import-refused';

/**
 * The import of a negotiation dump, with its ids, sequence numbers and times. Re-importing a file
 * that is already here is recognised as no change: the file through the writer's serializer gives
 * the same bytes as the stored negotiation's dump.
 */
@Injectable()
export class DumpImporter {
  constructor(
    private readonly db: Db,
    private readonly writer: DumpWriter,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Checks a parsed dump and, unless dryRun, writes it in one transaction with its ids, sequence
   * numbers and times. A negotiation already here with the same content is left alone (re-importing
   * the same file changes nothing); one with a different history is refused with 409.
   */
  async import(file: NegotiationDump, dryRun: boolean, author: string): Promise<ImportReport> {
    // A dump from before sources were records gets them from its events' inline citations, and
    // one from before the plan had a history gets a version per point, party and document.
    const dump = withPlanVersions(withSources(file));
    const problems = checkDump(dump);
    const n = dump.negotiation;
    const counts = {
      negotiations: 1,
      parties: dump.parties.length,
      actors: dump.parties.reduce((sum, p) => sum + p.actors.length, 0),
      points: dump.points.length,
      documents: dump.documents.length,
      provisions: dump.documents.reduce((sum, d) => sum + d.provisions.length, 0),
      milestones: dump.milestones.length,
      sources: dump.sources?.length ?? 0,
      sourceArchives: dump.sourceArchives?.length ?? 0,
      stanceEvents: dump.stanceEvents.length,
      retractions: dump.retractions.length,
      changes: dump.changes.length,
    };
    const report = (unchanged: boolean, errors: ImportProblem[]): ImportReport => ({
      dryRun,
      kind: 'dump',
      negotiation: { id: n.id, slug: n.slug, title: n.title },
      counts: Object.fromEntries(
        Object.entries(counts).map(([k, c]) => [k, unchanged ? { created: 0, updated: 0, unchanged: c } : { created: c, updated: 0, unchanged: 0 }]),
      ),
      unchanged,
      errors,
    });
    if (problems.length > 0) {
      if (dryRun) return report(false, problems);
      throw importRefused(problems);
    }

    const existing = await this.db.read.findOneBy(NegotiationEntity, { id: n.id });
    if (existing) {
      if (await this.sameAsStored(dump)) return report(true, []);
      throw conflict(
        'CONFLICT',
        `Negotiation '${existing.slug}' (${n.id}) is already here with a different history (here: ${existing.seq} changes, in the file: ${n.seq}); nothing was imported`,
      );
    }
    const slugOwner = await this.db.read.findOneBy(NegotiationEntity, { slug: n.slug });
    if (slugOwner) throw conflict('CONFLICT', `The slug '${n.slug}' belongs to another negotiation here ('${slugOwner.title}'); nothing was imported`);
    if (dryRun) {
      await this.checkIdsFree(this.db.read, dump);
      return report(false, []);
    }
    // A real import checks the ids once, inside its transaction.

    await this.db.write(async (tx) => {
      await this.checkIdsFree(tx.manager, dump);
      await this.insertAll(tx.manager, dump);
      // The history keeps its own authors; the audit log says who brought it here.
      await this.audit.record(tx.manager, {
        actor: author,
        action: 'negotiation.imported',
        entityType: 'negotiation',
        entityId: n.id,
        negotiationId: n.id,
        after: { slug: n.slug, title: n.title, seq: n.seq, counts },
      });
    }, { weight: n.seq });
    return report(false, []);
  }

  private async sameAsStored(dump: NegotiationDump): Promise<boolean> {
    const stored: string[] = [];
    for await (const chunk of (await this.writer.open(dump.negotiation.id)).chunks) stored.push(chunk);
    const given: string[] = [];
    for await (const chunk of serializeParsed(dump)) given.push(chunk);
    return stored.join('') === given.join('');
  }

  /** Ids are global: a record id of the file already used here (in any negotiation) is refused. */
  private async checkIdsFree(m: EntityManager, dump: NegotiationDump): Promise<void> {
    const taken = async <E extends ObjectLiteral>(entity: EntityTarget<E>, ids: string[], what: string) => {
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        if (chunk.length === 0) continue;
        const found = await m.find(entity, { where: { id: In(chunk) } as never, take: 1 });
        if (found.length > 0) {
          throw conflict('CONFLICT', `${what} '${(found[0] as unknown as { id: string }).id}' of the file already exists here in another negotiation; nothing was imported`);
        }
      }
    };
    await taken(NegotiationEntity, [dump.negotiation.id], 'Negotiation');
    await taken(PartyEntity, dump.parties.map((p) => p.id), 'Party');
    await taken(ActorEntity, dump.parties.flatMap((p) => p.actors.map((a) => a.id)), 'Actor');
    await taken(PointEntity, dump.points.map((p) => p.id), 'Point');
    await taken(DocumentEntity, dump.documents.map((d) => d.id), 'Document');
    await taken(MilestoneEntity, dump.milestones.map((d) => d.id), 'Milestone');
    await taken(SourceEntity, (dump.sources ?? []).map((s) => s.id), 'Source');
    await taken(SourceArchiveEntity, (dump.sourceArchives ?? []).map((a) => a.id), 'Archived copy');
    await taken(StanceEventEntity, dump.stanceEvents.map((e) => e.id), 'Stance event');
    await taken(StanceRetractionEntity, dump.retractions.map((r) => r.id), 'Retraction');
    await taken(PlanVersionEntity, (dump.planVersions ?? []).map((v) => v.id), 'Plan version');
  }

  private async insertAll(m: EntityManager, dump: NegotiationDump): Promise<void> {
    const id = dump.negotiation.id;
    // Multi-row INSERTs built from the entity's column metadata (names, transformers): TypeORM's
    // insert builder spent more time escaping parameters than the database spent writing them.
    const insert = async <E extends ObjectLiteral>(entity: EntityTarget<E>, rows: E[]) => {
      if (rows.length === 0) return;
      const meta = m.connection.getMetadata(entity);
      const columns = meta.columns.filter((c) => rows.some((row) => row[c.propertyName] !== undefined));
      const values = rows.map((row) =>
        columns.map((c) => {
          const value: unknown = row[c.propertyName];
          const stored = c.transformer && !Array.isArray(c.transformer) ? (c.transformer.to(value) as unknown) : value;
          return stored === undefined ? null : stored;
        }),
      );
      await insertRows(m, meta.tableName, columns.map((c) => c.databaseName), values);
    };
    await insert(NegotiationEntity, [negotiationCodec.toRows(dump.negotiation)]);
    // Parents before children: parties in an order where every parent comes first.
    await insert(PartyEntity, parentsFirst(dump.parties).map((p) => partyCodec.toRows(p, id).party));
    await insert(ActorEntity, dump.parties.flatMap((p) => partyCodec.toRows(p, id).actors));
    const points = dump.points.map((p) => pointCodec.toRows(p, id));
    await insert(PointEntity, points.map((p) => p.point));
    await insert(PointLineageEntity, points.flatMap((p) => p.lineage));
    const documents = dump.documents.map((d) => documentCodec.toRows(d, id));
    await insert(DocumentEntity, documents.map((d) => d.document));
    await insert(ProvisionEntity, documents.flatMap((d) => d.provisions));
    await insert(MilestoneEntity, dump.milestones.map((ms) => milestoneCodec.toRows(ms, id)));
    await insert(SourceEntity, (dump.sources ?? []).map((x) => sourceCodec.toRows(x, id)));
    await insert(SourceArchiveEntity, (dump.sourceArchives ?? []).map((a) => sourceArchiveCodec.toRows(a, id)));
    await insert(StanceEventEntity, dump.stanceEvents.map((e) => stanceEventCodec.toRows(e, id)));
    await insert(StanceRetractionEntity, dump.retractions.map((r) => retractionCodec.toRows(r, id)));
    await insert(ChangeEntity, dump.changes.map((c) => changeCodec.toRows(c, id)));
    await insert(PlanVersionEntity, (dump.planVersions ?? []).map((v) => planVersionCodec.toRows(v, id)));
    await insert(CurrentStanceEntity, projection(dump).map((c) => ({ negotiationId: id, ...c })));
  }
}

/** The current-stance projection of a dump, rebuilt from its events as the write path would keep it. */
function projection(dump: NegotiationDump): { partyId: string; pointId: string; eventId: string | null; version: number }[] {
  const retractedAt = new Map(dump.retractions.map((r) => [r.eventId, parseInstant(r.recordedAt)]));
  const facts: StanceFact[] = dump.stanceEvents.map((e) => ({
    id: e.id,
    partyId: e.partyId,
    pointId: e.pointId,
    position: e.position as Position,
    effectiveAt: parseInstant(e.effectiveAt),
    recordedAt: parseInstant(e.recordedAt),
    seq: e.seq,
    retractedAt: retractedAt.get(e.id) ?? null,
  }));
  const current = currentStances(facts, {});
  const cells = new Map<string, { partyId: string; pointId: string }>();
  for (const f of facts) cells.set(cellKey(f.partyId, f.pointId), { partyId: f.partyId, pointId: f.pointId });
  const versions = cellVersions(facts);
  return [...cells].map(([key, c]) => ({ ...c, eventId: current.get(key)?.id ?? null, version: versions.get(key) ?? 0 }));
}

function parentsFirst(parties: DumpParty[]): DumpParty[] {
  const placed = new Set<string>();
  const out: DumpParty[] = [];
  let rest = parties;
  while (rest.length > 0) {
    const ready = rest.filter((p) => p.parentId === null || placed.has(p.parentId));
    if (ready.length === 0) return [...out, ...rest]; // a cycle: checkDump has refused it already
    for (const p of ready) {
      placed.add(p.id);
      out.push(p);
    }
    rest = rest.filter((p) => !placed.has(p.id));
  }
  return out;
}
