import { citesSource, type CorrectStanceResult, type RecordStanceResult, type RetractInput, type StanceCreate, type StanceEvent } from '@parley/contracts';
import { AppError, badReference, conflict, invalid, notFound } from '../common/app-error';
import { isUuid, newOrderedId } from '../common/ids';
import type { ChangeInput, ChangeLog } from '../changes/change-log.service';
import type { Outcome, Tx } from '../database/db.service';
import { insertRows, num, sql } from '../database/sql';
import type { SourceEntity } from '../sources/source.entity';
import { citedOf, NO_SOURCE, SOURCE_COLUMNS, SourceBook, sourceValues, toSource } from '../sources/source.mapper';
import { StanceEventEntity, StanceRetractionEntity } from './stance.entities';
import {
  buildStanceEvent,
  CELL_FROM,
  CELL_SELECT,
  cellAfterRecord,
  cellKey,
  cellOf,
  entityOfInput,
  EVENT_COLUMNS,
  eventValues,
  loadEvents,
  STANDING_EVENT_SQL,
  type Cell,
  type CellRow,
} from './stance-row';

export interface StanceItem {
  input: StanceCreate;
  /** Names the item in a conflict message ("events.3", "row 12"); '' for a single write. */
  field: string;
  /** Who records it (recordedBy). */
  author: string;
  /**
   * When it is recorded (epoch ms) instead of the write's time: only the demo loader sets it, to
   * replay a history learnt over time; it must record such items in this order. The API never does.
   */
  recordedAt?: number;
  /**
   * Who approved it (review/: a proposal published). A negotiation whose review policy is
   * `required` takes only approved items; any other is refused (409 REVIEW_REQUIRED).
   */
  approvedBy?: string;
}

export type StanceOutcome = Outcome<RecordStanceResult>;

export interface WriterDeps {
  changes: ChangeLog;
  /** The writer's copy of the cells (SQLite: one process writes); absent, the cells are read from the tables. */
  cells?: CellCache;
}

/** Cells per projection read (two parameters each). */
const CELL_CHUNK = 1_000;
const CELL_COLUMNS = ['negotiation_id', 'party_id', 'point_id', 'event_id', 'version'] as const;
const UPSERT_CELL = 'ON CONFLICT (negotiation_id, party_id, point_id) DO UPDATE SET event_id = excluded.event_id, version = excluded.version';
/** Negotiations whose cells the writer keeps (the least recently written one goes first). */
const CACHED_NEGOTIATIONS = 8;

/**
 * The cells of recently written negotiations as the last committed write left them: their version,
 * the ordering keys of their current event and, once a write has had it in hand, that event's API
 * shape (a back-dated item answers with the cell's current event: without it, ~500 random reads per
 * batch of 1,000), tagged with the negotiation's `seq` after that write. Every change to a cell (a
 * recorded event, a retraction) takes a sequence number, so a copy whose `seq` equals the one a
 * write reads inside its transaction is exact. A write reads through it and keeps its own changes
 * aside; they enter the copy only after its transaction has committed (afterCommit, in commit
 * order), so a write that rolls back leaves it untouched. Saves reading a batch's cells (~10 % of a
 * 1,000-event batch). Only for SQLite, whose single process sees every write; PostgreSQL nodes read
 * the tables.
 */
export class CellCache {
  private readonly byNegotiation = new Map<string, { seq: number; cells: Map<string, Cell> }>();

  /** 'exact': the copy is the state at `head`; 'behind': there is a copy, of another state; 'none'. */
  state(negotiationId: string, head: number): { kind: 'exact'; cells: Map<string, Cell> } | { kind: 'behind' | 'none' } {
    const entry = this.byNegotiation.get(negotiationId);
    if (!entry) return { kind: 'none' };
    return entry.seq === head ? { kind: 'exact', cells: entry.cells } : { kind: 'behind' };
  }

  /**
   * After a commit, in commit order: a write that started from the state at `from` left the state
   * at `to`, its touched cells being `changes`. Applied to a copy at `from` (the writes of one group
   * commit follow each other: an earlier one's hook has brought the copy to a later one's start);
   * `all` (every cell, read by a write that found no copy) becomes the copy; any other copy is
   * dropped (a retraction moved the seq outside the stance writes: the next write reads it afresh).
   */
  committed(negotiationId: string, from: number, to: number, changes: Map<string, Cell>, all: Map<string, Cell> | null): void {
    const entry = this.byNegotiation.get(negotiationId);
    const cells = entry && entry.seq === from ? entry.cells : !entry && all ? all : null;
    this.byNegotiation.delete(negotiationId);
    if (!cells) return;
    for (const [key, { version, current, view }] of changes) cells.set(key, { version, current, view });
    this.byNegotiation.set(negotiationId, { seq: to, cells });
    if (this.byNegotiation.size > CACHED_NEGOTIATIONS) this.byNegotiation.delete(this.byNegotiation.keys().next().value as string);
  }
}

/**
 * Records stance events in a transaction with a fixed number of statements, whatever their number:
 * read the cells they touch, take their sequence numbers at once, insert the events, upsert the
 * projection and append the change log, each as multi-row statements. The rules are those of one
 * write at a time, applied in order in memory: `expectedVersion` is compared with the cell as the
 * earlier items leave it, an event becomes current only if it is the latest by effective time, and
 * only the items that pass take a number (no gaps). An item citing an inline source that the
 * negotiation does not hold yet creates it (sources/source.mapper.ts, the dedup rule): the source
 * takes the number before the item's, and later items of the write cite the same source.
 *
 * `allOrNothing`: the first refused item throws (a batch, an import). Otherwise each item gets its
 * own outcome (concurrent single writes committed together), and the refused ones change nothing.
 */
export async function recordStances(
  tx: Tx,
  { changes, cells: cache }: WriterDeps,
  negotiationId: string,
  items: StanceItem[],
  allOrNothing: boolean,
): Promise<StanceOutcome[]> {
  // PostgreSQL: lock the negotiation first, in its own statement, so that the cells read next come
  // from a snapshot taken after the previous writer committed (a read that waited on the lock
  // itself would still see its old snapshot of the joined rows). SQLite has one writer: no lock.
  await changes.lock(tx, negotiationId);
  const { head, all, cells, reviewed, strict } = cache ? await cachedCells(tx, cache, negotiationId, items) : { ...(await readCells(tx, negotiationId, items)), all: null };

  const outcomes: StanceOutcome[] = [];
  const pending: { i: number; event: StanceEventEntity; view: StanceEvent; version: number; becomesCurrent: boolean; current: Cell['current']; currentView: StanceEvent | null; author: string }[] = [];
  const touched = new Map<string, { partyId: string; pointId: string }>();
  const citing = items.filter(({ input }) => citesSource(input.source)).map(({ input }) => input.source);
  const book = citing.length > 0 ? await SourceBook.load(tx.manager, negotiationId, citing) : null;
  const created: { seq: number; source: SourceEntity; author: string }[] = [];
  let seq = head;
  const now = Date.now();
  for (const [i, { input, field, author, recordedAt, approvedBy }] of items.entries()) {
    if (reviewed && approvedBy === undefined) {
      // The policy changed after the request was routed (or a bulk write did not ask): nothing is published unreviewed.
      const error = unreviewed(field);
      if (allOrNothing) throw error;
      outcomes[i] = { ok: false, error };
      continue;
    }
    if (strict && input.expectedVersion === undefined && approvedBy === undefined) {
      // requireExpectedVersion: a write that does not say which version it replaces changes nothing (an approval was checked against its base).
      const error = versionRequired(field);
      if (allOrNothing) throw error;
      outcomes[i] = { ok: false, error };
      continue;
    }
    const key = cellKey(input.partyId, input.pointId);
    const cell = cells.get(key) ?? { version: 0, current: null, view: null };
    if (input.expectedVersion !== undefined && input.expectedVersion !== cell.version) {
      const current = cell.view ?? (cell.current ? ((await loadEvents(tx.manager, [cell.current.id])).get(cell.current.id) ?? null) : null);
      const error = conflict(
        'VERSION_CONFLICT',
        `${field ? `${field}: ` : ''}the cell was changed by someone else meanwhile (now version ${cell.version}, you expected ${input.expectedVersion}); nothing was recorded`,
        { partyId: input.partyId, pointId: input.pointId, version: cell.version, current },
      );
      if (allOrNothing) throw error;
      // Refused: takes no number, changes nothing.
      outcomes[i] = { ok: false, error };
      continue;
    }
    let cited: SourceEntity | null = null;
    if (book && citesSource(input.source)) {
      cited = book.find(input.source);
      if (!cited && input.source.id !== undefined) {
        // Checked before the write (StancesService.checkRefs); a source of another negotiation is refused here too.
        const error = badReference(`${field ? `${field}.` : ''}source.id`, `source '${input.source.id}' does not exist in this negotiation`);
        if (allOrNothing) throw error;
        outcomes[i] = { ok: false, error };
        continue;
      }
      if (!cited) {
        cited = book.create(input.source, recordedAt ?? now);
        created.push({ seq: ++seq, source: cited, author });
      }
    }
    const event = entityOfInput(input, negotiationId, ++seq, recordedAt ?? now, author, cited, approvedBy ?? null);
    const view = buildStanceEvent(event, cited ? citedOf(cited) : NO_SOURCE);
    const { next, inForce: becomesCurrent } = cellAfterRecord(cell, event, view);
    cells.set(key, next);
    touched.set(key, { partyId: input.partyId, pointId: input.pointId });
    pending.push({ i, event, view, version: next.version, becomesCurrent, current: next.current, currentView: next.view, author });
  }
  if (pending.length === 0) return outcomes;

  if (created.length > 0) await insertRows(tx.manager, 'sources', SOURCE_COLUMNS, created.map((c) => sourceValues(c.source)));
  await insertRows(tx.manager, 'stance_events', EVENT_COLUMNS, pending.map((p) => eventValues(p.event)));
  await insertRows(
    tx.manager,
    'current_stances',
    CELL_COLUMNS,
    [...touched].map(([key, t]) => {
      const cell = cells.get(key) as Cell;
      return [negotiationId, t.partyId, t.pointId, cell.current?.id ?? null, cell.version];
    }),
    UPSERT_CELL,
  );
  await sql(tx.manager, 'update negotiations set seq = ? where id = ?', [seq, negotiationId]);

  // A back-dated item leaves an older stored event current: its API shape, from the cell when it
  // has it, else loaded once per event (and then kept in the cell).
  const recorded = new Map(pending.flatMap((p) => (p.currentView ? [[p.event.id, p.view] as const, [p.currentView.id, p.currentView] as const] : [[p.event.id, p.view] as const])));
  const older = [...new Set(pending.flatMap((p) => (!p.becomesCurrent && p.current && !recorded.has(p.current.id) ? [p.current.id] : [])))];
  const viewOf = new Map([...(await loadEvents(tx.manager, older)), ...recorded]);
  for (const key of touched.keys()) {
    const cell = cells.get(key) as Cell;
    if (cell.current && !cell.view) cell.view = viewOf.get(cell.current.id) ?? null;
  }

  const entries: ChangeInput[] = created.map((c) => ({
    negotiationId, seq: c.seq, kind: 'source.created', entityId: c.source.id, data: toSource(c.source), recordedAt: c.source.createdAt, recordedBy: c.author,
  }));
  for (const p of pending) {
    const result: RecordStanceResult = {
      event: p.view,
      cell: {
        partyId: p.event.partyId,
        pointId: p.event.pointId,
        version: p.version,
        current: p.becomesCurrent ? p.view : p.current ? (viewOf.get(p.current.id) ?? null) : null,
      },
    };
    outcomes[p.i] = { ok: true, result };
    entries.push({ negotiationId, seq: p.event.seq, kind: 'stance.recorded', entityId: p.event.id, data: result, recordedAt: p.event.recordedAt, recordedBy: p.author });
  }
  await changes.recordMany(tx, entries.sort((a, b) => a.seq - b.seq));
  if (cache) {
    const touchedCells = new Map([...touched.keys()].map((key) => [key, cells.get(key) as Cell]));
    tx.afterCommit(() => cache.committed(negotiationId, head, seq, touchedCells, all));
  }
  return outcomes;
}

/**
 * The cells through the writer's copy: the copy itself when it is the state at the head read here;
 * without a copy, every cell of the negotiation (to become the copy); with a copy of another state
 * (a write earlier in the same group commit, a retraction), the cells the items touch, as before.
 * `cells` reads through `base` and keeps this write's changes apart.
 */
async function cachedCells(
  tx: Tx,
  cache: CellCache,
  negotiationId: string,
  items: StanceItem[],
): Promise<{ head: number; reviewed: boolean; strict: boolean; all: Map<string, Cell> | null; cells: Overlay | Map<string, Cell> }> {
  const { rows: heads } = await sql<{ seq: number | string; review_policy: string; require_expected_version: number | string }>(
    tx.manager,
    'SELECT seq, review_policy, require_expected_version FROM negotiations WHERE id = ?',
    [negotiationId],
  );
  if (heads.length === 0) throw notFound('Negotiation', negotiationId);
  const head = num(heads[0].seq);
  const reviewed = heads[0].review_policy === 'required';
  const strict = num(heads[0].require_expected_version) === 1;
  const copy = cache.state(negotiationId, head);
  if (copy.kind === 'exact') return { head, reviewed, strict, all: null, cells: new Overlay(copy.cells) };
  if (copy.kind === 'behind') return { ...(await readCells(tx, negotiationId, items)), all: null };
  const all = new Map<string, Cell>();
  const { rows } = await sql<CellRow>(
    tx.manager,
    `SELECT ${CELL_SELECT} FROM ${CELL_FROM} WHERE c.negotiation_id = ?`,
    [negotiationId],
  );
  for (const row of rows) all.set(cellKey(row.party_id as string, row.point_id as string), cellOf(row));
  return { head, reviewed, strict, all, cells: new Overlay(all) };
}

/** A stance change refused because the negotiation requires review and nobody approved it. */
export const unreviewed = (field: string) =>
  new AppError(
    409,
    'REVIEW_REQUIRED',
    `${field ? `${field}: ` : ''}this negotiation's review policy is 'required': a stance change is published only when another analyst or an admin approves its proposal; nothing was recorded`,
  );

/** A stance change without expectedVersion in a negotiation whose requireExpectedVersion is on. */
export const versionRequired = (field: string) =>
  invalid([
    {
      field: `${field ? `${field}.` : ''}expectedVersion`,
      message:
        "is required: this negotiation requires expectedVersion on every stance write (requireExpectedVersion); send the cell's version you last saw (0 for a cell with no events); nothing was recorded",
    },
  ]);

/** A write's view of the cells: its own changes over a base it does not modify. */
class Overlay {
  private readonly own = new Map<string, Cell>();
  constructor(private readonly base: Map<string, Cell>) {}
  get(key: string): Cell | undefined {
    return this.own.get(key) ?? this.base.get(key);
  }
  set(key: string, cell: Cell): void {
    this.own.set(key, cell);
  }
}


/**
 * The negotiation's sequence head and the stored cells the items touch, with the ordering keys of
 * their current events. The cells are joined to the negotiation's row, so one statement serves a
 * single write.
 */
async function readCells(tx: Tx, negotiationId: string, items: StanceItem[]): Promise<{ head: number; reviewed: boolean; strict: boolean; cells: Map<string, Cell> }> {
  const wanted = new Map<string, [string, string]>();
  for (const { input } of items) wanted.set(cellKey(input.partyId, input.pointId), [input.partyId, input.pointId]);
  const pairs = [...wanted.values()];
  const cells = new Map<string, Cell>();
  let head: number | null = null;
  let reviewed = false;
  let strict = false;
  for (let i = 0; i < pairs.length; i += CELL_CHUNK) {
    const chunk = pairs.slice(i, i + CELL_CHUNK);
    // A join with a VALUES list seeks each cell by the primary key (an OR of the pairs is several times slower).
    const values = chunk.map(() => '(?, ?)').join(', ');
    const { rows } = await sql<CellRow & { head: number | string; review_policy: string; require_expected_version: number | string }>(
      tx.manager,
      `SELECT n.seq AS head, n.review_policy, n.require_expected_version, c.party_id, c.point_id, c.version, c.event_id, e.effective_at, e.recorded_at, e.seq
         FROM negotiations n
         LEFT JOIN (current_stances c JOIN (VALUES ${values}) v ON c.party_id = v.column1 AND c.point_id = v.column2) ON c.negotiation_id = n.id
         LEFT JOIN stance_events e ON e.id = c.event_id
        WHERE n.id = ?`,
      [...chunk.flat(), negotiationId],
    );
    if (rows.length === 0) throw notFound('Negotiation', negotiationId);
    head ??= num(rows[0].head);
    reviewed = rows[0].review_policy === 'required';
    strict = num(rows[0].require_expected_version) === 1;
    for (const row of rows) {
      if (row.party_id === null || row.point_id === null) continue;
      cells.set(cellKey(row.party_id, row.point_id), cellOf(row));
    }
  }
  return { head: head ?? 0, reviewed, strict, cells };
}


/**
 * Retracts an event (a correction: it counts as never having happened, from now on). Takes the
 * negotiation's next number; the cell's version goes up and it falls back to its latest standing
 * event (stance-row.ts, rule 2).
 */
export async function retractStance(
  tx: Tx,
  { changes }: WriterDeps,
  eventId: string,
  input: RetractInput,
  author: string,
  /** As StanceItem.recordedAt: the demo loader's history only. */
  recordedAt?: number,
  /** As StanceItem.approvedBy: a retraction proposed and approved (review/). */
  approvedBy?: string,
): Promise<RecordStanceResult> {
  const event = isUuid(eventId) ? await tx.manager.findOneBy(StanceEventEntity, { id: eventId }) : null;
  if (!event) throw notFound('Stance event', eventId);
  const seq = await changes.nextSeq(tx, event.negotiationId);
  if (approvedBy === undefined) {
    const { rows: policy } = await sql<{ review_policy: string; require_expected_version: number | string }>(
      tx.manager,
      'SELECT review_policy, require_expected_version FROM negotiations WHERE id = ?',
      [event.negotiationId],
    );
    if (policy[0]?.review_policy === 'required') throw unreviewed('');
    if (num(policy[0]?.require_expected_version ?? 0) === 1 && input.expectedVersion === undefined) throw versionRequired('');
  }
  const existing = await tx.manager.findOneBy(StanceRetractionEntity, { eventId: event.id });
  if (existing) {
    throw conflict('ALREADY_RETRACTED', `Stance event '${event.id}' was already retracted (${existing.reason})`, await loadEvent(tx, event.id));
  }
  if (input.expectedVersion !== undefined) await checkVersion(tx, event, input.expectedVersion, 'retracted');
  const now = recordedAt ?? Date.now();
  await tx.manager.insert(StanceRetractionEntity, {
    id: newOrderedId(now),
    negotiationId: event.negotiationId,
    eventId: event.id,
    seq,
    reason: input.reason,
    recordedAt: now,
    recordedBy: author,
  });
  const { negotiationId, partyId, pointId } = event;
  const { rows: cells } = await sql<CellRow>(
    tx.manager,
    `SELECT ${CELL_SELECT} FROM ${CELL_FROM} WHERE c.negotiation_id = ? AND c.party_id = ? AND c.point_id = ?`,
    [negotiationId, partyId, pointId],
  );
  const { rows: standing } = await sql<{ id: string }>(tx.manager, STANDING_EVENT_SQL, [negotiationId, partyId, pointId]);
  const version = (cells[0] ? cellOf(cells[0]).version : 0) + 1;
  const currentId = standing[0]?.id ?? null;
  await insertRows(tx.manager, 'current_stances', CELL_COLUMNS, [[negotiationId, partyId, pointId, currentId, version]], UPSERT_CELL);
  const result: RecordStanceResult = {
    event: await loadEvent(tx, event.id),
    cell: { partyId, pointId, version, current: currentId ? await loadEvent(tx, currentId) : null },
  };
  await changes.record(tx, { negotiationId, seq, kind: 'stance.retracted', entityId: event.id, data: result, recordedAt: now, recordedBy: author });
  return result;
}

async function loadEvent(tx: Tx, eventId: string): Promise<StanceEvent> {
  const event = (await loadEvents(tx.manager, [eventId])).get(eventId);
  if (!event) throw notFound('Stance event', eventId);
  return event;
}

/** 409 VERSION_CONFLICT with the cell as it is (as a stance write's) when its version is not `expected`. */
async function checkVersion(tx: Tx, event: { negotiationId: string; partyId: string; pointId: string }, expected: number, what: string): Promise<number> {
  const { negotiationId, partyId, pointId } = event;
  const { rows } = await sql<CellRow>(
    tx.manager,
    `SELECT ${CELL_SELECT} FROM ${CELL_FROM} WHERE c.negotiation_id = ? AND c.party_id = ? AND c.point_id = ?`,
    [negotiationId, partyId, pointId],
  );
  const cell = rows[0] ? cellOf(rows[0]) : { version: 0, current: null };
  if (cell.version === expected) return cell.version;
  throw conflict(
    'VERSION_CONFLICT',
    `the cell was changed by someone else meanwhile (now version ${cell.version}, you expected ${expected}); nothing was ${what}`,
    { partyId, pointId, version: cell.version, current: cell.current ? await loadEvent(tx, cell.current.id) : null },
  );
}

/**
 * A one-step correction: retracts `eventId` and records `input` (on the event's cell) in one
 * transaction and ONE change — `stance.corrected`, one sequence number shared by the retraction
 * and the new event, one change-log row, one live message — so a viewer goes from the old stance
 * to the new one without the state between. Rules as for a retraction and a write: review policy
 * (`approvedBy` when published from a proposal), requireExpectedVersion, already retracted (409),
 * expectedVersion against the cell before it (409 with the cell); the cell's version goes up by
 * two (a retraction and an event) and it holds its latest standing event after both. An inline
 * source the negotiation does not hold yet is created first (its own `source.created` change,
 * committed and published with it). The change's data is stored in full (corrections are rare).
 */
export async function correctStance(
  tx: Tx,
  { changes }: WriterDeps,
  negotiationId: string,
  eventId: string,
  input: StanceCreate,
  reason: string,
  author: string,
  approvedBy?: string,
): Promise<CorrectStanceResult> {
  const old = isUuid(eventId) ? await tx.manager.findOneBy(StanceEventEntity, { id: eventId }) : null;
  if (!old || old.negotiationId !== negotiationId) throw notFound('Stance event', eventId);
  if (input.partyId !== old.partyId || input.pointId !== old.pointId) {
    throw invalid([{ field: 'partyId', message: `a correction stays on the event's cell (party '${old.partyId}', point '${old.pointId}')` }]);
  }
  // PostgreSQL: serialize with the negotiation's writers before reading the head and the cell.
  await changes.lock(tx, negotiationId);
  const { rows: heads } = await sql<{ seq: number | string; review_policy: string; require_expected_version: number | string }>(
    tx.manager,
    'SELECT seq, review_policy, require_expected_version FROM negotiations WHERE id = ?',
    [negotiationId],
  );
  if (heads.length === 0) throw notFound('Negotiation', negotiationId);
  let seq = num(heads[0].seq);
  if (approvedBy === undefined) {
    if (heads[0].review_policy === 'required') throw unreviewed('');
    if (num(heads[0].require_expected_version) === 1 && input.expectedVersion === undefined) throw versionRequired('');
  }
  const existing = await tx.manager.findOneBy(StanceRetractionEntity, { eventId: old.id });
  if (existing) {
    throw conflict('ALREADY_RETRACTED', `Stance event '${old.id}' was already retracted (${existing.reason}); nothing was corrected`, await loadEvent(tx, old.id));
  }
  const { rows: cellRows } = await sql<CellRow>(
    tx.manager,
    `SELECT ${CELL_SELECT} FROM ${CELL_FROM} WHERE c.negotiation_id = ? AND c.party_id = ? AND c.point_id = ?`,
    [negotiationId, old.partyId, old.pointId],
  );
  const before = cellRows[0] ? cellOf(cellRows[0]).version : 0;
  if (input.expectedVersion !== undefined && input.expectedVersion !== before) await checkVersion(tx, old, input.expectedVersion, 'corrected');

  const now = Date.now();
  const entries: ChangeInput[] = [];
  let cited: SourceEntity | null = null;
  if (citesSource(input.source)) {
    const book = await SourceBook.load(tx.manager, negotiationId, [input.source]);
    cited = book.find(input.source);
    if (!cited && input.source.id !== undefined) throw badReference('source.id', `source '${input.source.id}' does not exist in this negotiation`);
    if (!cited) {
      cited = book.create(input.source, now);
      await insertRows(tx.manager, 'sources', SOURCE_COLUMNS, [sourceValues(cited)]);
      entries.push({ negotiationId, seq: ++seq, kind: 'source.created', entityId: cited.id, data: toSource(cited), recordedAt: now, recordedBy: author });
    }
  }
  seq += 1;
  const event = entityOfInput(input, negotiationId, seq, now, author, cited, approvedBy ?? null);
  await insertRows(tx.manager, 'stance_events', EVENT_COLUMNS, [eventValues(event)]);
  // The retraction takes the same number: one change.
  await tx.manager.insert(StanceRetractionEntity, { id: newOrderedId(now), negotiationId, eventId: old.id, seq, reason, recordedAt: now, recordedBy: author });
  const { partyId, pointId } = old;
  const { rows: standing } = await sql<{ id: string }>(tx.manager, STANDING_EVENT_SQL, [negotiationId, partyId, pointId]);
  const currentId = standing[0]?.id ?? null;
  const version = before + 2;
  await insertRows(tx.manager, 'current_stances', CELL_COLUMNS, [[negotiationId, partyId, pointId, currentId, version]], UPSERT_CELL);
  await sql(tx.manager, 'update negotiations set seq = ? where id = ?', [seq, negotiationId]);
  const views = await loadEvents(tx.manager, [...new Set([old.id, event.id, ...(currentId ? [currentId] : [])])]);
  const view = (id: string) => {
    const found = views.get(id);
    if (!found) throw notFound('Stance event', id);
    return found;
  };
  const result: CorrectStanceResult = {
    retracted: view(old.id),
    event: view(event.id),
    cell: { partyId, pointId, version, current: currentId ? view(currentId) : null },
  };
  entries.push({ negotiationId, seq, kind: 'stance.corrected', entityId: event.id, data: result, recordedAt: now, recordedBy: author });
  await changes.recordMany(tx, entries);
  return result;
}
