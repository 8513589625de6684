import { Injectable } from '@nestjs/common';
import {
  DUMP_FORMAT,
  DUMP_VERSION,
  type DumpChange,
  type DumpDocument,
  type DumpEvent,
  type DumpMilestone,
  type DumpParty,
  type DumpPoint,
  type DumpRetraction,
  type ImportProblem,
  type ImportReport,
  type NegotiationDump,
  type Position,
  type RecordStanceResult,
  type StanceEvent,
} from '@parley/contracts';
import { cellKey, cellVersions, currentStances, parseInstant, toIso, toIsoOrNull, type StanceFact } from '@parley/domain';
import { In, type EntityManager, type ObjectLiteral, type EntityTarget } from 'typeorm';
import { AuditLog } from '../audit/audit.service';
import { AppError, conflict } from '../common/app-error';
import { ChangeEntity } from '../changes/change.entity';
import { rebuildRecorded, storedForm } from '../stances/stored-change';
import { Db } from '../database/db.service';
import { insertRows, num, numOrNull, sql } from '../database/sql';
import { DocumentEntity, ProvisionEntity } from '../documents/document.entity';
import { MilestoneEntity } from '../milestones/milestone.entity';
import { NegotiationEntity } from '../negotiations/negotiation.entity';
import { NegotiationsService } from '../negotiations/negotiations.service';
import { ActorEntity, PartyEntity } from '../parties/party.entity';
import { PointEntity, PointLineageEntity } from '../points/point.entity';
import { buildStanceEvent } from '../stances/stance.mapper';
import { CurrentStanceEntity, StanceEventEntity, StanceRetractionEntity } from '../stances/stance.entities';
import { EVENT_PAGE } from './exports.service';

/** A change-log entry as the dump writes it: its data kept as the JSON text stored. */
interface ChangeLine {
  seq: number;
  kind: string;
  entityId: string;
  recordedAt: string;
  recordedBy: string;
  data: string;
  before: string | null;
}

/** What the dump holds besides the three long streams. */
type DumpHead = Omit<NegotiationDump, 'stanceEvents' | 'retractions' | 'changes'>;

const MAX_SNAPSHOT_TRIES = 5;

/**
 * The complete, versioned JSON dump of a negotiation and its import. The same serializer writes a
 * dump from the database and from a parsed file, so "import, then export again" can be checked for
 * byte equality, and re-importing a file that is already here is recognised as no change.
 */
@Injectable()
export class DumpService {
  constructor(
    private readonly db: Db,
    private readonly negotiations: NegotiationsService,
    private readonly audit: AuditLog,
  ) {}

  /**
   * The dump as text chunks, streamed: memory stays bounded whatever the history's length. The
   * negotiation is resolved (and a missing one refused) before the first chunk.
   */
  async open(negotiation: string): Promise<{ slug: string; seq: number; chunks: AsyncGenerator<string> }> {
    const { head, seq } = await this.snapshot(negotiation);
    const id = head.negotiation.id;
    return { slug: head.negotiation.slug, seq, chunks: serialize(head, this.eventLines(id, seq), this.retractionLines(id, seq), this.changeLines(id, seq)) };
  }

  /**
   * Reads the negotiation's records consistently with its change counter: every change bumps the
   * counter in the same transaction, so records read between two equal readings of it are the
   * state at that sequence number. The three streams are then cut at that number.
   */
  private async snapshot(negotiation: string): Promise<{ head: DumpHead; seq: number }> {
    const m = this.db.read;
    for (let attempt = 0; ; attempt++) {
      const n = await this.negotiations.resolve(negotiation, m);
      const head = await readHead(m, n);
      const again = await this.negotiations.resolve(n.id, m);
      if (again.seq === n.seq || attempt >= MAX_SNAPSHOT_TRIES) {
        if (again.seq !== n.seq) throw new AppError(503, 'UNAVAILABLE', 'The negotiation is changing too fast to take a consistent dump; try again');
        return { head, seq: n.seq };
      }
    }
  }

  private async *eventLines(negotiationId: string, upToSeq: number): AsyncGenerator<DumpEvent> {
    let after = 0;
    for (;;) {
      const rows = await this.db.read
        .createQueryBuilder(StanceEventEntity, 'e')
        .where('e.negotiation_id = :negotiationId AND e.seq > :after AND e.seq <= :upToSeq', { negotiationId, after, upToSeq })
        .orderBy('e.seq', 'ASC')
        .limit(EVENT_PAGE)
        .getMany();
      for (const e of rows) yield dumpEvent(e);
      if (rows.length < EVENT_PAGE) return;
      after = rows[rows.length - 1].seq;
    }
  }

  private async *retractionLines(negotiationId: string, upToSeq: number): AsyncGenerator<DumpRetraction> {
    let after = 0;
    for (;;) {
      const rows = await this.db.read
        .createQueryBuilder(StanceRetractionEntity, 'r')
        .where('r.negotiation_id = :negotiationId AND r.seq > :after AND r.seq <= :upToSeq', { negotiationId, after, upToSeq })
        .orderBy('r.seq', 'ASC')
        .limit(EVENT_PAGE)
        .getMany();
      for (const r of rows) {
        yield { id: r.id, eventId: r.eventId, seq: r.seq, reason: r.reason, recordedAt: toIso(r.recordedAt), recordedBy: r.recordedBy };
      }
      if (rows.length < EVENT_PAGE) return;
      after = rows[rows.length - 1].seq;
    }
  }

  private async *changeLines(negotiationId: string, upToSeq: number): AsyncGenerator<ChangeLine> {
    let after = 0;
    for (;;) {
      // Raw rows: the stored JSON text goes into the dump as it is, without a parse and re-serialize.
      const { rows } = await sql<{ seq: number | string; kind: string; entity_id: string; data: string; before: string | null; recorded_at: number | string; recorded_by: string }>(
        this.db.read,
        `SELECT seq, kind, entity_id, data, before, recorded_at, recorded_by FROM change_log
          WHERE negotiation_id = ? AND seq > ? AND seq <= ? ORDER BY seq ASC LIMIT ?`,
        [negotiationId, after, upToSeq, EVENT_PAGE],
      );
      // A recorded stance is stored as references to its events: its published data is rebuilt.
      const rebuilt = await rebuildRecorded(
        this.db.read,
        rows.map((r) => ({ seq: num(r.seq), kind: r.kind, entityId: r.entity_id, data: r.data })),
      );
      for (const r of rows) {
        const data = rebuilt.get(num(r.seq));
        yield { seq: num(r.seq), kind: r.kind, entityId: r.entity_id, recordedAt: toIso(num(r.recorded_at)), recordedBy: r.recorded_by, data: data ? JSON.stringify(data) : r.data, before: r.before };
      }
      if (rows.length < EVENT_PAGE) return;
      after = num(rows[rows.length - 1].seq);
    }
  }

  /**
   * Checks a parsed dump and, unless dryRun, writes it in one transaction with its ids, sequence
   * numbers and times. A negotiation already here with the same content is left alone (re-importing
   * the same file changes nothing); one with a different history is refused with 409.
   */
  async import(dump: NegotiationDump, dryRun: boolean, author: string): Promise<ImportReport> {
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
    for await (const chunk of (await this.open(dump.negotiation.id)).chunks) stored.push(chunk);
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
    await taken(StanceEventEntity, dump.stanceEvents.map((e) => e.id), 'Stance event');
    await taken(StanceRetractionEntity, dump.retractions.map((r) => r.id), 'Retraction');
  }

  private async insertAll(m: EntityManager, dump: NegotiationDump): Promise<void> {
    const n = dump.negotiation;
    const at = parseInstant;
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
    await insert(NegotiationEntity, [
      { id: n.id, slug: n.slug, title: n.title, description: n.description, status: n.status, seq: n.seq, version: n.version, createdAt: at(n.createdAt), updatedAt: at(n.updatedAt) },
    ]);
    // Parents before children: parties in an order where every parent comes first.
    await insert(PartyEntity, parentsFirst(dump.parties).map((p) => ({
      id: p.id, negotiationId: n.id, code: p.code, name: p.name, kind: p.kind, color: p.color, parentId: p.parentId,
      description: p.description, sortOrder: p.sortOrder, version: p.version, createdAt: at(p.createdAt), updatedAt: at(p.updatedAt),
    })));
    await insert(ActorEntity, dump.parties.flatMap((p) => p.actors.map((a) => ({
      id: a.id, partyId: p.id, name: a.name, role: a.role, sortOrder: a.sortOrder, retiredAt: a.retiredAt === null ? null : at(a.retiredAt),
    }))));
    await insert(PointEntity, dump.points.map((p) => ({
      id: p.id, negotiationId: n.id, code: p.code, title: p.title, category: p.category, description: p.description,
      sortOrder: p.sortOrder, version: p.version, createdAt: at(p.createdAt), updatedAt: at(p.updatedAt),
    })));
    await insert(PointLineageEntity, dump.points.flatMap((p) => p.derivedFrom.map((d) => ({ pointId: p.id, derivedFromId: d.pointId, kind: d.kind }))));
    await insert(DocumentEntity, dump.documents.map((d) => ({
      id: d.id, negotiationId: n.id, title: d.title, shortTitle: d.shortTitle, authorPartyId: d.authorPartyId, publishedAt: at(d.publishedAt),
      publishedPrecision: d.publishedPrecision, description: d.description, sourceUrl: d.sourceUrl, version: d.version,
      createdAt: at(d.createdAt), updatedAt: at(d.updatedAt),
    })));
    await insert(ProvisionEntity, dump.documents.flatMap((d) => d.provisions.map((p) => ({ documentId: d.id, pointId: p.pointId, number: p.number, text: p.text, sortOrder: p.sortOrder }))));
    await insert(MilestoneEntity, dump.milestones.map((ms) => ({
      id: ms.id, negotiationId: n.id, title: ms.title, kind: ms.kind, startsAt: at(ms.startsAt), startsPrecision: ms.startsPrecision,
      endsAt: ms.endsAt === null ? null : at(ms.endsAt), description: ms.description, sourceUrl: ms.sourceUrl, partyIds: ms.partyIds,
      version: ms.version, createdAt: at(ms.createdAt), updatedAt: at(ms.updatedAt),
    })));
    await insert(StanceEventEntity, dump.stanceEvents.map((e) => ({
      id: e.id, negotiationId: n.id, seq: e.seq, partyId: e.partyId, pointId: e.pointId, position: e.position, confidence: e.confidence,
      effectiveAt: at(e.effectiveAt), effectivePrecision: e.effectivePrecision, recordedAt: at(e.recordedAt), recordedBy: e.recordedBy,
      conditionsText: e.conditions.text, conditionPointIds: e.conditions.pointIds, note: e.note, quote: e.quote, actorId: e.actorId,
      sourceUrl: e.source.url, sourceOutlet: e.source.outlet, sourceTitle: e.source.title,
      sourcePublishedAt: e.source.publishedAt === null ? null : at(e.source.publishedAt), documentId: e.documentId, milestoneId: e.milestoneId,
    })));
    await insert(StanceRetractionEntity, dump.retractions.map((r) => ({
      id: r.id, negotiationId: n.id, eventId: r.eventId, seq: r.seq, reason: r.reason, recordedAt: at(r.recordedAt), recordedBy: r.recordedBy,
    })));
    await insert(ChangeEntity, dump.changes.map((c) => ({
      negotiationId: n.id, seq: c.seq, kind: c.kind, entityId: c.entityId, data: storedForm(c.kind, c.data), before: c.before ?? null,
      recordedAt: at(c.recordedAt), recordedBy: c.recordedBy,
    })));
    await insert(CurrentStanceEntity, projection(dump).map((c) => ({ negotiationId: n.id, ...c })));
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

export function importRefused(problems: ImportProblem[]): AppError {
  const shown = problems.slice(0, 20);
  const more = problems.length > shown.length ? `; and ${problems.length - shown.length} more` : '';
  return new AppError(
    400,
    'VALIDATION_FAILED',
    `Import refused, nothing was imported: ${shown.map((p) => `${p.field}: ${p.message}`).join('; ')}${more}`,
    problems.slice(0, 1_000).map((p) => ({ field: p.field, message: p.message })),
  );
}

/**
 * The rules a dump must keep beyond its schema: every reference resolves inside the file, ids are
 * unique, and the sequence numbers are those of a real history (the change log numbered 1..seq
 * without gaps, each event and retraction at the number of its change).
 */
export function checkDump(dump: NegotiationDump): ImportProblem[] {
  const problems: ImportProblem[] = [];
  const add = (field: string, message: string, row?: number) => {
    if (problems.length < 1_000) problems.push(row === undefined ? { field, message } : { field, message, row });
  };
  const unique = <T extends { id: string }>(items: T[], path: string) => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (seen.has(item.id)) add(`${path}.${i}.id`, `duplicate id '${item.id}'`, i);
      seen.add(item.id);
    });
    return seen;
  };
  const parties = unique(dump.parties, 'parties');
  const actors = new Map<string, string>();
  dump.parties.forEach((p, i) => {
    p.actors.forEach((a, j) => {
      if (actors.has(a.id)) add(`parties.${i}.actors.${j}.id`, `duplicate id '${a.id}'`, i);
      actors.set(a.id, p.id);
    });
    if (p.parentId !== null && !parties.has(p.parentId)) add(`parties.${i}.parentId`, `party '${p.parentId}' is not in the file`, i);
  });
  const byId = new Map(dump.parties.map((p) => [p.id, p]));
  dump.parties.forEach((p, i) => {
    const seen = new Set<string>();
    for (let at: string | null = p.id; at !== null; at = byId.get(at)?.parentId ?? null) {
      if (seen.has(at)) {
        add(`parties.${i}.parentId`, 'the parent chain loops back to this party', i);
        break;
      }
      seen.add(at);
    }
  });
  codesUnique(dump.parties, 'parties', add);
  codesUnique(dump.points, 'points', add);
  const points = unique(dump.points, 'points');
  dump.points.forEach((p, i) =>
    p.derivedFrom.forEach((d, j) => {
      if (!points.has(d.pointId)) add(`points.${i}.derivedFrom.${j}.pointId`, `point '${d.pointId}' is not in the file`, i);
    }),
  );
  const documents = unique(dump.documents, 'documents');
  dump.documents.forEach((d, i) => {
    if (d.authorPartyId !== null && !parties.has(d.authorPartyId)) add(`documents.${i}.authorPartyId`, `party '${d.authorPartyId}' is not in the file`, i);
    d.provisions.forEach((p, j) => {
      if (!points.has(p.pointId)) add(`documents.${i}.provisions.${j}.pointId`, `point '${p.pointId}' is not in the file`, i);
    });
  });
  const milestones = unique(dump.milestones, 'milestones');
  dump.milestones.forEach((ms, i) =>
    ms.partyIds.forEach((id, j) => {
      if (!parties.has(id)) add(`milestones.${i}.partyIds.${j}`, `party '${id}' is not in the file`, i);
    }),
  );

  const changeAt = new Map<number, DumpChange>();
  dump.changes.forEach((c, i) => {
    if (c.seq !== i + 1) add(`changes.${i}.seq`, `must be ${i + 1}: the change log is numbered 1, 2, 3… without gaps`, i);
    // Live clients replay these entries and read `data` as the kind's payload (ChangePayloads).
    if (!payloadNamesEntity(c)) add(`changes.${i}.data`, `must be the ${c.kind} payload of '${c.entityId}' (${c.kind.startsWith('stance.') ? 'event and cell' : 'the entity with that id'})`, i);
    changeAt.set(c.seq, c);
  });
  if (dump.changes.length !== dump.negotiation.seq) {
    add('negotiation.seq', `is ${dump.negotiation.seq} but the file has ${dump.changes.length} changes`);
  }
  const events = unique(dump.stanceEvents, 'stanceEvents');
  dump.stanceEvents.forEach((e, i) => {
    const f = `stanceEvents.${i}`;
    if (!parties.has(e.partyId)) add(`${f}.partyId`, `party '${e.partyId}' is not in the file`, i);
    if (!points.has(e.pointId)) add(`${f}.pointId`, `point '${e.pointId}' is not in the file`, i);
    if (e.actorId !== null && actors.get(e.actorId) !== e.partyId) add(`${f}.actorId`, `actor '${e.actorId}' is not an actor of party '${e.partyId}' in the file`, i);
    if (e.documentId !== null && !documents.has(e.documentId)) add(`${f}.documentId`, `document '${e.documentId}' is not in the file`, i);
    if (e.milestoneId !== null && !milestones.has(e.milestoneId)) add(`${f}.milestoneId`, `milestone '${e.milestoneId}' is not in the file`, i);
    e.conditions.pointIds.forEach((id, j) => {
      if (!points.has(id)) add(`${f}.conditions.pointIds.${j}`, `point '${id}' is not in the file`, i);
    });
    const c = changeAt.get(e.seq);
    if (!c || c.kind !== 'stance.recorded' || c.entityId !== e.id) add(`${f}.seq`, `change ${e.seq} is not the recording of this event`, i);
  });
  const retracted = new Set<string>();
  dump.retractions.forEach((r, i) => {
    const f = `retractions.${i}`;
    if (!events.has(r.eventId)) add(`${f}.eventId`, `stance event '${r.eventId}' is not in the file`, i);
    if (retracted.has(r.eventId)) add(`${f}.eventId`, `stance event '${r.eventId}' is retracted twice`, i);
    retracted.add(r.eventId);
    const c = changeAt.get(r.seq);
    if (!c || c.kind !== 'stance.retracted' || c.entityId !== r.eventId) add(`${f}.seq`, `change ${r.seq} is not this retraction`, i);
  });
  // A recorded stance's change is kept as references to its events (stored-change.ts): what it
  // names must be in the file, and its copies of the events are rebuilt from stanceEvents.
  const eventById = new Map(dump.stanceEvents.map((e) => [e.id, e]));
  dump.changes.forEach((c, i) => {
    if (c.kind !== 'stance.recorded') return;
    const f = `changes.${i}.data`;
    const event = eventById.get(c.entityId);
    if (!event || event.seq !== c.seq) add(`changes.${i}.entityId`, `stance event '${c.entityId}' with seq ${c.seq} is not in the file`, i);
    const cell = recordedCell(c.data);
    if (!cell) {
      add(f, 'must be the recorded event and its cell ({ event, cell: { version, current } })', i);
      return;
    }
    if (cell.eventId !== c.entityId) add(`${f}.event.id`, `must be the change's entityId '${c.entityId}'`, i);
    if (cell.currentId !== null) {
      const current = eventById.get(cell.currentId);
      if (!current || current.seq > c.seq) add(`${f}.cell.current.id`, `stance event '${cell.currentId}' is not in the file before change ${c.seq}`, i);
    }
  });
  return problems;
}

/** The references in a recorded stance's change data, or null when it does not have that shape. */
function recordedCell(data: unknown): { eventId: string; version: number; currentId: string | null } | null {
  const d = data as { event?: { id?: unknown }; cell?: { version?: unknown; current?: { id?: unknown } | null } } | null;
  if (typeof d !== 'object' || d === null || typeof d.event?.id !== 'string' || typeof d.cell !== 'object' || d.cell === null) return null;
  const { version, current } = d.cell;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) return null;
  if (current !== null && (typeof current !== 'object' || typeof current?.id !== 'string')) return null;
  return { eventId: d.event.id, version, currentId: current === null ? null : (current.id as string) };
}

/** A file's stance event in the API's shape, as the database rebuilds it (no retraction). */
function eventView(e: DumpEvent, negotiationId: string): StanceEvent {
  return buildStanceEvent({
    id: e.id, negotiationId, seq: e.seq, partyId: e.partyId, pointId: e.pointId, position: e.position, confidence: e.confidence,
    effectiveAt: parseInstant(e.effectiveAt), effectivePrecision: e.effectivePrecision, recordedAt: parseInstant(e.recordedAt),
    recordedBy: e.recordedBy, conditionsText: e.conditions.text, conditionPointIds: e.conditions.pointIds, note: e.note, quote: e.quote,
    actorId: e.actorId, sourceUrl: e.source.url, sourceOutlet: e.source.outlet, sourceTitle: e.source.title,
    sourcePublishedAt: e.source.publishedAt === null ? null : parseInstant(e.source.publishedAt), documentId: e.documentId, milestoneId: e.milestoneId,
  });
}

/** A change's data is its kind's payload for its entity: the entity itself, or for stances the event and its cell. */
function payloadNamesEntity(c: DumpChange): boolean {
  // A recorded stance's data is checked in detail in checkDump (it is kept as references to its events).
  if (c.kind === 'stance.recorded') return true;
  if (typeof c.data !== 'object' || c.data === null) return false;
  const data = c.data as { id?: unknown; event?: { id?: unknown } | null; cell?: unknown };
  if (c.kind === 'stance.retracted') {
    return typeof data.event === 'object' && data.event?.id === c.entityId && typeof data.cell === 'object' && data.cell !== null;
  }
  return data.id === c.entityId;
}

function codesUnique(items: { code: string }[], path: string, add: (field: string, message: string, row?: number) => void): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.code)) add(`${path}.${i}.code`, `duplicate code '${item.code}'`, i);
    seen.add(item.code);
  });
}

async function readHead(m: EntityManager, n: NegotiationEntity): Promise<DumpHead> {
  const [parties, actors, points, lineage, documents, provisions, milestones] = await Promise.all([
    m.find(PartyEntity, { where: { negotiationId: n.id }, order: { sortOrder: 'ASC', code: 'ASC' } }),
    m
      .createQueryBuilder(ActorEntity, 'a')
      .innerJoin(PartyEntity, 'p', 'p.id = a.party_id')
      .where('p.negotiation_id = :id', { id: n.id })
      .orderBy('a.sort_order', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .getMany(),
    m.find(PointEntity, { where: { negotiationId: n.id }, order: { sortOrder: 'ASC', code: 'ASC' } }),
    m
      .createQueryBuilder(PointLineageEntity, 'l')
      .innerJoin(PointEntity, 'p', 'p.id = l.point_id')
      .where('p.negotiation_id = :id', { id: n.id })
      .orderBy('l.point_id', 'ASC')
      .addOrderBy('l.derived_from_id', 'ASC')
      .getMany(),
    m.find(DocumentEntity, { where: { negotiationId: n.id }, order: { publishedAt: 'ASC', id: 'ASC' } }),
    m
      .createQueryBuilder(ProvisionEntity, 'v')
      .innerJoin(DocumentEntity, 'd', 'd.id = v.document_id')
      .where('d.negotiation_id = :id', { id: n.id })
      .orderBy('v.sort_order', 'ASC')
      .addOrderBy('v.point_id', 'ASC')
      .getMany(),
    m.find(MilestoneEntity, { where: { negotiationId: n.id }, order: { startsAt: 'ASC', id: 'ASC' } }),
  ]);
  return {
    format: DUMP_FORMAT,
    version: DUMP_VERSION,
    negotiation: {
      id: n.id,
      slug: n.slug,
      title: n.title,
      description: n.description,
      status: n.status,
      seq: n.seq,
      version: n.version,
      createdAt: toIso(n.createdAt),
      updatedAt: toIso(n.updatedAt),
    },
    parties: parties.map((p) => ({
      id: p.id,
      code: p.code,
      name: p.name,
      kind: p.kind,
      color: p.color,
      parentId: p.parentId,
      description: p.description,
      sortOrder: p.sortOrder,
      version: p.version,
      createdAt: toIso(p.createdAt),
      updatedAt: toIso(p.updatedAt),
      actors: actors
        .filter((a) => a.partyId === p.id)
        .map((a) => ({ id: a.id, name: a.name, role: a.role, sortOrder: a.sortOrder, retiredAt: toIsoOrNull(numOrNull(a.retiredAt)) })),
    })),
    points: points.map((p) => ({
      id: p.id,
      code: p.code,
      title: p.title,
      category: p.category,
      description: p.description,
      sortOrder: p.sortOrder,
      version: p.version,
      createdAt: toIso(p.createdAt),
      updatedAt: toIso(p.updatedAt),
      derivedFrom: lineage.filter((l) => l.pointId === p.id).map((l) => ({ pointId: l.derivedFromId, kind: l.kind })),
    })),
    documents: documents.map((d) => ({
      id: d.id,
      title: d.title,
      shortTitle: d.shortTitle,
      authorPartyId: d.authorPartyId,
      publishedAt: toIso(d.publishedAt),
      publishedPrecision: d.publishedPrecision,
      description: d.description,
      sourceUrl: d.sourceUrl,
      version: d.version,
      createdAt: toIso(d.createdAt),
      updatedAt: toIso(d.updatedAt),
      provisions: provisions
        .filter((v) => v.documentId === d.id)
        .map((v) => ({ pointId: v.pointId, number: v.number, text: v.text, sortOrder: v.sortOrder })),
    })),
    milestones: milestones.map((ms) => ({
      id: ms.id,
      title: ms.title,
      kind: ms.kind,
      startsAt: toIso(ms.startsAt),
      startsPrecision: ms.startsPrecision,
      endsAt: toIsoOrNull(ms.endsAt),
      description: ms.description,
      sourceUrl: ms.sourceUrl,
      partyIds: ms.partyIds,
      version: ms.version,
      createdAt: toIso(ms.createdAt),
      updatedAt: toIso(ms.updatedAt),
    })),
  };
}

function dumpEvent(e: StanceEventEntity): DumpEvent {
  return {
    id: e.id,
    seq: e.seq,
    partyId: e.partyId,
    pointId: e.pointId,
    position: e.position,
    confidence: e.confidence,
    effectiveAt: toIso(e.effectiveAt),
    effectivePrecision: e.effectivePrecision,
    recordedAt: toIso(e.recordedAt),
    recordedBy: e.recordedBy,
    conditions: { text: e.conditionsText, pointIds: e.conditionPointIds },
    note: e.note,
    quote: e.quote,
    actorId: e.actorId,
    source: { url: e.sourceUrl, outlet: e.sourceOutlet, title: e.sourceTitle, publishedAt: toIsoOrNull(e.sourcePublishedAt) },
    documentId: e.documentId,
    milestoneId: e.milestoneId,
  };
}

/** A parsed dump through the same serializer as the database's (objects normalised to the dump's key order). */
async function* serializeParsed(dump: NegotiationDump): AsyncGenerator<string> {
  const head: DumpHead = {
    format: DUMP_FORMAT,
    version: DUMP_VERSION,
    negotiation: { ...dump.negotiation },
    parties: dump.parties.map((p) => ({ ...p, actors: p.actors.map((a) => ({ id: a.id, name: a.name, role: a.role, sortOrder: a.sortOrder, retiredAt: a.retiredAt })) })),
    points: dump.points,
    documents: dump.documents,
    milestones: dump.milestones,
  };
  async function* of<T>(items: T[]): AsyncGenerator<T> {
    yield* items;
  }
  // A recorded stance's change data as the database gives it back: rebuilt from the events.
  const views = new Map(dump.stanceEvents.map((e) => [e.id, eventView(e, dump.negotiation.id)]));
  yield* serialize(
    normaliseHead(head),
    of(dump.stanceEvents.map(normaliseEvent)),
    of(dump.retractions.map((r) => ({ id: r.id, eventId: r.eventId, seq: r.seq, reason: r.reason, recordedAt: r.recordedAt, recordedBy: r.recordedBy }))),
    of(
      dump.changes.map((c) => ({
        seq: c.seq,
        kind: c.kind,
        entityId: c.entityId,
        recordedAt: c.recordedAt,
        recordedBy: c.recordedBy,
        data: JSON.stringify(c.kind === 'stance.recorded' ? recordedData(c, views) : (c.data ?? null)),
        before: c.before === undefined || c.before === null ? null : JSON.stringify(c.before),
      })),
    ),
  );
}

/** A checked file's recorded-stance change, with its events from the file's stanceEvents. */
function recordedData(c: DumpChange, views: Map<string, StanceEvent>): RecordStanceResult {
  const cell = recordedCell(c.data);
  const event = views.get(c.entityId);
  if (!cell || !event) throw new Error(`change ${c.seq} was not checked`);
  const current = cell.currentId === null ? null : (views.get(cell.currentId) ?? null);
  return { event, cell: { partyId: event.partyId, pointId: event.pointId, version: cell.version, current } };
}

/** Re-creates each object with the dump's key order, so a file whose keys were reordered still compares equal. */
function normaliseHead(h: DumpHead): DumpHead {
  const n = h.negotiation;
  return {
    format: h.format,
    version: h.version,
    negotiation: { id: n.id, slug: n.slug, title: n.title, description: n.description, status: n.status, seq: n.seq, version: n.version, createdAt: iso(n.createdAt), updatedAt: iso(n.updatedAt) },
    parties: h.parties.map((p) => ({
      id: p.id, code: p.code, name: p.name, kind: p.kind, color: p.color, parentId: p.parentId, description: p.description, sortOrder: p.sortOrder,
      version: p.version, createdAt: iso(p.createdAt), updatedAt: iso(p.updatedAt),
      actors: p.actors.map((a) => ({ id: a.id, name: a.name, role: a.role, sortOrder: a.sortOrder, retiredAt: isoOrNull(a.retiredAt) })),
    })),
    points: h.points.map((p: DumpPoint) => ({
      id: p.id, code: p.code, title: p.title, category: p.category, description: p.description, sortOrder: p.sortOrder, version: p.version,
      createdAt: iso(p.createdAt), updatedAt: iso(p.updatedAt), derivedFrom: p.derivedFrom.map((d) => ({ pointId: d.pointId, kind: d.kind })),
    })),
    documents: h.documents.map((d: DumpDocument) => ({
      id: d.id, title: d.title, shortTitle: d.shortTitle, authorPartyId: d.authorPartyId, publishedAt: iso(d.publishedAt),
      publishedPrecision: d.publishedPrecision, description: d.description, sourceUrl: d.sourceUrl, version: d.version,
      createdAt: iso(d.createdAt), updatedAt: iso(d.updatedAt),
      provisions: d.provisions.map((v) => ({ pointId: v.pointId, number: v.number, text: v.text, sortOrder: v.sortOrder })),
    })),
    milestones: h.milestones.map((ms: DumpMilestone) => ({
      id: ms.id, title: ms.title, kind: ms.kind, startsAt: iso(ms.startsAt), startsPrecision: ms.startsPrecision, endsAt: isoOrNull(ms.endsAt),
      description: ms.description, sourceUrl: ms.sourceUrl, partyIds: ms.partyIds, version: ms.version, createdAt: iso(ms.createdAt), updatedAt: iso(ms.updatedAt),
    })),
  };
}

function normaliseEvent(e: DumpEvent): DumpEvent {
  return {
    id: e.id, seq: e.seq, partyId: e.partyId, pointId: e.pointId, position: e.position, confidence: e.confidence,
    effectiveAt: iso(e.effectiveAt), effectivePrecision: e.effectivePrecision, recordedAt: iso(e.recordedAt), recordedBy: e.recordedBy,
    conditions: { text: e.conditions.text, pointIds: e.conditions.pointIds }, note: e.note, quote: e.quote, actorId: e.actorId,
    source: { url: e.source.url, outlet: e.source.outlet, title: e.source.title, publishedAt: isoOrNull(e.source.publishedAt) },
    documentId: e.documentId, milestoneId: e.milestoneId,
  };
}

const iso = (value: string) => toIso(parseInstant(value));
const isoOrNull = (value: string | null) => (value === null ? null : iso(value));

/**
 * The dump's text: the head's sections pretty enough to read, then one record per line in the
 * long arrays so the file diffs and greps well. Key order is fixed, so equal content gives equal bytes.
 */
async function* serialize(
  head: DumpHead,
  events: AsyncIterable<DumpEvent>,
  retractions: AsyncIterable<DumpRetraction>,
  changes: AsyncIterable<ChangeLine>,
): AsyncGenerator<string> {
  yield `{\n"format": ${JSON.stringify(head.format)},\n"version": ${head.version},\n"negotiation": ${JSON.stringify(head.negotiation)},\n`;
  for (const key of ['parties', 'points', 'documents', 'milestones'] as const) {
    yield `${JSON.stringify(key)}: ${lines(head[key].map((item) => JSON.stringify(item)))},\n`;
  }
  yield* section('stanceEvents', events, (e) => JSON.stringify(e));
  yield ',\n';
  yield* section('retractions', retractions, (r) => JSON.stringify(r));
  yield ',\n';
  yield* section('changes', changes, (c) => {
    const fixed = JSON.stringify({ seq: c.seq, kind: c.kind, entityId: c.entityId, recordedAt: c.recordedAt, recordedBy: c.recordedBy });
    return `${fixed.slice(0, -1)},"data":${c.data},"before":${c.before ?? 'null'}}`;
  });
  yield '\n}\n';
}

function lines(items: string[]): string {
  return items.length === 0 ? '[]' : `[\n${items.join(',\n')}\n]`;
}

async function* section<T>(key: string, items: AsyncIterable<T>, line: (item: T) => string): AsyncGenerator<string> {
  yield `${JSON.stringify(key)}: [`;
  let first = true;
  let buffer: string[] = [];
  for await (const item of items) {
    buffer.push(`${first ? '\n' : ',\n'}${line(item)}`);
    first = false;
    if (buffer.length >= 500) {
      yield buffer.join('');
      buffer = [];
    }
  }
  if (buffer.length > 0) yield buffer.join('');
  yield first ? ']' : '\n]';
}
