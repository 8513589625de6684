import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { NegotiationStatus, ReviewPolicy } from '@parley/contracts';
import { epochMs, flag } from '../database/columns';

@Entity('negotiations')
export class NegotiationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 40 }) slug!: string;
  @Column({ type: 'varchar', length: 200 }) title!: string;
  @Column({ type: 'text' }) description!: string;
  @Column({ type: 'varchar', length: 20 }) status!: NegotiationStatus;
  /** `required`: stance changes wait as proposals for a second person (review/). */
  @Column({ type: 'varchar', length: 16, default: 'off' }) reviewPolicy!: ReviewPolicy;
  /** true: every stance write must carry expectedVersion (400 without it). */
  @Column({ type: 'integer', default: 0, transformer: flag }) requireExpectedVersion!: boolean;
  /** The change counter: the sequence number of the latest change. */
  @Column({ type: 'integer' }) seq!: number;
  @Column({ type: 'integer' }) version!: number;
  @Column({ type: 'bigint', transformer: epochMs }) createdAt!: number;
  @Column({ type: 'bigint', transformer: epochMs }) updatedAt!: number;
}
