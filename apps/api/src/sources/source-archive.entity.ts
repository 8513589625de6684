import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ArchiveContentType } from '@parley/contracts';
import { epochMs } from '../database/columns';

/** One archived copy of a source. Append-only: a new copy is a new row, the latest is shown. */
@Entity('source_archives')
export class SourceArchiveEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36 }) negotiationId!: string;
  @Column({ type: 'varchar', length: 36 }) sourceId!: string;
  @Column({ type: 'varchar', length: 64 }) sha256!: string;
  @Column({ type: 'integer' }) size!: number;
  @Column({ type: 'varchar', length: 40 }) contentType!: ArchiveContentType;
  /** The stored bytes, base64. */
  @Column({ type: 'text' }) original!: string;
  @Column({ type: 'text' }) text!: string;
  @Column({ type: 'integer' }) textLength!: number;
  @Column({ type: 'bigint', transformer: epochMs }) archivedAt!: number;
  @Column({ type: 'varchar', length: 200 }) archivedBy!: string;
}
