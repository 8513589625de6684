import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Role } from '@parley/contracts';
import { epochMs } from '../database/columns';

@Entity('users')
export class UserEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 320 }) email!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ type: 'varchar', length: 16 }) role!: Role;
  @Column({ type: 'varchar', length: 300 }) passwordHash!: string;
  @Column({ type: 'bigint', nullable: true, transformer: epochMs }) disabledAt!: number | null;
  @Column({ type: 'bigint', transformer: epochMs }) createdAt!: number;
  @Column({ type: 'bigint', transformer: epochMs }) updatedAt!: number;
}

/** One login. The bearer JWT names it, so logging out (or a password reset) ends it at once. */
@Entity('sessions')
export class SessionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36 }) userId!: string;
  @Column({ type: 'bigint', transformer: epochMs }) createdAt!: number;
  @Column({ type: 'bigint', transformer: epochMs }) expiresAt!: number;
  @Column({ type: 'bigint', nullable: true, transformer: epochMs }) revokedAt!: number | null;
}

/** A personal token for scripts; only its SHA-256 is stored. */
@Entity('api_tokens')
export class ApiTokenEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36 }) userId!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ type: 'varchar', length: 64 }) tokenHash!: string;
  @Column({ type: 'varchar', length: 16 }) prefix!: string;
  @Column({ type: 'bigint', transformer: epochMs }) createdAt!: number;
  @Column({ type: 'bigint', nullable: true, transformer: epochMs }) expiresAt!: number | null;
  @Column({ type: 'bigint', nullable: true, transformer: epochMs }) lastUsedAt!: number | null;
  @Column({ type: 'bigint', nullable: true, transformer: epochMs }) revokedAt!: number | null;
}

/**
 * Failed sign-ins per email address, whether or not an account has it: an unknown address locks out
 * exactly like a real one, so the lockout does not tell which accounts exist. Kept in the database
 * (not in memory) so that every node counts the same failures.
 */
@Entity('login_failures')
export class LoginFailureEntity {
  /** Normalised (trimmed, lower-case), as sign-in reads it. */
  @PrimaryColumn({ type: 'varchar', length: 320 }) email!: string;
  @Column({ type: 'integer' }) failures!: number;
  @Column({ type: 'bigint', nullable: true, transformer: epochMs }) lockedUntil!: number | null;
  @Column({ type: 'bigint', transformer: epochMs }) lastFailedAt!: number;
}
