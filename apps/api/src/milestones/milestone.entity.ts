import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { MilestoneKind, TimePrecision } from '@parley/contracts';
import { epochMs, jsonText } from '../database/columns';

@Entity('milestones')
export class MilestoneEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36 }) negotiationId!: string;
  @Column({ type: 'varchar', length: 200 }) title!: string;
  @Column({ type: 'varchar', length: 20 }) kind!: MilestoneKind;
  @Column({ type: 'bigint', transformer: epochMs }) startsAt!: number;
  @Column({ type: 'varchar', length: 4 }) startsPrecision!: TimePrecision;
  @Column({ type: 'bigint', nullable: true, transformer: epochMs }) endsAt!: number | null;
  @Column({ type: 'text' }) description!: string;
  @Column({ type: 'varchar', length: 2000, nullable: true }) sourceUrl!: string | null;
  @Column({ type: 'text', transformer: jsonText }) partyIds!: string[];
  @Column({ type: 'integer' }) version!: number;
  @Column({ type: 'bigint', transformer: epochMs }) createdAt!: number;
  @Column({ type: 'bigint', transformer: epochMs }) updatedAt!: number;
}
