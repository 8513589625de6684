import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs, jsonText } from '../database/columns';

export type PlanKind = 'point' | 'party' | 'document';

/**
 * One version of a piece of the plan — a point, a party, a document with its provisions — as the
 * API showed it after a change: append-only, effective from `effectiveAt`, known from `recordedAt`,
 * numbered by the change that made it (`seq`; 0 for the versions a migration or an old dump made).
 */
@Entity('plan_versions')
export class PlanVersionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36 }) negotiationId!: string;
  @Column({ type: 'varchar', length: 16 }) kind!: PlanKind;
  @Column({ type: 'varchar', length: 36 }) entityId!: string;
  @Column({ type: 'integer' }) seq!: number;
  @Column({ type: 'bigint', transformer: epochMs }) effectiveAt!: number;
  @Column({ type: 'bigint', transformer: epochMs }) recordedAt!: number;
  @Column({ type: 'text', transformer: jsonText }) data!: unknown;
}
