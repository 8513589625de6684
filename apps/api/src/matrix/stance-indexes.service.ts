import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { ChangeEntry, CitedSource, StanceEvent } from '@parley/contracts';
import { POSITIONS } from '@parley/contracts';
import { StanceIndex, type InForce } from '@parley/domain';
import { ChangeLog } from '../changes/change-log.service';
import { Metrics } from '../common/metrics';
import { Db } from '../database/db.service';
import { dialectOf } from '../database/dialect';
import { In } from 'typeorm';
import { num, selectMany, sql } from '../database/sql';
import { detailTextsOfRow, detailTextsOfView, EVENT_COLUMNS, EVENT_ONLY_SELECT, rowOfTuple, toStanceEvent, type EventRow } from '../stances/stance-row';
import { SourceEntity } from '../sources/source.entity';
import { citedOf, NO_SOURCE } from '../sources/source.mapper';
import { EventDetails } from './event-details';

/** Rows per query while an index is built: bounds the driver's row objects in memory at once. */
const LOAD_PAGE = 20_000;
/** Above this many indexed events in all, the least recently used negotiations' indexes are dropped. */
const MAX_INDEXED_EVENTS = 5_000_000;
/** Event views kept per negotiation and generation for the cells shown (events never change once recorded). */
const CACHED_VIEWS = 12_000;
/** Negotiations with more events than this keep no details in memory: the cells shown are read per request. */
const MAX_DETAILED_EVENTS = 2_000_000;
/** Statements take at most this many sequence numbers at once. */
const SEQ_CHUNK = 10_000;

interface Entry {
  index: StanceIndex | null;
  /** The displayed fields of the same events; null above MAX_DETAILED_EVENTS (then read per request). */
  details: EventDetails | null;
  /** Build and catch-up run one at a time per negotiation; the live stream waits meanwhile. */
  updating: Promise<void> | null;
  views: ViewCache;
  /** The negotiation's sources as stances show them, by id: a view's source is one lookup, and a `source.updated` keeps it current. */
  sources: Map<string, CitedSource>;
  usedAt: number;
}

/**
 * One in-memory StanceIndex per negotiation, built from the database on first use and kept current
 * by the change stream. Another node's writes never reach this node's ChangeLog listeners (they
 * travel to sockets through Redis), so every read first compares the index with the negotiation's
 * sequence number, which the caller has just read, and catches up from the tables when behind:
 * the database stays the source of truth and a missed or dropped message only costs one query.
 */
@Injectable()
export class StanceIndexes implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('StanceIndexes');
  private readonly entries = new Map<string, Entry>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly db: Db,
    private readonly changes: ChangeLog,
    private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.changes.subscribe((entry) => this.apply(entry));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    this.entries.clear();
  }

  /** The negotiation's index, complete at least up to `seq` (its head, as the caller read it); builds it if needed. */
  async at(negotiationId: string, seq: number): Promise<StanceIndex> {
    const entry = this.entryOf(negotiationId);
    // While a build or catch-up runs the index is between two states: wait for it in any case.
    while (!entry.index || entry.index.lastSeq < seq || entry.updating) {
      if (entry.updating) {
        await entry.updating;
        continue;
      }
      await this.update(negotiationId, entry, seq);
    }
    return entry.index;
  }

  /**
   * Like `at` once the index exists (a catch-up is short); before that, starts building it in the
   * background and answers null, so the first reads after a start are served by the SQL path
   * instead of waiting seconds for a long history to load.
   */
  async ready(negotiationId: string, seq: number): Promise<StanceIndex | null> {
    const entry = this.entryOf(negotiationId);
    if (!entry.index) {
      if (!entry.updating) {
        this.update(negotiationId, entry, seq).catch((err: unknown) => this.logger.warn(`stance index of ${negotiationId} not built: ${String(err)}`));
      }
      return null;
    }
    return this.at(negotiationId, seq);
  }

  private entryOf(negotiationId: string): Entry {
    let entry = this.entries.get(negotiationId);
    if (!entry) {
      entry = { index: null, details: null, updating: null, views: new ViewCache(CACHED_VIEWS), sources: new Map(), usedAt: 0 };
      this.entries.set(negotiationId, entry);
    }
    entry.usedAt = Date.now();
    return entry;
  }

  private async update(negotiationId: string, entry: Entry, seq: number): Promise<void> {
    const run = this.bringUpTo(negotiationId, entry, seq);
    entry.updating = run;
    try {
      await run;
    } finally {
      entry.updating = null;
    }
  }

  /**
   * The API view of the event in force per cell (null where none is), by cell number. Only visible
   * events are shown, and a visible event's retraction is never known at the view's knownAt, so no
   * view carries one. Cached: every view while the whole history fits in the cache, otherwise the
   * views of cells' current events only, whichever query built them. The current matrix asks for
   * those again and again, while an event in force at some past date of a long history is rarely
   * asked twice, and keeping ten thousand of them per query made every scavenge copy them.
   */
  async views(negotiationId: string, index: StanceIndex, at: InForce): Promise<(StanceEvent | null)[]> {
    const entry = this.entries.get(negotiationId);
    const cache = entry?.views ?? new ViewCache(CACHED_VIEWS);
    const details = entry?.details ?? null;
    const sources = entry?.sources ?? new Map<string, CitedSource>();
    const sourceOf = (id: string): CitedSource => sources.get(id) ?? { ...NO_SOURCE, id };
    const keepAll = index.size <= CACHED_VIEWS;
    const out = new Array<StanceEvent | null>(at.seq.length).fill(null);
    const missing = new Map<number, number>();
    for (let c = 0; c < at.seq.length; c += 1) {
      const seq = at.seq[c];
      if (seq < 0) continue;
      let view = cache.get(seq);
      if (!view && details) {
        const shown = details.view(seq, {
          partyId: index.partyOf(c),
          pointId: index.pointOf(c),
          position: POSITIONS[at.position[c]],
          effectiveAt: at.effectiveAt[c],
          recordedAt: at.recordedAt[c],
        }, sourceOf);
        if (shown) {
          view = shown;
          if (keepAll || at.current[c] === 1) cache.put(seq, view);
        }
      }
      if (view) out[c] = view;
      else missing.set(seq, c);
    }
    const seqs = [...missing.keys()];
    for (let i = 0; i < seqs.length; i += SEQ_CHUNK) {
      for (const row of await this.eventRows(negotiationId, seqs.slice(i, i + SEQ_CHUNK))) {
        const view = toStanceEvent({ ...row, r_id: null, r_seq: null, r_reason: null, r_recorded_at: null, r_recorded_by: null }, undefined, row.source_id === null ? NO_SOURCE : sourceOf(row.source_id));
        const c = missing.get(view.seq);
        if (c === undefined) continue;
        out[c] = view;
        missing.delete(view.seq);
        if (keepAll || at.current[c] === 1) cache.put(view.seq, view);
      }
    }
    if (missing.size > 0) throw new Error(`stance events ${[...missing.keys()].slice(0, 5).join(', ')} of negotiation ${negotiationId} are indexed but not stored`);
    return out;
  }

  /** Bytes and events held, for the benchmarks. */
  stats(): { negotiations: number; events: number; indexBytes: number; detailBytes: number } {
    let events = 0;
    let indexBytes = 0;
    let detailBytes = 0;
    for (const { index, details } of this.entries.values()) {
      events += index?.size ?? 0;
      indexBytes += index?.bytes ?? 0;
      detailBytes += details?.bytes ?? 0;
    }
    return { negotiations: this.entries.size, events, indexBytes, detailBytes };
  }

  private async bringUpTo(negotiationId: string, entry: Entry, head: number): Promise<void> {
    try {
      if (entry.index) {
        const after = entry.index.lastSeq;
        if (await this.catchUp(negotiationId, entry.index, entry.details, head)) {
          await this.catchUpSources(negotiationId, entry, after, head);
          return;
        }
      }
      entry.index = null;
      entry.details = null;
      entry.sources = await this.loadSources(negotiationId, {});
      entry.views = new ViewCache(CACHED_VIEWS);
      const stopTimer = this.metrics.indexBuild.startTimer();
      const built = await this.build(negotiationId, head);
      stopTimer();
      // Outlets for corroboration, kept current by the source changes (apply, catchUpSources).
      for (const [id, source] of entry.sources) built.index.setOutlet(id, source.outlet);
      entry.index = built.index;
      entry.details = built.details;
      this.evict(negotiationId);
    } catch (err) {
      // A half-applied catch-up must not be used: the next read builds the index again.
      entry.index = null;
      entry.details = null;
      throw err;
    }
  }

  private async build(negotiationId: string, head: number): Promise<{ index: StanceIndex; details: EventDetails | null }> {
    const { rows: counted } = await sql<{ n: number | string }>(
      this.db.read,
      'SELECT COUNT(*) AS n FROM stance_events WHERE negotiation_id = ? AND seq <= ?',
      [negotiationId, head],
    );
    const events = num(counted[0]?.n ?? 0);
    const index = new StanceIndex(events);
    const details = events <= MAX_DETAILED_EVENTS ? new EventDetails(negotiationId) : null;
    details?.reserve(events);
    await this.addEvents(negotiationId, index, details, 0, head);
    await this.addRetractions(negotiationId, index, 0, head);
    index.lastSeq = head;
    return { index, details };
  }

  /** Applies what was committed after the index's last sequence number; false when the index must be rebuilt. */
  private async catchUp(negotiationId: string, index: StanceIndex, details: EventDetails | null, head: number): Promise<boolean> {
    const after = index.lastSeq;
    await this.addEvents(negotiationId, index, details, after, head);
    if (!(await this.addRetractions(negotiationId, index, after, head))) return false;
    index.lastSeq = Math.max(index.lastSeq, head);
    return true;
  }

  private async addEvents(negotiationId: string, index: StanceIndex, details: EventDetails | null, after: number, head: number): Promise<void> {
    for (let from = after; ; ) {
      const rows = await this.eventRows(negotiationId, { after: from, upTo: head, limit: LOAD_PAGE });
      index.reserve(rows.length);
      for (const r of rows) {
        index.add({
          seq: num(r.seq),
          partyId: r.party_id,
          pointId: r.point_id,
          position: r.position,
          effectiveAt: num(r.effective_at),
          recordedAt: num(r.recorded_at),
          sourceId: r.source_id,
        });
        details?.add(num(r.seq), r.id, detailTextsOfRow(r));
      }
      if (rows.length < LOAD_PAGE) return;
      from = num(rows[rows.length - 1].seq);
    }
  }

  /** The negotiation's sources (all, or those changed in a range of sequence numbers) as stances show them. */
  private async loadSources(negotiationId: string, where: { ids?: string[] }): Promise<Map<string, CitedSource>> {
    const out = new Map<string, CitedSource>();
    if (where.ids?.length === 0) return out;
    const rows = await this.db.read.find(SourceEntity, { where: where.ids ? { negotiationId, id: In(where.ids) } : { negotiationId } });
    for (const s of rows) out.set(s.id, citedOf(s));
    return out;
  }

  /** The sources created or corrected after `after` (another node's writes): into the map, and cached views dropped when one changed. */
  private async catchUpSources(negotiationId: string, entry: Entry, after: number, head: number): Promise<void> {
    if (head <= after) return;
    const { rows } = await sql<{ entity_id: string; kind: string }>(
      this.db.read,
      `SELECT entity_id, kind FROM change_log WHERE negotiation_id = ? AND seq > ? AND seq <= ? AND kind IN ('source.created', 'source.updated')`,
      [negotiationId, after, head],
    );
    if (rows.length === 0) return;
    for (const [id, source] of await this.loadSources(negotiationId, { ids: [...new Set(rows.map((r) => r.entity_id))] })) {
      entry.sources.set(id, source);
      entry.index?.setOutlet(id, source.outlet);
    }
    if (rows.some((r) => r.kind === 'source.updated')) entry.views = new ViewCache(CACHED_VIEWS);
  }

  /** False when a retraction names an event the index does not hold (it is then rebuilt). */
  private async addRetractions(negotiationId: string, index: StanceIndex, after: number, head: number): Promise<boolean> {
    const { rows } = await sql<{ event_seq: number | string; seq: number | string; recorded_at: number | string }>(
      this.db.read,
      `SELECT e.seq AS event_seq, r.seq, r.recorded_at FROM stance_retractions r JOIN stance_events e ON e.id = r.event_id
        WHERE r.negotiation_id = ? AND r.seq > ? AND r.seq <= ? ORDER BY r.seq`,
      [negotiationId, after, head],
    );
    return rows.every((r) => index.retract(num(r.event_seq), num(r.recorded_at), num(r.seq)));
  }

  /**
   * A change committed on this node. Applied only when it is the very next one and no build or
   * catch-up is running; anything else is left to the catch-up of the next read.
   */
  private apply(change: ChangeEntry): void {
    const entry = this.entries.get(change.negotiationId);
    const index = entry?.index;
    if (!entry || !index || entry.updating || change.seq !== index.lastSeq + 1) return;
    try {
      if (change.kind === 'stance.recorded') {
        const event = stanceOf(change.data);
        if (!event) return;
        index.add({
          seq: event.seq,
          partyId: event.partyId,
          pointId: event.pointId,
          position: event.position,
          effectiveAt: Date.parse(event.effectiveAt),
          recordedAt: Date.parse(event.recordedAt),
          sourceId: event.source.id,
        });
        entry.details?.add(event.seq, event.id, detailTextsOfView(event));
      } else if (change.kind === 'stance.corrected') {
        // One change: the retraction first (nothing applied if it fails: the catch-up reads both), then the new event.
        const retracted = stanceOf({ event: change.data.retracted });
        const event = stanceOf(change.data);
        const at = retracted?.retraction ? Date.parse(retracted.retraction.recordedAt) : Number.NaN;
        if (!retracted || !event || Number.isNaN(at) || !index.retract(retracted.seq, at, change.seq)) return;
        index.add({
          seq: event.seq,
          partyId: event.partyId,
          pointId: event.pointId,
          position: event.position,
          effectiveAt: Date.parse(event.effectiveAt),
          recordedAt: Date.parse(event.recordedAt),
          sourceId: event.source.id,
        });
        entry.details?.add(event.seq, event.id, detailTextsOfView(event));
      } else if (change.kind === 'stance.retracted') {
        const event = stanceOf(change.data);
        const at = event?.retraction ? Date.parse(event.retraction.recordedAt) : Number.NaN;
        if (!event || Number.isNaN(at) || !index.retract(event.seq, at, change.seq)) return;
      } else if (change.kind === 'source.created' || change.kind === 'source.updated') {
        entry.sources.set(change.data.id, citedOf(change.data));
        index.setOutlet(change.data.id, change.data.outlet);
        // Cached views show the source's old fields.
        if (change.kind === 'source.updated') entry.views = new ViewCache(CACHED_VIEWS);
      }
      index.lastSeq = change.seq;
    } catch (err) {
      // The index may be half-updated: drop it; the next read rebuilds it from the database.
      this.logger.warn(`stance index of ${change.negotiationId} dropped: ${String(err)}`);
      entry.index = null;
    }
  }

  private evict(keep: string): void {
    let total = 0;
    for (const { index } of this.entries.values()) total += index?.size ?? 0;
    const byAge = [...this.entries].filter(([id]) => id !== keep).sort((a, b) => a[1].usedAt - b[1].usedAt);
    for (const [id, entry] of byAge) {
      if (total <= MAX_INDEXED_EVENTS) break;
      if (entry.updating) continue;
      total -= entry.index?.size ?? 0;
      this.entries.delete(id);
    }
  }

  /** Events by sequence numbers, or a page of them in seq order. */
  private async eventRows(negotiationId: string, which: number[] | { after: number; upTo: number; limit: number }): Promise<EventRow[]> {
    if (Array.isArray(which) && which.length === 0) return [];
    const { where, params } = Array.isArray(which) ? dialectOf(this.db.read).inList('e.seq', which) : { where: 'e.seq > ? AND e.seq <= ?', params: [which.after, which.upTo] };
    const page = Array.isArray(which) ? '' : `ORDER BY e.seq LIMIT ${which.limit}`;
    return selectMany(this.db.read, EVENT_COLUMNS, `SELECT ${EVENT_ONLY_SELECT} FROM stance_events e WHERE e.negotiation_id = ? AND ${where} ${page}`, [negotiationId, ...params], rowOfTuple);
  }
}

/**
 * Recently shown views in two generations: a view goes to the young one (a hit in the old one moves
 * it there); a full young generation becomes the old one and the old one is dropped, so keeping the
 * cache bounded never walks its entries.
 */
class ViewCache {
  private young = new Map<number, StanceEvent>();
  private old = new Map<number, StanceEvent>();

  constructor(private readonly perGeneration: number) {}

  get(seq: number): StanceEvent | undefined {
    const young = this.young.get(seq);
    if (young) return young;
    const old = this.old.get(seq);
    if (old) this.put(seq, old);
    return old;
  }

  put(seq: number, view: StanceEvent): void {
    if (this.young.has(seq)) return;
    this.young.set(seq, view);
    if (this.young.size >= this.perGeneration) {
      this.old = this.young;
      this.young = new Map();
    }
  }
}

/** The event of a stance change's data (RecordStanceResult), when it has the expected shape. */
function stanceOf(data: unknown): StanceEvent | null {
  const event = (data as { event?: Partial<StanceEvent> } | null)?.event;
  if (!event || typeof event !== 'object') return null;
  const ok =
    typeof event.seq === 'number' &&
    typeof event.id === 'string' &&
    typeof event.source === 'object' &&
    typeof event.conditions === 'object' &&
    typeof event.partyId === 'string' &&
    typeof event.pointId === 'string' &&
    typeof event.effectiveAt === 'string' &&
    typeof event.recordedAt === 'string' &&
    (POSITIONS as readonly string[]).includes(event.position ?? '');
  return ok ? (event as StanceEvent) : null;
}
