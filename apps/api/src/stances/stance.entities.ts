import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Confidence, Position, TimePrecision } from '@parley/contracts';
import { epochMs, jsonText } from '../database/columns';

/** The unit of history. Append-only: rows are inserted, never updated or deleted. */
@Entity('stance_events')
export class StanceEventEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36 }) negotiationId!: string;
  @Column({ type: 'integer' }) seq!: number;
  @Column({ type: 'varchar', length: 36 }) partyId!: string;
  @Column({ type: 'varchar', length: 36 }) pointId!: string;
  @Column({ type: 'varchar', length: 16 }) position!: Position;
  @Column({ type: 'varchar', length: 16 }) confidence!: Confidence;
  @Column({ type: 'bigint', transformer: epochMs }) effectiveAt!: number;
  @Column({ type: 'varchar', length: 4 }) effectivePrecision!: TimePrecision;
  @Column({ type: 'bigint', transformer: epochMs }) recordedAt!: number;
  @Column({ type: 'varchar', length: 200 }) recordedBy!: string;
  @Column({ type: 'text', nullable: true }) conditionsText!: string | null;
  @Column({ type: 'text', transformer: jsonText }) conditionPointIds!: string[];
  @Column({ type: 'text', nullable: true }) note!: string | null;
  @Column({ type: 'text', nullable: true }) quote!: string | null;
  @Column({ type: 'varchar', length: 36, nullable: true }) actorId!: string | null;
  @Column({ type: 'varchar', length: 2000, nullable: true }) sourceUrl!: string | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) sourceOutlet!: string | null;
  @Column({ type: 'varchar', length: 500, nullable: true }) sourceTitle!: string | null;
  @Column({ type: 'bigint', nullable: true, transformer: epochMs }) sourcePublishedAt!: number | null;
  @Column({ type: 'varchar', length: 36, nullable: true }) documentId!: string | null;
  @Column({ type: 'varchar', length: 36, nullable: true }) milestoneId!: string | null;
  /** The source cited (null: none); the four source_* columns above keep the citation as it was recorded. */
  @Column({ type: 'varchar', length: 36, nullable: true }) sourceId!: string | null;
  /** The quote's language (BCP-47), and an optional translation of it in another. */
  @Column({ type: 'varchar', length: 35, nullable: true }) quoteLanguage!: string | null;
  @Column({ type: 'text', nullable: true }) translation!: string | null;
  @Column({ type: 'varchar', length: 35, nullable: true }) translationLanguage!: string | null;
  /** Who approved the proposal it was published from (review policy `required`); null: published when saved. */
  @Column({ type: 'varchar', length: 200, nullable: true }) approvedBy!: string | null;
}

/** A correction: the event it names counts as never having happened, from recordedAt on. */
@Entity('stance_retractions')
export class StanceRetractionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36 }) negotiationId!: string;
  @Column({ type: 'varchar', length: 36 }) eventId!: string;
  @Column({ type: 'integer' }) seq!: number;
  @Column({ type: 'text' }) reason!: string;
  @Column({ type: 'bigint', transformer: epochMs }) recordedAt!: number;
  @Column({ type: 'varchar', length: 200 }) recordedBy!: string;
  /** Who approved the proposal this retraction was published from (review policy `required`); null: retracted as saved. */
  @Column({ type: 'varchar', length: 200, nullable: true }) approvedBy!: string | null;
}

/** Projection of the current stance per cell, rebuildable from the two tables above. */
@Entity('current_stances')
export class CurrentStanceEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) negotiationId!: string;
  @PrimaryColumn({ type: 'varchar', length: 36 }) partyId!: string;
  @PrimaryColumn({ type: 'varchar', length: 36 }) pointId!: string;
  @Column({ type: 'varchar', length: 36, nullable: true }) eventId!: string | null;
  /** Events + retractions ever recorded on this cell: the optimistic-lock token. */
  @Column({ type: 'integer' }) version!: number;
}

/** The first response to a request carrying an Idempotency-Key, replayed on retries. */
@Entity('idempotency_keys')
export class IdempotencyKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 300 }) scopedKey!: string;
  @Column({ type: 'varchar', length: 64 }) requestHash!: string;
  @Column({ type: 'integer' }) statusCode!: number;
  @Column({ type: 'text' }) response!: string;
  @Column({ type: 'bigint', transformer: epochMs }) createdAt!: number;
}
