import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../database/columns';

/** A read-only key to one negotiation (an embed, a wall screen); only its SHA-256 is stored. */
@Entity('share_links')
export class ShareLinkEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36 }) negotiationId!: string;
  @Column({ type: 'varchar', length: 200 }) label!: string;
  @Column({ type: 'varchar', length: 64 }) tokenHash!: string;
  @Column({ type: 'varchar', length: 16 }) prefix!: string;
  @Column({ type: 'varchar', length: 320 }) createdBy!: string;
  @Column({ type: 'bigint', transformer: epochMs }) createdAt!: number;
  @Column({ type: 'bigint', nullable: true, transformer: epochMs }) expiresAt!: number | null;
  @Column({ type: 'bigint', nullable: true, transformer: epochMs }) revokedAt!: number | null;
}
