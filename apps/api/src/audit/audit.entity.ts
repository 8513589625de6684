import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs, jsonText } from '../database/columns';

/** Who changed what, when, with the state before and after. Stance events carry their own recordedBy. */
@Entity('audit_log')
export class AuditEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'bigint', transformer: epochMs }) at!: number;
  @Column({ type: 'varchar', length: 320 }) actor!: string;
  @Column({ type: 'varchar', length: 60 }) action!: string;
  @Column({ type: 'varchar', length: 40 }) entityType!: string;
  @Column({ type: 'varchar', length: 36 }) entityId!: string;
  @Column({ type: 'varchar', length: 36, nullable: true }) negotiationId!: string | null;
  @Column({ type: 'text', nullable: true, transformer: jsonText }) before!: unknown;
  @Column({ type: 'text', nullable: true, transformer: jsonText }) after!: unknown;
}
