import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { LineageKind, PointCategory } from '@parley/contracts';
import { epochMs } from '../database/columns';

@Entity('points')
export class PointEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36 }) negotiationId!: string;
  @Column({ type: 'varchar', length: 40 }) code!: string;
  @Column({ type: 'varchar', length: 200 }) title!: string;
  @Column({ type: 'varchar', length: 40 }) category!: PointCategory;
  @Column({ type: 'text' }) description!: string;
  @Column({ type: 'integer' }) sortOrder!: number;
  @Column({ type: 'integer' }) version!: number;
  @Column({ type: 'bigint', transformer: epochMs }) createdAt!: number;
  @Column({ type: 'bigint', transformer: epochMs }) updatedAt!: number;
}

/** "pointId was derived from derivedFromId" (a split, a merge, or a rewording into a new topic). */
@Entity('point_lineage')
export class PointLineageEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) pointId!: string;
  @PrimaryColumn({ type: 'varchar', length: 36 }) derivedFromId!: string;
  @Column({ type: 'varchar', length: 20 }) kind!: LineageKind;
}
