import { Inject, Injectable } from '@nestjs/common';
import type { ApiToken, ApiTokenCreate, ApiTokenCreated, LoginInput, LoginResult, PasswordChange, Role, User } from '@parley/contracts';
import { parseBound, toIso } from '@parley/domain';
import * as fs from 'node:fs';
import { IsNull, Not } from 'typeorm';
import * as path from 'node:path';
import { AuditLog } from '../audit/audit.service';
import { AccessEvents } from './access-events';
import { AppError, conflict, notFound } from '../common/app-error';
import { isUuid, newId } from '../common/ids';
import type { Principal } from '../common/principal';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Db } from '../database/db.service';
import { num, numOrNull, sql } from '../database/sql';
import { ShareLinkEntity } from '../share-links/share-link.entity';
import { ApiTokenEntity, SessionEntity, UserEntity } from './auth.entities';
import { generatePassword, hashPassword, randomToken, sha256, signJwt, verifyJwt, verifyPassword } from './crypto';
import { toApiToken, toUser } from './user.mapper';

/** Failed logins allowed before each further failure locks the account for a growing delay. */
const FREE_ATTEMPTS = 5;
const MAX_LOCK_SECONDS = 15 * 60;
const LAST_USED_GRANULARITY_MS = 5 * 60_000;
const WRONG_CREDENTIALS = 'Wrong email or password';
const INITIAL_ADMIN_FILE = 'initial-admin-password.txt';

const USER_COLUMNS = 'u.id AS user_id, u.email, u.name, u.role, u.disabled_at';

interface PrincipalRow {
  user_id: string;
  email: string;
  name: string;
  role: Role;
  disabled_at: number | string | null;
}

const userPrincipal = (row: PrincipalRow, via: { session: string } | { token: string }): Principal => ({
  kind: 'user',
  userId: row.user_id,
  email: row.email,
  name: row.name,
  role: row.role,
  via: 'session' in via ? 'session' : 'api-token',
  sessionId: 'session' in via ? via.session : null,
  tokenId: 'token' in via ? via.token : null,
});

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } };
  const code = e.driverError?.code ?? e.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT';
}

export const unauthenticated = (message: string) => new AppError(401, 'UNAUTHENTICATED', message);

@Injectable()
export class AuthService {
  private secret: string | null = null;
  /** Compared against when the email is unknown, so timing does not reveal which emails exist. */
  private dummyHash: Promise<string> | null = null;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly accessEvents: AccessEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The JWT secret from config, or one generated once and kept (mode 0600) in the data folder. */
  private jwtSecret(): string {
    if (this.secret) return this.secret;
    if (this.config.auth.jwtSecret) return (this.secret = this.config.auth.jwtSecret);
    const file = path.join(this.config.dataDir, 'jwt-secret');
    if (!fs.existsSync(file)) {
      fs.mkdirSync(this.config.dataDir, { recursive: true });
      try {
        fs.writeFileSync(file, generatePassword() + generatePassword(), { mode: 0o600, flag: 'wx' });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    return (this.secret = fs.readFileSync(file, 'utf8').trim());
  }

  /**
   * First start without users: an admin from ADMIN_EMAIL/ADMIN_PASSWORD, or one with a generated
   * password that is printed once and written to a 0600 file in the data folder.
   */
  async ensureInitialAdmin(): Promise<{ email: string; passwordFile: string | null } | null> {
    this.jwtSecret();
    if ((await this.db.read.count(UserEntity)) > 0) return null;
    const email = this.config.auth.adminEmail ?? 'admin@parley.local';
    const generated = this.config.auth.adminPassword === undefined;
    const password = this.config.auth.adminPassword ?? generatePassword();
    try {
      await this.createUser({ email, name: 'Administrator', role: 'admin', password }, 'system');
    } catch (err) {
      // Another node created the first admin at the same moment.
      if (err instanceof AppError && err.statusCode === 409) return null;
      throw err;
    }
    if (!generated) return { email, passwordFile: null };
    const passwordFile = this.initialAdminFile();
    fs.mkdirSync(this.config.dataDir, { recursive: true });
    fs.writeFileSync(passwordFile, `email: ${email}\npassword: ${password}\n`, { mode: 0o600 });
    console.log(`\nCreated the first admin account: ${email} / ${password}\n(also written to ${passwordFile}; change it after signing in)\n`);
    return { email, passwordFile };
  }

  async login(input: LoginInput): Promise<LoginResult> {
    const user = await this.db.read.findOneBy(UserEntity, { email: input.email });
    const now = Date.now();
    if (!user) {
      this.dummyHash ??= hashPassword(generatePassword());
      await verifyPassword(input.password, await this.dummyHash);
      throw unauthenticated(WRONG_CREDENTIALS);
    }
    if (user.lockedUntil !== null && user.lockedUntil > now) {
      throw new AppError(429, 'RATE_LIMITED', 'Too many failed sign-ins for this account; try again later', undefined, undefined, Math.ceil((user.lockedUntil - now) / 1000));
    }
    const ok = await verifyPassword(input.password, user.passwordHash);
    if (!ok || user.disabledAt !== null) {
      if (!ok) await this.recordFailure(user.id);
      throw unauthenticated(WRONG_CREDENTIALS);
    }
    const expiresAt = now + this.config.auth.tokenTtlSeconds * 1000;
    const session: SessionEntity = { id: newId(), userId: user.id, createdAt: now, expiresAt, revokedAt: null };
    await this.db.write(async (tx) => {
      await tx.manager.insert(SessionEntity, session);
      await tx.manager.update(UserEntity, { id: user.id }, { failedLogins: 0, lockedUntil: null });
      await this.audit.record(tx.manager, { actor: user.email, action: 'auth.login', entityType: 'session', entityId: session.id, at: now });
    });
    const token = signJwt({ sub: user.id, sid: session.id, iat: Math.floor(now / 1000), exp: Math.floor(expiresAt / 1000) }, this.jwtSecret());
    return { token, expiresAt: toIso(expiresAt), user: toUser(user) };
  }

  private initialAdminFile(): string {
    return path.join(this.config.dataDir, INITIAL_ADMIN_FILE);
  }

  /**
   * The signed-in user changes their own password: the current one must be right (a stolen session
   * alone cannot take the account over). A refusal writes nothing, as any refused request; guesses
   * are limited per address by the sign-in throttler, and an account locked by failed sign-ins
   * cannot change its password either. Every other session of the user ends; the one used here
   * stays signed in.
   */
  async changePassword(principal: Principal & { kind: 'user' }, input: PasswordChange): Promise<{ sessionsEnded: number }> {
    const user = await this.db.read.findOneBy(UserEntity, { id: principal.userId });
    if (!user) throw unauthenticated('The credentials are invalid, expired or revoked; sign in again');
    const now = Date.now();
    if (user.lockedUntil !== null && user.lockedUntil > now) {
      throw new AppError(429, 'RATE_LIMITED', 'Too many wrong passwords for this account; try again later', undefined, undefined, Math.ceil((user.lockedUntil - now) / 1000));
    }
    if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
      // 403, not 401: the session is fine, only the password given is wrong.
      throw new AppError(403, 'FORBIDDEN', 'The current password is wrong; your password was not changed', [{ field: 'currentPassword', message: 'is wrong' }]);
    }
    const passwordHash = await hashPassword(input.newPassword);
    const sessionsEnded = await this.db.write(async (tx) => {
      await tx.manager.update(UserEntity, { id: user.id }, { passwordHash, failedLogins: 0, lockedUntil: null, updatedAt: now });
      const others = principal.sessionId === null ? { userId: user.id, revokedAt: IsNull() } : { userId: user.id, revokedAt: IsNull(), id: Not(principal.sessionId) };
      const ended = await tx.manager.update(SessionEntity, others, { revokedAt: now });
      const count = ended.affected ?? 0;
      await this.audit.record(tx.manager, {
        actor: user.email,
        action: 'auth.password_changed',
        entityType: 'user',
        entityId: user.id,
        after: { passwordChanged: true, otherSessionsEnded: count },
        at: now,
      });
      // The ended sessions may hold open live sockets.
      tx.afterCommit(() => this.accessEvents.publish({ kind: 'user', userId: user.id }));
      return count;
    });
    this.forgetInitialPassword(user.email);
    return { sessionsEnded };
  }

  /** The generated first password is no longer valid once its admin has chosen another: its file goes. */
  private forgetInitialPassword(email: string): void {
    const file = this.initialAdminFile();
    try {
      if (/^email: (.+)$/m.exec(fs.readFileSync(file, 'utf8'))?.[1] === email) fs.rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  private async recordFailure(userId: string): Promise<void> {
    await this.db.write(async (tx) => {
      const user = await tx.manager.findOneByOrFail(UserEntity, { id: userId });
      const failures = user.failedLogins + 1;
      const lockSeconds = failures >= FREE_ATTEMPTS ? Math.min(2 ** (failures - FREE_ATTEMPTS), MAX_LOCK_SECONDS) : 0;
      await tx.manager.update(UserEntity, { id: userId }, { failedLogins: failures, lockedUntil: lockSeconds ? Date.now() + lockSeconds * 1000 : null });
      await this.audit.record(tx.manager, { actor: user.email, action: 'auth.login_failed', entityType: 'user', entityId: userId, after: { failedLogins: failures, lockedForSeconds: lockSeconds } });
    });
  }

  async logout(principal: Principal): Promise<void> {
    if (principal.kind !== 'user' || !principal.sessionId) return;
    const sessionId = principal.sessionId;
    await this.db.write(async (tx) => {
      await tx.manager.update(SessionEntity, { id: sessionId }, { revokedAt: Date.now() });
      await this.audit.record(tx.manager, { actor: principal.email, action: 'auth.logout', entityType: 'session', entityId: sessionId });
      tx.afterCommit(() => this.accessEvents.publish({ kind: 'session', sessionId }));
    });
  }

  /** Resolves a bearer credential to a principal; null when it is unknown, expired or revoked. */
  async authenticate(credential: string): Promise<Principal | null> {
    const now = Date.now();
    if (credential.startsWith('plt_')) {
      // One query per request: the token and its user together.
      const { rows } = await sql<PrincipalRow & { token_id: string; expires_at: number | string | null; revoked_at: number | string | null; last_used_at: number | string | null }>(
        this.db.read,
        `SELECT t.id AS token_id, t.expires_at, t.revoked_at, t.last_used_at, ${USER_COLUMNS}
           FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`,
        [sha256(credential)],
      );
      const row = rows[0];
      const expiresAt = numOrNull(row?.expires_at);
      if (!row || row.revoked_at !== null || (expiresAt !== null && expiresAt <= now) || row.disabled_at !== null) return null;
      const lastUsedAt = numOrNull(row.last_used_at);
      if (lastUsedAt === null || now - lastUsedAt > LAST_USED_GRANULARITY_MS) {
        // Bookkeeping only: a failure here must not fail the request.
        this.db.write((tx) => tx.manager.update(ApiTokenEntity, { id: row.token_id }, { lastUsedAt: now })).catch(() => undefined);
      }
      return userPrincipal(row, { token: row.token_id });
    }
    if (credential.startsWith('pls_')) {
      const link = await this.db.read.findOneBy(ShareLinkEntity, { tokenHash: sha256(credential) });
      if (!link || link.revokedAt !== null || (link.expiresAt !== null && link.expiresAt <= now)) return null;
      return { kind: 'share', linkId: link.id, negotiationId: link.negotiationId };
    }
    const claims = verifyJwt(credential, this.jwtSecret(), Math.floor(now / 1000));
    if (!claims) return null;
    // Checked on every request, so logging out or a new password takes effect at once.
    const { rows } = await sql<PrincipalRow & { session_user_id: string; expires_at: number | string; revoked_at: number | string | null }>(
      this.db.read,
      `SELECT s.user_id AS session_user_id, s.expires_at, s.revoked_at, ${USER_COLUMNS}
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?`,
      [claims.sid],
    );
    const row = rows[0];
    if (!row || row.session_user_id !== claims.sub || row.revoked_at !== null || num(row.expires_at) <= now || row.disabled_at !== null) return null;
    return userPrincipal(row, { session: claims.sid });
  }

  async userOf(principal: Principal): Promise<User | null> {
    if (principal.kind !== 'user') return null;
    const user = await this.db.read.findOneBy(UserEntity, { id: principal.userId });
    return user ? toUser(user) : null;
  }

  // ---- API tokens ----

  async listTokens(userId: string): Promise<ApiToken[]> {
    const rows = await this.db.read.find(ApiTokenEntity, { where: { userId }, order: { createdAt: 'DESC' } });
    return rows.map(toApiToken);
  }

  async createToken(principal: Principal & { kind: 'user' }, input: ApiTokenCreate): Promise<ApiTokenCreated> {
    const token = randomToken('plt');
    const row: ApiTokenEntity = {
      id: newId(),
      userId: principal.userId,
      name: input.name,
      tokenHash: sha256(token),
      prefix: token.slice(0, 12),
      createdAt: Date.now(),
      expiresAt: input.expiresAt ? parseBound(input.expiresAt) : null,
      lastUsedAt: null,
      revokedAt: null,
    };
    await this.db.write(async (tx) => {
      await tx.manager.insert(ApiTokenEntity, row);
      await this.audit.record(tx.manager, { actor: principal.email, action: 'api_token.created', entityType: 'api_token', entityId: row.id, after: toApiToken(row) });
    });
    return { ...toApiToken(row), token };
  }

  async revokeToken(principal: Principal & { kind: 'user' }, tokenId: string): Promise<ApiToken> {
    return this.db.write(async (tx) => {
      const row = await tx.manager.findOneBy(ApiTokenEntity, { id: tokenId, userId: principal.userId });
      if (!row) throw notFound('API token', tokenId);
      if (row.revokedAt !== null) return toApiToken(row);
      const revoked = { ...row, revokedAt: Date.now() };
      await tx.manager.update(ApiTokenEntity, { id: row.id }, { revokedAt: revoked.revokedAt });
      await this.audit.record(tx.manager, { actor: principal.email, action: 'api_token.revoked', entityType: 'api_token', entityId: row.id, before: toApiToken(row), after: toApiToken(revoked) });
      tx.afterCommit(() => this.accessEvents.publish({ kind: 'api-token', tokenId: row.id }));
      return toApiToken(revoked);
    });
  }

  // ---- users ----

  async createUser(input: { email: string; name: string; role: Role; password: string }, actor: string): Promise<User> {
    const passwordHash = await hashPassword(input.password);
    return this.db.write(async (tx) => {
      if (await tx.manager.existsBy(UserEntity, { email: input.email })) throw conflict('CONFLICT', `a user with email '${input.email}' already exists`);
      const now = Date.now();
      const user: UserEntity = { id: newId(), email: input.email, name: input.name, role: input.role, passwordHash, failedLogins: 0, lockedUntil: null, disabledAt: null, createdAt: now, updatedAt: now };
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
      const current = await tx.manager.findOneBy(UserEntity, { id: userId });
      if (!current) throw notFound('User', userId);
      const now = Date.now();
      const next: UserEntity = {
        ...current,
        name: patch.name ?? current.name,
        role: patch.role ?? current.role,
        disabledAt: patch.disabled === undefined ? current.disabledAt : patch.disabled ? (current.disabledAt ?? now) : null,
        passwordHash: passwordHash ?? current.passwordHash,
        failedLogins: passwordHash ? 0 : current.failedLogins,
        lockedUntil: passwordHash ? null : current.lockedUntil,
        updatedAt: now,
      };
      await tx.manager.update(UserEntity, { id: userId }, {
        name: next.name,
        role: next.role,
        disabledAt: next.disabledAt,
        passwordHash: next.passwordHash,
        failedLogins: next.failedLogins,
        lockedUntil: next.lockedUntil,
        updatedAt: now,
      });
      if (passwordHash || (patch.disabled && current.disabledAt === null)) {
        // A new password or a disabled account ends every open session at once.
        await tx.manager.update(SessionEntity, { userId, revokedAt: IsNull() }, { revokedAt: now });
      }
      const changes = { ...toUser(next), ...(passwordHash ? { passwordChanged: true } : {}) };
      await this.audit.record(tx.manager, { actor, action: 'user.updated', entityType: 'user', entityId: userId, before: toUser(current), after: changes });
      // Ended sessions, a disabled account or another role: what the user's open sockets may read is checked again.
      if (passwordHash || next.disabledAt !== current.disabledAt || next.role !== current.role) {
        tx.afterCommit(() => this.accessEvents.publish({ kind: 'user', userId }));
      }
      return toUser(next);
    });
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
}
