import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { TimePrecision } from '@parley/contracts';
import { epochMs } from '../database/columns';

@Entity('documents')
export class DocumentEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36 }) negotiationId!: string;
  /** Short code, unique within the negotiation ("us28"): a document's reference beside its id. */
  @Column({ type: 'varchar', length: 40 }) code!: string;
  @Column({ type: 'varchar', length: 200 }) title!: string;
  @Column({ type: 'varchar', length: 60 }) shortTitle!: string;
  @Column({ type: 'varchar', length: 36, nullable: true }) authorPartyId!: string | null;
  @Column({ type: 'bigint', transformer: epochMs }) publishedAt!: number;
  @Column({ type: 'varchar', length: 4 }) publishedPrecision!: TimePrecision;
  @Column({ type: 'text' }) description!: string;
  @Column({ type: 'varchar', length: 2000, nullable: true }) sourceUrl!: string | null;
  @Column({ type: 'integer' }) version!: number;
  @Column({ type: 'bigint', transformer: epochMs }) createdAt!: number;
  @Column({ type: 'bigint', transformer: epochMs }) updatedAt!: number;
}

@Entity('provisions')
export class ProvisionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) documentId!: string;
  @PrimaryColumn({ type: 'varchar', length: 36 }) pointId!: string;
  @Column({ type: 'varchar', length: 20 }) number!: string;
  @Column({ type: 'text' }) text!: string;
  @Column({ type: 'integer' }) sortOrder!: number;
}
