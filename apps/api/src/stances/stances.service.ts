import { Injectable } from '@nestjs/common';
import type {
  BatchResult,
  Proposal,
  ChangeItem,
  ChangesPage,
  ChangesQuery,
  CorrectStanceResult,
  FieldProblem,
  HistoryQuery,
  PointHistory,
  RecordStanceResult,
  RetractInput,
  StanceCorrect,
  StanceCreate,
  StanceEvent,
} from '@parley/contracts';
import { parseBound, parseInstant, parseSince, toIso } from '@parley/domain';
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AppError, badReference, invalid, notFound } from '../common/app-error';
import { isUuid } from '../common/ids';
import { findScoped } from '../common/scoped';
import { ChangeLog } from '../changes/change-log.service';
import { Db, type Tx } from '../database/db.service';
import { num, sql } from '../database/sql';
import { DocumentEntity, ProvisionEntity } from '../documents/document.entity';
import { MilestoneEntity } from '../milestones/milestone.entity';
import { NegotiationsService } from '../negotiations/negotiations.service';
import { ActorEntity, PartyEntity } from '../parties/party.entity';
import { PointEntity } from '../points/point.entity';
import { SourceEntity } from '../sources/source.entity';
import { IdempotencyKeyEntity, StanceEventEntity } from './stance.entities';
import { EVENT_FROM, EVENT_SELECT, loadEvents, SOURCE_JOIN, toStanceEvent, type EventRow } from './stance-row';
import type { ReviewGate } from './review-gate';
import { CellCache, correctStance, recordStances, retractStance, type StanceOutcome, type WriterDeps } from './stance-writer';

/** An Idempotency-Key header and the user who sent it: the key is theirs alone. */
export interface IdempotencyKey {
  key: string;
  principalId: string;
}

export interface Replayable<T> {
  status: number;
  body: T;
  replayed: boolean;
}

@Injectable()
export class StancesService {
  private readonly refs = new Map<string, StanceRefs>();
  private readonly writer: WriterDeps;
  private review: ReviewGate | null = null;

  constructor(
    private readonly db: Db,
    private readonly changes: ChangeLog,
    private readonly negotiations: NegotiationsService,
  ) {
    this.writer = { changes, cells: db.singleWriter ? new CellCache() : undefined };
  }

  /** review/ provides the gate when it starts (it stands above stances/). */
  useReview(gate: ReviewGate): void {
    this.review = gate;
  }

  /** The writer's dependencies, for review/ to publish an approved proposal through the same writer. */
  get writerDeps(): WriterDeps {
    return this.writer;
  }

  /** Under review policy `required`: 202 with the proposal made instead (an Idempotency-Key is not kept for it). */
  async record(
    negotiation: string,
    input: StanceCreate,
    author: string,
    idempotencyKey?: IdempotencyKey,
  ): Promise<Replayable<RecordStanceResult | Proposal>> {
    const negotiationId = await this.negotiations.resolveId(negotiation);
    await this.checkRefs(negotiationId, [input], () => '');
    const proposal = await this.review?.stance(negotiationId, input, author);
    if (proposal) return { status: 202, body: proposal, replayed: false };
    const item = { input, field: '', author };
    if (idempotencyKey === undefined) {
      // Concurrent single writes of a negotiation share one write (Db.writeTogether), each with its own outcome.
      const body = await this.db.writeTogether(negotiationId, item, (tx, items) => recordStances(tx, this.writer, negotiationId, items, false));
      return { status: 201, body, replayed: false };
    }
    return this.idempotent(negotiationId, 'stance', idempotencyKey, input, async (tx) => resultOf((await recordStances(tx, this.writer, negotiationId, [item], true))[0]));
  }

  /** All or nothing: one transaction; any invalid item or stale version rejects the whole batch. */
  async recordBatch(negotiation: string, inputs: StanceCreate[], author: string, idempotencyKey?: IdempotencyKey): Promise<Replayable<BatchResult>> {
    const negotiationId = await this.negotiations.resolveId(negotiation);
    await this.review?.refuseBulk(negotiationId, 'A batch of stances');
    await this.checkRefs(negotiationId, inputs, (i) => `events.${i}.`);
    return this.idempotent(
      negotiationId,
      'stance-batch',
      idempotencyKey,
      inputs,
      async (tx) => ({ results: await this.recordManyIn(tx, negotiationId, inputs, author, (i) => `events.${i}`) }),
      inputs.length,
    );
  }

  /**
   * Records events inside a caller's transaction, in order; references must have been checked
   * (checkRefs). `recordedAt` (the demo loader only, in increasing order): when each was learnt.
   */
  async recordManyIn(
    tx: Tx,
    negotiationId: string,
    inputs: StanceCreate[],
    author: string,
    field: (index: number) => string,
    recordedAt?: (index: number) => number,
  ): Promise<RecordStanceResult[]> {
    const items = inputs.map((input, i) => ({ input, field: field(i), author, recordedAt: recordedAt?.(i) }));
    return (await recordStances(tx, this.writer, negotiationId, items, true)).map(resultOf);
  }

  /**
   * Checks every reference of the inputs. What a negotiation holds is only ever added to (nothing is
   * deleted), so known ids are kept; an unknown one reloads them before it is refused.
   */
  async checkRefs(negotiationId: string, inputs: StanceCreate[], prefix: (index: number) => string): Promise<void> {
    const known = this.refs.get(negotiationId);
    if (known && inputs.every((input) => known.problems(input).length === 0)) return;
    const fresh = await StanceRefs.load(this.db.read, negotiationId);
    this.refs.set(negotiationId, fresh);
    fresh.check(inputs, prefix);
  }

  /** Under review policy `required`: 202 with the proposal made instead. */
  async retract(eventId: string, input: RetractInput, author: string): Promise<Replayable<RecordStanceResult | Proposal>> {
    // An unknown id is refused without waiting for the writer.
    const known = isUuid(eventId) ? await this.db.read.existsBy(StanceEventEntity, { id: eventId }) : false;
    if (!known) throw notFound('Stance event', eventId);
    const proposal = await this.review?.retraction(eventId, input, author);
    if (proposal) return { status: 202, body: proposal, replayed: false };
    return { status: 201, body: await this.db.write((tx) => this.retractIn(tx, eventId, input, author)), replayed: false };
  }

  /**
   * One-step correction: retract `eventId` and record `input` on its cell, one transaction and one
   * change (stance-writer.ts, correctStance). The event must be the negotiation's (404 otherwise);
   * partyId/pointId, when given, must be its cell's. Under review policy `required`: 202 with a
   * proposal of kind `correction` instead.
   */
  async correct(
    negotiation: string,
    eventId: string,
    body: StanceCorrect,
    author: string,
    idempotencyKey?: IdempotencyKey,
  ): Promise<Replayable<CorrectStanceResult | Proposal>> {
    const negotiationId = await this.negotiations.resolveId(negotiation);
    const event = isUuid(eventId)
      ? await this.db.read.findOne(StanceEventEntity, { select: { id: true, negotiationId: true, partyId: true, pointId: true }, where: { id: eventId } })
      : null;
    if (!event || event.negotiationId !== negotiationId) throw notFound('Stance event', eventId);
    const { reason, partyId, pointId, ...fields } = body;
    const problems: FieldProblem[] = [];
    if (partyId !== undefined && partyId !== event.partyId) {
      problems.push({ field: 'partyId', message: `must be the event's party '${event.partyId}': a correction stays on its cell (retract it and record the other cell's stance instead)` });
    }
    if (pointId !== undefined && pointId !== event.pointId) {
      problems.push({ field: 'pointId', message: `must be the event's point '${event.pointId}': a correction stays on its cell (retract it and record the other cell's stance instead)` });
    }
    if (problems.length) throw invalid(problems);
    const input: StanceCreate = { ...fields, partyId: event.partyId, pointId: event.pointId };
    await this.checkRefs(negotiationId, [input], () => '');
    const proposal = await this.review?.correction(negotiationId, eventId, input, reason, author);
    if (proposal) return { status: 202, body: proposal, replayed: false };
    return this.idempotent(negotiationId, 'correct', idempotencyKey, { eventId, body }, (tx) => correctStance(tx, this.writer, negotiationId, eventId, input, reason, author));
  }

  /** Refuses (409) a bulk write of stances (a CSV import) into a negotiation that requires review. */
  async refuseBulk(negotiationId: string, what: string): Promise<void> {
    await this.review?.refuseBulk(negotiationId, what);
  }

  /** retract inside a caller's transaction (the demo loader writes a whole negotiation in one). */
  retractIn(tx: Tx, eventId: string, input: RetractInput, author: string, recordedAt?: number): Promise<RecordStanceResult> {
    return retractStance(tx, this.writer, eventId, input, author, recordedAt);
  }

  async changesOf(negotiation: string, query: ChangesQuery): Promise<ChangesPage> {
    const n = await this.negotiations.resolve(negotiation);
    const limit = query.limit ?? 500;
    const where = ['c.negotiation_id = ?', "c.kind IN ('stance.recorded', 'stance.retracted', 'stance.corrected')"];
    const params: unknown[] = [n.id];
    if (query.sinceSeq !== undefined) {
      where.push('c.seq > ?');
      params.push(query.sinceSeq);
    }
    if (query.since) {
      where.push('c.recorded_at > ?');
      params.push(parseSince(query.since));
    }
    if (query.until) {
      where.push('c.recorded_at <= ?');
      params.push(parseBound(query.until));
    }
    // The negotiation's time beside Parley's: what took effect in a window, whenever it was recorded.
    const effectiveFrom = query.effectiveFrom === undefined ? undefined : parseInstant(query.effectiveFrom);
    const effectiveTo = query.effectiveTo === undefined ? undefined : parseBound(query.effectiveTo);
    if (effectiveFrom !== undefined && effectiveTo !== undefined && effectiveFrom > effectiveTo) {
      throw badReference('query.effectiveFrom', `must not be after effectiveTo (${query.effectiveTo})`);
    }
    if (effectiveFrom !== undefined) {
      where.push('e.effective_at >= ?');
      params.push(effectiveFrom);
    }
    if (effectiveTo !== undefined) {
      where.push('e.effective_at <= ?');
      params.push(effectiveTo);
    }
    if (query.partyId) {
      where.push('e.party_id = ?');
      params.push(query.partyId);
    }
    if (query.milestoneId) {
      where.push('e.milestone_id = ?');
      params.push(query.milestoneId);
    }
    if (query.pointId) {
      where.push('e.point_id = ?');
      params.push(query.pointId);
    }
    const { rows } = await sql<EventRow & { c_seq: number | string; c_kind: string; c_recorded_at: number | string; c_data: string | null }>(
      this.db.read,
      `SELECT c.seq AS c_seq, c.kind AS c_kind, c.recorded_at AS c_recorded_at,
              CASE WHEN c.kind = 'stance.corrected' THEN c.data END AS c_data, ${EVENT_SELECT}
         FROM change_log c
         JOIN stance_events e ON e.id = c.entity_id
         ${SOURCE_JOIN}
         LEFT JOIN stance_retractions r ON r.event_id = e.id
        WHERE ${where.join(' AND ')}
        ORDER BY c.seq ASC LIMIT ?`,
      [...params, limit + 1],
    );
    const page = rows.slice(0, limit);
    // A correction's row names its new event; the event it retracted is in its data (shown as stored now, with its retraction).
    const correctedIds = new Map(page.flatMap((row) => (!row.c_data ? [] : [[num(row.c_seq), (JSON.parse(row.c_data) as CorrectStanceResult).retracted.id] as const])));
    const retracted = await loadEvents(this.db.read, [...new Set(correctedIds.values())]);
    const items: ChangeItem[] = page.map((row) => {
      const event = toStanceEvent(row);
      const seq = num(row.c_seq);
      const recordedAt = toIso(num(row.c_recorded_at));
      if (row.c_kind === 'stance.corrected') {
        const old = retracted.get(correctedIds.get(seq) ?? '');
        if (!old) throw new Error(`change ${seq}: the corrected event is not stored`);
        return { kind: 'stance.corrected', seq, recordedAt, event, retracted: old, reason: old.retraction?.reason ?? '' };
      }
      return row.c_kind === 'stance.retracted'
        ? { kind: 'stance.retracted', seq, recordedAt, event, reason: event.retraction?.reason ?? '' }
        : { kind: 'stance.recorded', seq, recordedAt, event };
    });
    const last = items.at(-1);
    return { items, nextSinceSeq: rows.length > limit && last ? last.seq : null, seq: n.seq };
  }

  async history(negotiation: string, pointId: string, query: HistoryQuery): Promise<PointHistory> {
    const n = await this.negotiations.resolve(negotiation);
    const point = await findScoped(this.db.read, PointEntity, n.id, pointId, 'Point');
    const knownAt = query.knownAt ? parseBound(query.knownAt) : undefined;
    const where = ['e.negotiation_id = ?', 'e.point_id = ?'];
    const params: unknown[] = [n.id, point.id];
    if (query.partyId) {
      where.push('e.party_id = ?');
      params.push(query.partyId);
    }
    if (knownAt !== undefined) {
      // The unary + keeps SQLite from choosing ix_events_recorded (the whole negotiation's events
      // recorded before knownAt) over the point's own events in ix_events_point_party_time.
      where.push('+e.recorded_at <= ?');
      params.push(knownAt);
    }
    const { rows } = await sql<EventRow>(
      this.db.read,
      `SELECT ${EVENT_SELECT} FROM ${EVENT_FROM} WHERE ${where.join(' AND ')}
        ORDER BY e.effective_at ASC, e.recorded_at ASC, e.seq ASC`,
      params,
    );
    const provisions = await this.db.read
      .createQueryBuilder(ProvisionEntity, 'p')
      .innerJoin(DocumentEntity, 'd', 'd.id = p.document_id')
      .select(['p.document_id AS document_id', 'd.title AS title', 'd.published_at AS published_at', 'p.number AS number', 'p.text AS text'])
      .where('p.point_id = :pointId', { pointId: point.id })
      .orderBy('d.published_at', 'ASC')
      .getRawMany<{ document_id: string; title: string; published_at: number | string; number: string; text: string }>();
    return {
      point: { id: point.id, code: point.code, title: point.title, category: point.category },
      provisions: provisions.map((p) => ({
        documentId: p.document_id,
        documentTitle: p.title,
        publishedAt: toIso(num(p.published_at)),
        number: p.number,
        text: p.text,
      })),
      events: rows.map((row) => toStanceEvent(row, knownAt)),
    };
  }

  async getEvent(eventId: string): Promise<StanceEvent> {
    if (!isUuid(eventId)) throw notFound('Stance event', eventId);
    const { rows } = await sql<EventRow>(this.db.read, `SELECT ${EVENT_SELECT} FROM ${EVENT_FROM} WHERE e.id = ?`, [eventId]);
    if (!rows[0]) throw notFound('Stance event', eventId);
    return toStanceEvent(rows[0]);
  }

  /**
   * Runs a write at most once per Idempotency-Key: the first response is stored in the same
   * transaction as the write, and a retry gets it back instead of a duplicate.
   */
  private async idempotent<T>(
    negotiationId: string,
    route: string,
    idempotency: IdempotencyKey | undefined,
    request: unknown,
    work: (tx: Tx) => Promise<T>,
    weight = 1,
  ): Promise<Replayable<T>> {
    if (idempotency === undefined) return { status: 201, body: await this.db.write(work, { weight }), replayed: false };
    const { key, principalId } = idempotency;
    // Scoped by who sent it too: another user's same key must not get (or learn) this user's answer.
    const scopedKey = `${negotiationId}:${route}:${principalId}:${key}`;
    const requestHash = createHash('sha256').update(JSON.stringify(request)).digest('hex');
    const replay = (row: IdempotencyKeyEntity): Replayable<T> => {
      if (row.requestHash !== requestHash) {
        throw new AppError(422, 'IDEMPOTENCY_MISMATCH', `Idempotency-Key '${key}' was already used for a different request`);
      }
      return { status: row.statusCode, body: JSON.parse(row.response) as T, replayed: true };
    };
    const seen = await this.db.read.findOneBy(IdempotencyKeyEntity, { scopedKey });
    if (seen) return replay(seen);
    return this.db.write(async (tx) => {
      // Checked again inside the write: a concurrent retry may have committed meanwhile.
      await this.changes.lock(tx, negotiationId);
      const raced = await tx.manager.findOneBy(IdempotencyKeyEntity, { scopedKey });
      if (raced) throw new ReplayFound(replay(raced));
      const body = await work(tx);
      await tx.manager.insert(IdempotencyKeyEntity, { scopedKey, requestHash, statusCode: 201, response: JSON.stringify(body), createdAt: Date.now() });
      return { status: 201, body, replayed: false };
    }, { weight }).catch((err: unknown) => {
      if (err instanceof ReplayFound) return err.result as Replayable<T>;
      throw err;
    });
  }
}

/** Carries a stored response out of a transaction that must roll back (it took a sequence number). */
class ReplayFound extends Error {
  constructor(readonly result: Replayable<unknown>) {
    super('idempotent replay');
  }
}

/** The result of an item recorded all or nothing (a refused item has thrown). */
const resultOf = (outcome: StanceOutcome | undefined): RecordStanceResult => (outcome as { ok: true; result: RecordStanceResult }).result;

/** The ids a stance may refer to, loaded once per request (entities are never deleted, so this cannot go stale). */
class StanceRefs {
  private constructor(
    private readonly parties: Set<string>,
    private readonly points: Set<string>,
    private readonly actorParty: Map<string, string>,
    private readonly documents: Set<string>,
    private readonly milestones: Set<string>,
    private readonly sources: Set<string>,
  ) {}

  static async load(manager: EntityManager, negotiationId: string): Promise<StanceRefs> {
    const [parties, points, documents, milestones, sources] = await Promise.all([
      manager.find(PartyEntity, { select: { id: true }, where: { negotiationId } }),
      manager.find(PointEntity, { select: { id: true }, where: { negotiationId } }),
      manager.find(DocumentEntity, { select: { id: true }, where: { negotiationId } }),
      manager.find(MilestoneEntity, { select: { id: true }, where: { negotiationId } }),
      manager.find(SourceEntity, { select: { id: true }, where: { negotiationId } }),
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
      new Set(sources.map((s) => s.id)),
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
    if (input.source.id !== undefined && !this.sources.has(input.source.id)) {
      at('source.id', `source '${input.source.id}' does not exist in this negotiation`);
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
