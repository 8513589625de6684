import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ChangeKind } from '@parley/contracts';
import { epochMs, jsonText } from '../database/columns';

/**
 * The negotiation's stream: one row per change, numbered without gaps (its data as ChangeLog stores it, see StoredForm). It drives live replay,
 * "changes since" and the audit trail (before/after of every edit).
 */
@Entity('change_log')
export class ChangeEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) negotiationId!: string;
  @PrimaryColumn({ type: 'integer' }) seq!: number;
  @Column({ type: 'varchar', length: 40 }) kind!: ChangeKind;
  @Column({ type: 'varchar', length: 36 }) entityId!: string;
  @Column({ type: 'text', transformer: jsonText }) data!: unknown;
  @Column({ type: 'text', nullable: true, transformer: jsonText }) before!: unknown;
  @Column({ type: 'bigint', transformer: epochMs }) recordedAt!: number;
  @Column({ type: 'varchar', length: 200 }) recordedBy!: string;
}
