import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PartyKind } from '@parley/contracts';
import { epochMs } from '../database/columns';

@Entity('parties')
export class PartyEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36 }) negotiationId!: string;
  @Column({ type: 'varchar', length: 40 }) code!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ type: 'varchar', length: 20 }) kind!: PartyKind;
  @Column({ type: 'varchar', length: 7 }) color!: string;
  @Column({ type: 'varchar', length: 36, nullable: true }) parentId!: string | null;
  @Column({ type: 'text' }) description!: string;
  @Column({ type: 'integer' }) sortOrder!: number;
  @Column({ type: 'integer' }) version!: number;
  @Column({ type: 'bigint', transformer: epochMs }) createdAt!: number;
  @Column({ type: 'bigint', transformer: epochMs }) updatedAt!: number;
}

/** A person who speaks for a party. Retired rather than deleted: stance events keep pointing at them. */
@Entity('actors')
export class ActorEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36 }) partyId!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ type: 'varchar', length: 500 }) role!: string;
  @Column({ type: 'integer' }) sortOrder!: number;
  @Column({ type: 'bigint', nullable: true, transformer: epochMs }) retiredAt!: number | null;
}
