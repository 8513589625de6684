import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Decision, ProposalKind, ProposalStatus } from '@parley/contracts';
import { epochMs } from '../database/columns';

/**
 * A change waiting for a second person (review policy `required`). Never a stance event: the public
 * reads (matrix, history, metrics, exports, search, live) never look at this table.
 */
@Entity('proposals')
export class ProposalEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36 }) negotiationId!: string;
  @Column({ type: 'varchar', length: 16 }) kind!: ProposalKind;
  @Column({ type: 'varchar', length: 20 }) status!: ProposalStatus;
  @Column({ type: 'varchar', length: 36 }) partyId!: string;
  @Column({ type: 'varchar', length: 36 }) pointId!: string;
  /** A retraction's event. */
  @Column({ type: 'varchar', length: 36, nullable: true }) eventId!: string | null;
  /** The cell's version the proposal was made against (re-basing moves it). */
  @Column({ type: 'integer' }) baseVersion!: number;
  /** The full change as JSON: a StanceCreate, or a retraction's { reason }. */
  @Column({ type: 'text' }) payload!: string;
  @Column({ type: 'varchar', length: 200 }) author!: string;
  @Column({ type: 'bigint', transformer: epochMs }) createdAt!: number;
  @Column({ type: 'bigint', transformer: epochMs }) updatedAt!: number;
  @Column({ type: 'integer' }) version!: number;
  @Column({ type: 'varchar', length: 20, nullable: true }) decision!: Decision | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) decidedBy!: string | null;
  @Column({ type: 'bigint', nullable: true, transformer: epochMs }) decidedAt!: number | null;
  @Column({ type: 'text', nullable: true }) decisionNote!: string | null;
  @Column({ type: 'varchar', length: 36, nullable: true }) publishedEventId!: string | null;
  @Column({ type: 'integer', nullable: true }) publishedSeq!: number | null;
}
