import { Inject, Injectable } from '@nestjs/common';
import type { ApiToken, Role, User } from '@parley/contracts';
import { IsNull, type EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit.service';
import { ApiTokensService } from '../auth/api-tokens.service';
import { ApiTokenEntity, LoginFailureEntity, SessionEntity, UserEntity } from '../auth/auth.entities';
import { AuthService } from '../auth/auth.service';
import { initialPasswordFile, writeInitialPassword, type InitialAdmin } from '../auth/initial-admin';
import { toUser } from '../auth/user.mapper';
import { AccessEvents } from '../common/access-events';
import { AppError, conflict, notFound } from '../common/app-error';
import { generatePassword, hashPassword } from '../common/crypto';
import { isUuid, newId } from '../common/ids';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Db } from '../database/db.service';
import { dialectOf, isUniqueViolation } from '../database/dialect';
import { sql } from '../database/sql';

/** User accounts, for admins and the command line; the first admin at the first start. */
@Injectable()
export class UsersService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly accessEvents: AccessEvents,
    private readonly auth: AuthService,
    private readonly tokens: ApiTokensService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * First start without users: an admin from ADMIN_EMAIL/ADMIN_PASSWORD, or one with a generated
   * password written to a 0600 file in the data folder (the start-up banner shows both, see main.ts).
   */
  async ensureInitialAdmin(): Promise<InitialAdmin> {
    this.auth.ensureSecret();
    if ((await this.db.read.count(UserEntity)) > 0) return { created: null, passwordFile: initialPasswordFile(this.config.dataDir) };
    const email = this.config.auth.adminEmail ?? 'admin@parley.local';
    const generated = this.config.auth.adminPassword === undefined;
    const password = this.config.auth.adminPassword ?? generatePassword();
    try {
      await this.createUser({ email, name: 'Administrator', role: 'admin', password }, 'system');
    } catch (err) {
      // Another node created the first admin at the same moment.
      if (err instanceof AppError && err.statusCode === 409) return { created: null, passwordFile: initialPasswordFile(this.config.dataDir) };
      throw err;
    }
    if (!generated) return { created: { email, password: null }, passwordFile: null };
    const passwordFile = writeInitialPassword(this.config.dataDir, email, password);
    return { created: { email, password }, passwordFile };
  }

  async createUser(input: { email: string; name: string; role: Role; password: string }, actor: string): Promise<User> {
    const passwordHash = await hashPassword(input.password);
    return this.db.write(async (tx) => {
      if (await tx.manager.existsBy(UserEntity, { email: input.email })) throw conflict('CONFLICT', `a user with email '${input.email}' already exists`);
      const now = Date.now();
      const user: UserEntity = { id: newId(), email: input.email, name: input.name, role: input.role, passwordHash, disabledAt: null, createdAt: now, updatedAt: now };
      try {
        await tx.manager.insert(UserEntity, user);
      } catch (err) {
        // Two creations of the same email at once (two nodes creating the first admin): one wins.
        if (isUniqueViolation(err)) throw conflict('CONFLICT', `a user with email '${input.email}' already exists`);
        throw err;
      }
      await this.audit.record(tx.manager, { actor, action: 'user.created', entityType: 'user', entityId: user.id, after: toUser(user) });
      return toUser(user);
    });
  }

  async updateUser(userId: string, patch: { name?: string; role?: Role; disabled?: boolean; password?: string }, actor: string): Promise<User> {
    const passwordHash = patch.password === undefined ? undefined : await hashPassword(patch.password);
    return this.db.write(async (tx) => {
      // Read (and on PostgreSQL locked) before the user: two admins demoting each other at once
      // cannot both succeed and leave no admin.
      const admins = patch.role !== undefined || patch.disabled !== undefined ? await this.activeAdmins(tx.manager) : null;
      const current = await tx.manager.findOneBy(UserEntity, { id: userId });
      if (!current) throw notFound('User', userId);
      const now = Date.now();
      const next: UserEntity = {
        ...current,
        name: patch.name ?? current.name,
        role: patch.role ?? current.role,
        disabledAt: patch.disabled === undefined ? current.disabledAt : patch.disabled ? (current.disabledAt ?? now) : null,
        passwordHash: passwordHash ?? current.passwordHash,
        updatedAt: now,
      };
      const staysActiveAdmin = next.role === 'admin' && next.disabledAt === null;
      if (admins !== null && !staysActiveAdmin && admins.length === 1 && admins[0] === userId) {
        throw conflict(
          'CONFLICT',
          `${current.email} is the last active admin; ${next.role !== 'admin' ? 'taking the admin role from' : 'disabling'} them would leave nobody to manage users and negotiations. Make another user an admin first; nothing was changed.`,
        );
      }
      await tx.manager.update(UserEntity, { id: userId }, {
        name: next.name,
        role: next.role,
        disabledAt: next.disabledAt,
        passwordHash: next.passwordHash,
        updatedAt: now,
      });
      // A new password starts the address's failure count afresh (an admin's or the CLI's reset unlocks).
      if (passwordHash) await tx.manager.delete(LoginFailureEntity, { email: current.email });
      // A reset password or a disabled account may mean the account was taken over: every session
      // and API token issued before ends for good, so enabling the account again brings none back.
      // Enabling also revokes what is left, tokens that outlived a disable made before this rule.
      const endsCredentials = passwordHash !== undefined || patch.disabled === true || (patch.disabled === false && current.disabledAt !== null);
      const ended = endsCredentials ? await this.endCredentials(tx.manager, userId, now) : null;
      const changes = { ...toUser(next), ...(passwordHash ? { passwordChanged: true } : {}), ...ended };
      await this.audit.record(tx.manager, { actor, action: 'user.updated', entityType: 'user', entityId: userId, before: toUser(current), after: changes });
      // Ended sessions, a disabled account or another role: what the user's open sockets may read is checked again.
      if (endsCredentials || next.disabledAt !== current.disabledAt || next.role !== current.role) {
        tx.afterCommit(() => this.accessEvents.publish({ kind: 'user', userId }));
      }
      return toUser(next);
    });
  }

  /** Revokes every open session and API token of the user; the counts go into the audit entry. */
  private async endCredentials(manager: EntityManager, userId: string, now: number): Promise<{ sessionsEnded: number; apiTokensRevoked: number }> {
    const sessions = await manager.update(SessionEntity, { userId, revokedAt: IsNull() }, { revokedAt: now });
    const tokens = await manager.update(ApiTokenEntity, { userId, revokedAt: IsNull() }, { revokedAt: now });
    return { sessionsEnded: sessions.affected ?? 0, apiTokensRevoked: tokens.affected ?? 0 };
  }

  /** Ids of the enabled admins; on PostgreSQL their rows stay locked until the transaction ends. */
  private async activeAdmins(manager: EntityManager): Promise<string[]> {
    const { rows } = await sql<{ id: string }>(manager, `SELECT id FROM users WHERE role = 'admin' AND disabled_at IS NULL ORDER BY id${dialectOf(manager).forUpdate}`);
    return rows.map((r) => r.id);
  }

  async findUserByEmail(email: string): Promise<User | null> {
    const user = await this.db.read.findOneBy(UserEntity, { email: email.toLowerCase() });
    return user ? toUser(user) : null;
  }

  async getUser(id: string): Promise<User> {
    const user = isUuid(id) ? await this.db.read.findOneBy(UserEntity, { id }) : null;
    if (!user) throw notFound('User', id);
    return toUser(user);
  }

  async listUsers(): Promise<User[]> {
    return (await this.db.read.find(UserEntity, { order: { createdAt: 'ASC' } })).map(toUser);
  }

  /** A user's API tokens, for an admin: 404 when there is no such user. */
  async listTokensOf(userId: string): Promise<ApiToken[]> {
    await this.getUser(userId);
    return this.tokens.listTokens(userId);
  }
}
