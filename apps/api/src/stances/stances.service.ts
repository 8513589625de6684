import { Injectable } from '@nestjs/common';
import type {
  BatchResult,
  ChangeItem,
  ChangesPage,
  ChangesQuery,
  HistoryQuery,
  PointHistory,
  RecordStanceResult,
  RetractInput,
  StanceCreate,
  StanceEvent,
} from '@parley/contracts';
import { parseBound, parseInstant, parseSince, toIso } from '@parley/domain';
import { createHash } from 'node:crypto';
import { AppError, badReference, conflict, notFound } from '../common/app-error';
import { isUuid, newOrderedId } from '../common/ids';
import { findScoped } from '../common/scoped';
import { ChangeLog } from '../changes/change-log.service';
import { Db, type Tx } from '../database/db.service';
import { isRefusedData } from '../database/dialect';
import { num, sql } from '../database/sql';
import { DocumentEntity, ProvisionEntity } from '../documents/document.entity';
import { NegotiationsService } from '../negotiations/negotiations.service';
import { PointEntity } from '../points/point.entity';
import { IdempotencyKeyEntity, StanceEventEntity, StanceRetractionEntity, CurrentStanceEntity } from './stance.entities';
import { EVENT_FROM, EVENT_SELECT, toStanceEvent, type EventRow } from './stance.mapper';
import { StanceRefs } from './stance-refs';
import { CellCache, recordStances, type RecorderDeps, type StanceItem } from './stance-recorder';

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

interface CellRow {
  version: number | string;
  event_id: string | null;
  effective_at: number | string | null;
  recorded_at: number | string | null;
  seq: number | string | null;
}

interface Waiting extends StanceItem {
  resolve: (result: RecordStanceResult) => void;
  reject: (error: unknown) => void;
}

@Injectable()
export class StancesService {
  private readonly refs = new Map<string, StanceRefs>();
  /** Single writes per negotiation waiting to be recorded together (see recordTogether). */
  private readonly waiting = new Map<string, Waiting[]>();

  private readonly recorder: RecorderDeps;

  constructor(
    private readonly db: Db,
    private readonly changes: ChangeLog,
    private readonly negotiations: NegotiationsService,
  ) {
    this.recorder = { changes, cells: db.singleWriter ? new CellCache() : undefined };
  }

  async record(negotiation: string, input: StanceCreate, author: string, idempotencyKey?: IdempotencyKey): Promise<Replayable<RecordStanceResult>> {
    const negotiationId = await this.negotiations.resolveId(negotiation);
    await this.checkRefs(negotiationId, [input], () => '');
    if (idempotencyKey === undefined) return { status: 201, body: await this.recordTogether(negotiationId, input, author), replayed: false };
    return this.idempotent(negotiationId, 'stance', idempotencyKey, input, async (tx) => {
      const [outcome] = await recordStances(tx, this.recorder, negotiationId, [{ input, field: '', author }], true);
      return (outcome as { ok: true; result: RecordStanceResult }).result;
    });
  }

  /**
   * Single writes waiting for the writer are recorded together: the first one schedules a write,
   * and every write that arrives before that write starts joins it, so N concurrent writes cost the
   * statements of one (see recordStances) and share its commit. Each is answered only after that
   * commit, and a refused one (409) changes nothing and does not hold up the others.
   */
  private recordTogether(negotiationId: string, input: StanceCreate, author: string): Promise<RecordStanceResult> {
    return new Promise((resolve, reject) => {
      const item: Waiting = { input, field: '', author, resolve, reject };
      const queue = this.waiting.get(negotiationId);
      if (queue) {
        queue.push(item);
        return;
      }
      this.waiting.set(negotiationId, [item]);
      void this.flushWaiting(negotiationId);
    });
  }

  private async flushWaiting(negotiationId: string): Promise<void> {
    let taken: Waiting[] = [];
    const take = () => {
      taken = this.waiting.get(negotiationId) ?? [];
      this.waiting.delete(negotiationId);
      return taken;
    };
    try {
      const outcomes = await this.db.write((tx) => recordStances(tx, this.recorder, negotiationId, take(), false));
      outcomes.forEach((outcome, i) => (outcome.ok ? taken[i].resolve(outcome.result) : taken[i].reject(outcome.error)));
    } catch (error) {
      if (taken.length === 0) take(); // refused before it started (shutting down)
      if (taken.length > 1 && isRefusedData(error)) {
        // Unexpected data in one write must not fail the others: record each alone.
        for (const item of taken) {
          this.db
            .write(async (tx) => {
              const [outcome] = await recordStances(tx, this.recorder, negotiationId, [item], true);
              return (outcome as { ok: true; result: RecordStanceResult }).result;
            })
            .then(item.resolve, item.reject);
        }
        return;
      }
      for (const item of taken) item.reject(error);
    }
  }

  /** All or nothing: one transaction; any invalid item or stale version rejects the whole batch. */
  async recordBatch(negotiation: string, inputs: StanceCreate[], author: string, idempotencyKey?: IdempotencyKey): Promise<Replayable<BatchResult>> {
    const negotiationId = await this.negotiations.resolveId(negotiation);
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

  /** Records events inside a caller's transaction, in order; references must have been checked (checkRefs). */
  async recordManyIn(tx: Tx, negotiationId: string, inputs: StanceCreate[], author: string, field: (index: number) => string): Promise<RecordStanceResult[]> {
    const items = inputs.map((input, i) => ({ input, field: field(i), author }));
    const outcomes = await recordStances(tx, this.recorder, negotiationId, items, true);
    return outcomes.map((outcome) => (outcome as { ok: true; result: RecordStanceResult }).result);
  }

  /**
   * Checks every reference of the inputs. What a negotiation holds is only ever added to (nothing is
   * deleted), so known ids are kept; an unknown one reloads them before it is refused.
   */
  private async checkRefs(negotiationId: string, inputs: StanceCreate[], prefix: (index: number) => string): Promise<void> {
    const known = this.refs.get(negotiationId);
    if (known && inputs.every((input) => known.problems(input).length === 0)) return;
    const fresh = await StanceRefs.load(this.db.read, negotiationId);
    this.refs.set(negotiationId, fresh);
    fresh.check(inputs, prefix);
  }

  async retract(eventId: string, input: RetractInput, author: string): Promise<RecordStanceResult> {
    // An unknown id is refused without waiting for the writer.
    const known = isUuid(eventId) ? await this.db.read.existsBy(StanceEventEntity, { id: eventId }) : false;
    if (!known) throw notFound('Stance event', eventId);
    return this.db.write((tx) => this.retractIn(tx, eventId, input, author));
  }

  /** retract inside a caller's transaction (the demo loader writes a whole negotiation in one). */
  async retractIn(tx: Tx, eventId: string, input: RetractInput, author: string): Promise<RecordStanceResult> {
    const event = isUuid(eventId) ? await tx.manager.findOneBy(StanceEventEntity, { id: eventId }) : null;
    if (!event) throw notFound('Stance event', eventId);
    const seq = await this.changes.nextSeq(tx, event.negotiationId);
    const existing = await tx.manager.findOneBy(StanceRetractionEntity, { eventId: event.id });
    if (existing) {
      throw conflict('ALREADY_RETRACTED', `Stance event '${event.id}' was already retracted (${existing.reason})`, await this.loadEvent(tx, event.id));
    }
    const now = Date.now();
    await tx.manager.insert(StanceRetractionEntity, {
      id: newOrderedId(now),
      negotiationId: event.negotiationId,
      eventId: event.id,
      seq,
      reason: input.reason,
      recordedAt: now,
      recordedBy: author,
    });
    const cell = await this.readCell(tx, event.negotiationId, event.partyId, event.pointId);
    // The cell falls back to its latest event that is still standing, if any.
    const { rows } = await sql<{ id: string }>(
      tx.manager,
      `SELECT e.id FROM stance_events e
        WHERE e.negotiation_id = ? AND e.party_id = ? AND e.point_id = ?
          AND NOT EXISTS (SELECT 1 FROM stance_retractions r WHERE r.event_id = e.id)
        ORDER BY e.effective_at DESC, e.recorded_at DESC, e.seq DESC LIMIT 1`,
      [event.negotiationId, event.partyId, event.pointId],
    );
    const version = num(cell?.version ?? 0) + 1;
    const currentId = rows[0]?.id ?? null;
    await tx.manager.upsert(
      CurrentStanceEntity,
      { negotiationId: event.negotiationId, partyId: event.partyId, pointId: event.pointId, eventId: currentId, version },
      ['negotiationId', 'partyId', 'pointId'],
    );
    const retracted = await this.loadEvent(tx, event.id);
    const result: RecordStanceResult = {
      event: retracted,
      cell: {
        partyId: event.partyId,
        pointId: event.pointId,
        version,
        current: currentId ? await this.loadEvent(tx, currentId) : null,
      },
    };
    await this.changes.record(tx, {
      negotiationId: event.negotiationId,
      seq,
      kind: 'stance.retracted',
      entityId: event.id,
      data: result,
      recordedAt: now,
      recordedBy: author,
    });
    return result;
  }

  async changesOf(negotiation: string, query: ChangesQuery): Promise<ChangesPage> {
    const n = await this.negotiations.resolve(negotiation);
    const limit = query.limit ?? 500;
    const where = ['c.negotiation_id = ?', "c.kind IN ('stance.recorded', 'stance.retracted')"];
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
    if (query.pointId) {
      where.push('e.point_id = ?');
      params.push(query.pointId);
    }
    const { rows } = await sql<EventRow & { c_seq: number | string; c_kind: string; c_recorded_at: number | string }>(
      this.db.read,
      `SELECT c.seq AS c_seq, c.kind AS c_kind, c.recorded_at AS c_recorded_at, ${EVENT_SELECT}
         FROM change_log c
         JOIN stance_events e ON e.id = c.entity_id
         LEFT JOIN stance_retractions r ON r.event_id = e.id
        WHERE ${where.join(' AND ')}
        ORDER BY c.seq ASC LIMIT ?`,
      [...params, limit + 1],
    );
    const page = rows.slice(0, limit);
    const items: ChangeItem[] = page.map((row) => {
      const event = toStanceEvent(row);
      const seq = num(row.c_seq);
      const recordedAt = toIso(num(row.c_recorded_at));
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

  private async readCell(tx: Tx, negotiationId: string, partyId: string, pointId: string): Promise<CellRow | undefined> {
    const { rows } = await sql<CellRow>(
      tx.manager,
      `SELECT c.version, c.event_id, e.effective_at, e.recorded_at, e.seq
         FROM current_stances c LEFT JOIN stance_events e ON e.id = c.event_id
        WHERE c.negotiation_id = ? AND c.party_id = ? AND c.point_id = ?`,
      [negotiationId, partyId, pointId],
    );
    return rows[0];
  }

  private async loadEvent(tx: Tx, eventId: string): Promise<StanceEvent> {
    const { rows } = await sql<EventRow>(tx.manager, `SELECT ${EVENT_SELECT} FROM ${EVENT_FROM} WHERE e.id = ?`, [eventId]);
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
