import { Injectable, Logger } from '@nestjs/common';
import type { ChangeEntry, ChangeKind, ChangePayloads } from '@parley/contracts';
import { toIso } from '@parley/domain';
import type { EntityManager } from 'typeorm';
import type { Tx } from '../database/db.service';
import { insertRows, lockRow, sql, num } from '../database/sql';
import { notFound } from '../common/app-error';
import { AuditLog } from '../audit/audit.service';

export type ChangeListener = (entry: ChangeEntry) => void;
/** Hears the changes of one negotiation committed together (a batch, an import, a group of writes), in order. */
export type ChangeGroupListener = (entries: ChangeEntry[]) => void;

/** One change to record; `data` must be its kind's payload (what live clients receive). */
export type ChangeInput = {
  [K in ChangeKind]: {
    negotiationId: string;
    seq: number;
    kind: K;
    entityId: string;
    data: ChangePayloads[K];
    before?: unknown;
    recordedAt: number;
    recordedBy: string;
  };
}[ChangeKind];

type WithoutSeq<T> = T extends unknown ? Omit<T, 'seq'> : never;

/** A change-log row as read with hand-written SQL (the data still JSON text). */
export interface StoredChangeRow {
  seq: number;
  kind: string;
  entityId: string;
  data: string;
}

/**
 * A kind whose data is kept in `change_log.data` in another form than it was published, and
 * rebuilt when the log is read. The feature that owns the kind provides it (a recorded stance:
 * stances/stance-row.ts), so the log itself knows no feature's rows.
 */
export interface StoredForm {
  kind: ChangeKind;
  /** What to store for a change's data (serialized into the JSON column). */
  store(data: unknown): unknown;
  /** The published data of the rows it stored, by seq; other rows are left out (their stored text is their data). */
  rebuild(manager: EntityManager, rows: readonly StoredChangeRow[]): Promise<Map<number, unknown>>;
}

/**
 * The negotiation's gap-free change counter and its log. Services record; listeners (the live
 * gateway) hear about a change only after its transaction committed.
 */
@Injectable()
export class ChangeLog {
  private readonly logger = new Logger('ChangeLog');
  private readonly listeners = new Set<ChangeListener>();
  private readonly groupListeners = new Set<ChangeGroupListener>();
  private readonly storedForms = new Map<string, StoredForm>();

  constructor(private readonly audit: AuditLog) {}

  /** A feature keeps its kind's data in another form (registered when its module starts). */
  keepAs(form: StoredForm): void {
    this.storedForms.set(form.kind, form);
  }

  /** The JSON text to store for a change's data. */
  private storedData(kind: string, data: unknown): string {
    const form = this.storedForms.get(kind);
    return JSON.stringify(form ? form.store(data) : data);
  }

  /**
   * Takes the negotiation's next sequence number inside the transaction. On PostgreSQL the UPDATE
   * also locks the negotiation's row, so writes to one negotiation are serialized until commit and
   * a rolled-back transaction gives its number back: no gaps, no duplicates.
   */
  async nextSeq(tx: Tx, negotiationId: string): Promise<number> {
    // Lower-case on purpose: TypeORM's SQLite runner returns no rows for statements starting "UPDATE ".
    const { rows } = await sql<{ seq: number | string }>(tx.manager, 'update negotiations set seq = seq + 1 where id = ? returning seq', [negotiationId]);
    if (rows.length !== 1) throw notFound('Negotiation', negotiationId);
    return num(rows[0].seq);
  }

  /** Serializes with other writers of the negotiation without taking a number (SQLite is serialized already). */
  async lock(tx: Tx, negotiationId: string): Promise<void> {
    await lockRow(tx.manager, 'negotiations', negotiationId);
  }

  /** Appends one change; audited (unless a stance event) and published after commit, like recordMany. */
  async record(tx: Tx, change: ChangeInput): Promise<void> {
    await this.recordMany(tx, [change]);
  }

  /**
   * Appends many changes with one multi-row statement (stance events recorded together); each is
   * published after commit, in order. The data is serialized once here (a recorded stance as
   * references to its events: see StoredForm).
   */
  async recordMany(tx: Tx, changes: ChangeInput[]): Promise<void> {
    if (changes.length === 0) return;
    await insertRows(
      tx.manager,
      'change_log',
      ['negotiation_id', 'seq', 'kind', 'entity_id', 'data', 'before', 'recorded_at', 'recorded_by'],
      changes.map((c) => [c.negotiationId, c.seq, c.kind, c.entityId, this.storedData(c.kind, c.data), JSON.stringify(c.before ?? null) /* as the entity's transformer stores it */, c.recordedAt, c.recordedBy]),
    );
    for (const change of changes) {
      if (change.kind.startsWith('stance.')) continue;
      const [entityType, verb] = change.kind.split('.');
      await this.audit.record(tx.manager, {
        actor: change.recordedBy,
        action: change.kind,
        entityType: entityType ?? change.kind,
        entityId: change.entityId,
        negotiationId: change.negotiationId,
        before: verb === 'created' ? null : change.before,
        after: change.data,
        at: change.recordedAt,
      });
    }
    // kind and data come from the same (checked) input; TypeScript cannot follow the pair through a union.
    const entries = changes.map((c) => ({
      negotiationId: c.negotiationId,
      seq: c.seq,
      kind: c.kind,
      entityId: c.entityId,
      recordedAt: toIso(c.recordedAt),
      recordedBy: c.recordedBy,
      data: c.data,
    }) as ChangeEntry);
    tx.afterCommit(() => this.publish(entries));
  }

  /** nextSeq + record, for changes whose data does not need the number. */
  async append(tx: Tx, change: WithoutSeq<ChangeInput>): Promise<number> {
    const seq = await this.nextSeq(tx, change.negotiationId);
    await this.record(tx, { ...change, seq });
    return seq;
  }

  /** The stream after `afterSeq`, oldest first: what a live client missed, as it was published. */
  async read(manager: EntityManager, negotiationId: string, afterSeq: number, limit: number): Promise<ChangeEntry[]> {
    const { rows } = await sql<{ seq: number | string; kind: ChangeKind; entity_id: string; data: string; recorded_at: number | string; recorded_by: string }>(
      manager,
      `SELECT seq, kind, entity_id, data, recorded_at, recorded_by FROM change_log
        WHERE negotiation_id = ? AND seq > ? ORDER BY seq ASC LIMIT ?`,
      [negotiationId, afterSeq, limit],
    );
    const stored = rows.map((row) => ({ seq: num(row.seq), kind: row.kind, entityId: row.entity_id, data: row.data }));
    const rebuilt = new Map<number, unknown>();
    for (const form of this.storedForms.values()) {
      for (const [seq, data] of await form.rebuild(manager, stored)) rebuilt.set(seq, data);
    }
    // Stored by record() (typed by kind) or by a dump import (checked against its kind, see imports/dump-check.ts).
    return rows.map((row, i) => ({
      negotiationId,
      seq: stored[i].seq,
      kind: row.kind,
      entityId: row.entity_id,
      recordedAt: toIso(num(row.recorded_at)),
      recordedBy: row.recorded_by,
      data: rebuilt.get(stored[i].seq) ?? (JSON.parse(row.data) as unknown),
    }) as ChangeEntry);
  }

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Like subscribe, one call per group of changes recorded together (the live gateway sends them as one message). */
  subscribeGroups(listener: ChangeGroupListener): () => void {
    this.groupListeners.add(listener);
    return () => this.groupListeners.delete(listener);
  }

  private publish(entries: ChangeEntry[]): void {
    const failed = (err: unknown) => this.logger.error(`change listener failed: ${String(err)}`);
    for (const listener of this.groupListeners) {
      try {
        listener(entries);
      } catch (err) {
        failed(err);
      }
    }
    for (const entry of entries) {
      for (const listener of this.listeners) {
        try {
          listener(entry);
        } catch (err) {
          failed(err);
        }
      }
    }
  }
}
