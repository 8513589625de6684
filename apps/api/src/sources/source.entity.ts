import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SourceKind } from '@parley/contracts';
import { epochMs } from '../database/columns';

/** A negotiation's source, cited by stances (`stance_events.source_id`). Updated, never deleted. */
@Entity('sources')
export class SourceEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36 }) negotiationId!: string;
  @Column({ type: 'varchar', length: 32 }) kind!: SourceKind;
  @Column({ type: 'varchar', length: 200, nullable: true }) outlet!: string | null;
  @Column({ type: 'varchar', length: 500, nullable: true }) title!: string | null;
  @Column({ type: 'varchar', length: 2000, nullable: true }) url!: string | null;
  @Column({ type: 'bigint', nullable: true, transformer: epochMs }) publishedAt!: number | null;
  @Column({ type: 'varchar', length: 35, nullable: true }) language!: string | null;
  @Column({ type: 'text', nullable: true }) description!: string | null;
  @Column({ type: 'integer' }) version!: number;
  @Column({ type: 'bigint', transformer: epochMs }) createdAt!: number;
  @Column({ type: 'bigint', transformer: epochMs }) updatedAt!: number;
}
