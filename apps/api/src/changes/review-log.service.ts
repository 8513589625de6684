import { Injectable, Logger } from '@nestjs/common';
import type { Proposal, ReviewEntry, ReviewEntryKind } from '@parley/contracts';
import { toIso } from '@parley/domain';
import type { EntityManager } from 'typeorm';
import { notFound } from '../common/app-error';
import type { Tx } from '../database/db.service';
import { num, sql } from '../database/sql';

export type ReviewListener = (entries: ReviewEntry[]) => void;

/**
 * The staff stream: a negotiation's proposal events (review/), numbered by their own gap-free
 * counter (`negotiations.review_seq`), kept in `proposal_log` and published to listeners (the live
 * gateway, to analysts' and admins' sockets only) after commit. Apart from the change log on purpose:
 * the public stream, its `seq` and everything read from it never carry a proposal.
 */
@Injectable()
export class ReviewLog {
  private readonly logger = new Logger('ReviewLog');
  private readonly listeners = new Set<ReviewListener>();

  /** Appends one event in the caller's transaction (PostgreSQL: the counter's UPDATE locks the negotiation's row). */
  async append(tx: Tx, negotiationId: string, kind: ReviewEntryKind, data: Proposal, recordedAt: number, recordedBy: string): Promise<number> {
    const { rows } = await sql<{ review_seq: number | string }>(
      tx.manager,
      // Lower-case on purpose: TypeORM's SQLite runner returns no rows for statements starting "UPDATE ".
      'update negotiations set review_seq = review_seq + 1 where id = ? returning review_seq',
      [negotiationId],
    );
    if (rows.length !== 1) throw notFound('Negotiation', negotiationId);
    const seq = num(rows[0].review_seq);
    await sql(
      tx.manager,
      'INSERT INTO proposal_log (negotiation_id, seq, kind, proposal_id, data, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [negotiationId, seq, kind, data.id, JSON.stringify(data), recordedAt, recordedBy],
    );
    const entry: ReviewEntry = { negotiationId, seq, kind, proposalId: data.id, recordedAt: toIso(recordedAt), recordedBy, data };
    tx.afterCommit(() => this.publish([entry]));
    return seq;
  }

  /** The stream's head: the number of its latest event (0: none). */
  async head(manager: EntityManager, negotiationId: string): Promise<number> {
    const { rows } = await sql<{ review_seq: number | string }>(manager, 'SELECT review_seq FROM negotiations WHERE id = ?', [negotiationId]);
    if (rows.length === 0) throw notFound('Negotiation', negotiationId);
    return num(rows[0].review_seq);
  }

  /** The events after `afterSeq`, oldest first. */
  async read(manager: EntityManager, negotiationId: string, afterSeq: number, limit: number): Promise<ReviewEntry[]> {
    const { rows } = await sql<{ seq: number | string; kind: ReviewEntryKind; proposal_id: string; data: string; recorded_at: number | string; recorded_by: string }>(
      manager,
      `SELECT seq, kind, proposal_id, data, recorded_at, recorded_by FROM proposal_log
        WHERE negotiation_id = ? AND seq > ? ORDER BY seq ASC LIMIT ?`,
      [negotiationId, afterSeq, limit],
    );
    return rows.map((r) => ({
      negotiationId, seq: num(r.seq), kind: r.kind, proposalId: r.proposal_id, recordedAt: toIso(num(r.recorded_at)), recordedBy: r.recorded_by,
      data: JSON.parse(r.data) as Proposal,
    }));
  }

  subscribe(listener: ReviewListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private publish(entries: ReviewEntry[]): void {
    for (const listener of this.listeners) {
      try {
        listener(entries);
      } catch (err) {
        this.logger.error(`review listener failed: ${String(err)}`);
      }
    }
  }
}
