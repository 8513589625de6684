import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { ChangeEntry, Position, StanceEvent } from '@parley/contracts';
import { POSITIONS } from '@parley/contracts';
import { StanceIndex } from '@parley/domain';
import { ChangeLog } from '../changes/change-log.service';
import { Db } from '../database/db.service';
import { num, sql } from '../database/sql';
import { toStanceEvent, type EventRow } from '../stances/stance.mapper';

/** Rows per query while an index is built: bounds the driver's row objects in memory at once. */
const LOAD_PAGE = 50_000;
/** Above this many indexed events in all, the least recently used negotiations' indexes are dropped. */
const MAX_INDEXED_EVENTS = 5_000_000;
/** Event views kept per negotiation for the cells shown (events never change once recorded). */
const MAX_CACHED_VIEWS = 30_000;
/** Statements take at most this many sequence numbers at once. */
const SEQ_CHUNK = 10_000;

interface Entry {
  index: StanceIndex | null;
  /** Build and catch-up run one at a time per negotiation; the live stream waits meanwhile. */
  updating: Promise<void> | null;
  views: Map<number, StanceEvent>;
  usedAt: number;
}

const EVENT_COLUMNS = [
  'id', 'negotiation_id', 'seq', 'party_id', 'point_id', 'position', 'confidence', 'effective_at', 'effective_precision',
  'recorded_at', 'recorded_by', 'conditions_text', 'condition_point_ids', 'note', 'quote', 'actor_id', 'source_url',
  'source_outlet', 'source_title', 'source_published_at', 'document_id', 'milestone_id',
] as const;

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
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.changes.subscribe((entry) => this.apply(entry));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    this.entries.clear();
  }

  /** The negotiation's index, complete at least up to `seq` (its head, as the caller read it). */
  async at(negotiationId: string, seq: number): Promise<StanceIndex> {
    let entry = this.entries.get(negotiationId);
    if (!entry) {
      entry = { index: null, updating: null, views: new Map(), usedAt: 0 };
      this.entries.set(negotiationId, entry);
    }
    entry.usedAt = Date.now();
    // While a build or catch-up runs the index is between two states: wait for it in any case.
    while (!entry.index || entry.index.lastSeq < seq || entry.updating) {
      if (entry.updating) {
        await entry.updating;
        continue;
      }
      const run = this.bringUpTo(negotiationId, entry, seq);
      entry.updating = run;
      try {
        await run;
      } finally {
        entry.updating = null;
      }
    }
    return entry.index;
  }

  /**
   * The API view of events by sequence number, for the cells shown. Only visible events are shown,
   * and a visible event's retraction is never known at the view's knownAt, so no view carries one.
   */
  async events(negotiationId: string, seqs: readonly number[]): Promise<Map<number, StanceEvent>> {
    const entry = this.entries.get(negotiationId);
    const cache = entry?.views ?? new Map<number, StanceEvent>();
    const out = new Map<number, StanceEvent>();
    const missing: number[] = [];
    for (const seq of seqs) {
      const view = cache.get(seq);
      if (view) out.set(seq, view);
      else missing.push(seq);
    }
    for (let i = 0; i < missing.length; i += SEQ_CHUNK) {
      for (const row of await this.eventRows(negotiationId, missing.slice(i, i + SEQ_CHUNK))) {
        const view = toStanceEvent({ ...row, r_id: null, r_seq: null, r_reason: null, r_recorded_at: null, r_recorded_by: null });
        out.set(view.seq, view);
        cache.set(view.seq, view);
      }
    }
    if (cache.size > MAX_CACHED_VIEWS) {
      // Oldest first (a Map iterates in insertion order): keep the most recently loaded.
      let excess = cache.size - MAX_CACHED_VIEWS;
      for (const key of cache.keys()) {
        if (excess-- <= 0) break;
        cache.delete(key);
      }
    }
    return out;
  }

  /** Bytes and events held, for the benchmarks. */
  stats(): { negotiations: number; events: number; bytes: number } {
    let events = 0;
    let bytes = 0;
    for (const { index } of this.entries.values()) {
      events += index?.size ?? 0;
      bytes += index?.bytes ?? 0;
    }
    return { negotiations: this.entries.size, events, bytes };
  }

  private async bringUpTo(negotiationId: string, entry: Entry, head: number): Promise<void> {
    try {
      const current = entry.index;
      if (current && (await this.catchUp(negotiationId, current, head))) return;
      entry.index = await this.build(negotiationId, head);
      this.evict(negotiationId);
    } catch (err) {
      // A half-applied catch-up must not be used: the next read builds the index again.
      entry.index = null;
      throw err;
    }
  }

  private async build(negotiationId: string, head: number): Promise<StanceIndex> {
    const { rows: counted } = await sql<{ n: number | string }>(
      this.db.read,
      'SELECT COUNT(*) AS n FROM stance_events WHERE negotiation_id = ? AND seq <= ?',
      [negotiationId, head],
    );
    const index = new StanceIndex(num(counted[0]?.n ?? 0));
    await this.addEvents(negotiationId, index, 0, head);
    await this.addRetractions(negotiationId, index, 0, head);
    index.lastSeq = head;
    return index;
  }

  /** Applies what was committed after the index's last sequence number; false when the index must be rebuilt. */
  private async catchUp(negotiationId: string, index: StanceIndex, head: number): Promise<boolean> {
    const after = index.lastSeq;
    await this.addEvents(negotiationId, index, after, head);
    if (!(await this.addRetractions(negotiationId, index, after, head))) return false;
    index.lastSeq = Math.max(index.lastSeq, head);
    return true;
  }

  private async addEvents(negotiationId: string, index: StanceIndex, after: number, head: number): Promise<void> {
    for (let from = after; ; ) {
      const { rows } = await sql<{
        seq: number | string;
        party_id: string;
        point_id: string;
        position: Position;
        effective_at: number | string;
        recorded_at: number | string;
      }>(
        this.db.read,
        `SELECT seq, party_id, point_id, position, effective_at, recorded_at FROM stance_events
          WHERE negotiation_id = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ${LOAD_PAGE}`,
        [negotiationId, from, head],
      );
      index.reserve(rows.length);
      for (const r of rows) {
        index.add({
          seq: num(r.seq),
          partyId: r.party_id,
          pointId: r.point_id,
          position: r.position,
          effectiveAt: num(r.effective_at),
          recordedAt: num(r.recorded_at),
        });
      }
      if (rows.length < LOAD_PAGE) return;
      from = num(rows[rows.length - 1].seq);
    }
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
        });
      } else if (change.kind === 'stance.retracted') {
        const event = stanceOf(change.data);
        const at = event?.retraction ? Date.parse(event.retraction.recordedAt) : Number.NaN;
        if (!event || Number.isNaN(at) || !index.retract(event.seq, at, change.seq)) return;
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

  private async eventRows(negotiationId: string, seqs: number[]): Promise<EventRow[]> {
    if (seqs.length === 0) return [];
    const select = EVENT_COLUMNS.map((c) => `e.${c}`).join(', ');
    if (this.db.read.connection.options.type === 'postgres') {
      const { rows } = await sql<EventRow>(this.db.read, `SELECT ${select} FROM stance_events e WHERE e.negotiation_id = ? AND e.seq = ANY(?::int[])`, [
        negotiationId,
        seqs,
      ]);
      return rows;
    }
    // SQLite: one JSON value instead of a row object per event; the sqlite3 driver's row objects
    // cost several times more than JSON.parse of the same data.
    const { rows } = await sql<{ j: string | null }>(
      this.db.read,
      `SELECT json_group_array(json_array(${select})) AS j FROM stance_events e
        WHERE e.negotiation_id = ? AND e.seq IN (SELECT value FROM json_each(?))`,
      [negotiationId, JSON.stringify(seqs)],
    );
    const arrays = JSON.parse(rows[0]?.j ?? '[]') as unknown[][];
    return arrays.map((values) => Object.fromEntries(EVENT_COLUMNS.map((c, i) => [c, values[i]])) as unknown as EventRow);
  }
}

/** The event of a stance change's data (RecordStanceResult), when it has the expected shape. */
function stanceOf(data: unknown): StanceEvent | null {
  const event = (data as { event?: Partial<StanceEvent> } | null)?.event;
  if (!event || typeof event !== 'object') return null;
  const ok =
    typeof event.seq === 'number' &&
    typeof event.partyId === 'string' &&
    typeof event.pointId === 'string' &&
    typeof event.effectiveAt === 'string' &&
    typeof event.recordedAt === 'string' &&
    (POSITIONS as readonly string[]).includes(event.position ?? '');
  return ok ? (event as StanceEvent) : null;
}
