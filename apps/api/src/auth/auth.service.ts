import { Inject, Injectable } from '@nestjs/common';
import type { ApiToken, ApiTokenCreate, ApiTokenCreated, LoginInput, LoginResult, PasswordChange, Role, User } from '@parley/contracts';
import { parseBound, toIso } from '@parley/domain';
import * as fs from 'node:fs';
import { IsNull, Not, type EntityManager } from 'typeorm';
import * as path from 'node:path';
import { AuditLog } from '../audit/audit.service';
import { AccessEvents } from './access-events';
import { AppError, conflict, notFound } from '../common/app-error';
import { isUuid, newId } from '../common/ids';
import { ensurePrivateDir } from '../common/private-files';
import type { Principal } from '../common/principal';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Db } from '../database/db.service';
import { dialectOf, isUniqueViolation } from '../database/dialect';
import { num, numOrNull, sql } from '../database/sql';
import { ShareLinkEntity } from '../share-links/share-link.entity';
import { ApiTokenEntity, LoginFailureEntity, SessionEntity, UserEntity } from './auth.entities';
import { generatePassword, hashPassword, randomToken, sha256, signJwt, verifyJwt, verifyPassword, type SessionClaims } from './crypto';
import { toApiToken, toUser } from './user.mapper';

/** Failed logins allowed before each further failure locks the account for a growing delay. */
const FREE_ATTEMPTS = 5;
const MAX_LOCK_SECONDS = 15 * 60;
/**
 * An address's failures are forgotten a day after its last one (its row is deleted): the table holds
 * only addresses tried lately, whether or not they are accounts, and a long-locked account starts
 * afresh after a quiet day.
 */
const FAILURES_KEPT_MS = 24 * 3600_000;
/** Checked session tokens remembered; past this many the memory starts again (an HMAC each). */
const VERIFIED_TOKENS = 10_000;
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

export const unauthenticated = (message: string) => new AppError(401, 'UNAUTHENTICATED', message);

/** The growing delay after the FREE_ATTEMPTS-th failure in a row: 1 s, 2 s, 4 s… up to 15 min. */
const lockSecondsAfter = (failures: number): number => (failures >= FREE_ATTEMPTS ? Math.min(2 ** (failures - FREE_ATTEMPTS), MAX_LOCK_SECONDS) : 0);

/** The first admin as a start found or created it. */
export interface InitialAdmin {
  /** Created by this start; `password` only when generated (null when it came from ADMIN_PASSWORD). */
  created: { email: string; password: string | null } | null;
  /** The file holding the generated first password, while it exists (see forgetInitialPassword). */
  passwordFile: string | null;
}

@Injectable()
export class AuthService {
  private secret: string | null = null;
  /** Session tokens whose signature has been checked, with their claims (see sessionClaims). */
  private readonly verifiedTokens = new Map<string, SessionClaims>();
  /** Compared against when the email is unknown, so timing does not reveal which emails exist. */
  private dummyHash: Promise<string> | null = null;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly accessEvents: AccessEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The claims of a session token: its signature checked once per token string (the secret never
   * changes while the process runs), its expiry on every request. An HMAC per request was 4 % of a
   * write's CPU; the session itself is still read every time, so a logout takes effect at once.
   */
  private sessionClaims(token: string, now: number): SessionClaims | null {
    let claims = this.verifiedTokens.get(token);
    if (!claims) {
      const checked = verifyJwt(token, this.jwtSecret(), Math.floor(now / 1000));
      if (!checked) return null;
      if (this.verifiedTokens.size >= VERIFIED_TOKENS) this.verifiedTokens.clear();
      this.verifiedTokens.set(token, (claims = checked));
    }
    return claims.exp > Math.floor(now / 1000) ? claims : null;
  }

  /** The JWT secret from config, or one generated once and kept (mode 0600) in the data folder. */
  private jwtSecret(): string {
    if (this.secret) return this.secret;
    if (this.config.auth.jwtSecret) return (this.secret = this.config.auth.jwtSecret);
    const file = path.join(this.config.dataDir, 'jwt-secret');
    if (!fs.existsSync(file)) {
      ensurePrivateDir(this.config.dataDir);
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
   * password written to a 0600 file in the data folder (the start-up banner shows both, see main.ts).
   */
  async ensureInitialAdmin(): Promise<InitialAdmin> {
    this.jwtSecret();
    if ((await this.db.read.count(UserEntity)) > 0) return { created: null, passwordFile: this.initialPasswordFile() };
    const email = this.config.auth.adminEmail ?? 'admin@parley.local';
    const generated = this.config.auth.adminPassword === undefined;
    const password = this.config.auth.adminPassword ?? generatePassword();
    try {
      await this.createUser({ email, name: 'Administrator', role: 'admin', password }, 'system');
    } catch (err) {
      // Another node created the first admin at the same moment.
      if (err instanceof AppError && err.statusCode === 409) return { created: null, passwordFile: this.initialPasswordFile() };
      throw err;
    }
    if (!generated) return { created: { email, password: null }, passwordFile: null };
    const passwordFile = this.initialAdminFile();
    ensurePrivateDir(this.config.dataDir);
    fs.writeFileSync(passwordFile, `email: ${email}\npassword: ${password}\n`, { mode: 0o600 });
    return { created: { email, password }, passwordFile };
  }

  /** The generated first password's file, while it is there (its admin has not changed it yet). */
  private initialPasswordFile(): string | null {
    const file = this.initialAdminFile();
    return fs.existsSync(file) ? file : null;
  }

  /**
   * An unknown email is answered as a known one with a wrong password, at each step: the same
   * password check (against a dummy hash, so the time taken is alike), the same failure count and
   * lockout (kept per address in login_failures; no user row is created), the same messages.
   *
   * Each attempt is counted as a failure before its password is checked (see reserveAttempt) and
   * the count is cleared when it succeeds, so however many arrive at once, no more passwords are
   * checked than the lock allows.
   */
  async login(input: LoginInput): Promise<LoginResult> {
    const now = Date.now();
    // Read first: an address already locked is answered without a write (a flood of guesses stays cheap).
    const [user, lockSeconds] = await Promise.all([this.db.read.findOneBy(UserEntity, { email: input.email }), this.lockedFor(input.email, now)]);
    const attempt = lockSeconds === null ? await this.reserveAttempt(input.email) : { lockedForSeconds: lockSeconds, failures: null };
    if (attempt.failures === null) {
      throw new AppError(429, 'RATE_LIMITED', 'Too many failed sign-ins for this account; try again later', undefined, undefined, attempt.lockedForSeconds);
    }
    if (!user) {
      this.dummyHash ??= hashPassword(generatePassword());
      await verifyPassword(input.password, await this.dummyHash);
      await this.recordFailure(input.email, null, attempt);
      throw unauthenticated(WRONG_CREDENTIALS);
    }
    const ok = await verifyPassword(input.password, user.passwordHash);
    if (!ok || user.disabledAt !== null) {
      // A disabled account's right password stays counted: it never signs in, and the count must not tell.
      if (!ok) await this.recordFailure(user.email, user, attempt);
      throw unauthenticated(WRONG_CREDENTIALS);
    }
    const expiresAt = now + this.config.auth.tokenTtlSeconds * 1000;
    const session: SessionEntity = { id: newId(), userId: user.id, createdAt: now, expiresAt, revokedAt: null };
    await this.db.write(async (tx) => {
      await tx.manager.insert(SessionEntity, session);
      await tx.manager.delete(LoginFailureEntity, { email: user.email });
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
    const lockSeconds = await this.lockedFor(user.email, now);
    if (lockSeconds !== null) {
      throw new AppError(429, 'RATE_LIMITED', 'Too many wrong passwords for this account; try again later', undefined, undefined, lockSeconds);
    }
    if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
      // 403, not 401: the session is fine, only the password given is wrong.
      throw new AppError(403, 'FORBIDDEN', 'The current password is wrong; your password was not changed', [{ field: 'currentPassword', message: 'is wrong' }]);
    }
    const passwordHash = await hashPassword(input.newPassword);
    const sessionsEnded = await this.db.write(async (tx) => {
      await tx.manager.update(UserEntity, { id: user.id }, { passwordHash, updatedAt: now });
      await tx.manager.delete(LoginFailureEntity, { email: user.email });
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

  /** Seconds until sign-in may be tried again for this address; null when it is not locked. */
  private async lockedFor(email: string, now: number): Promise<number | null> {
    const lockedUntil = (await this.db.read.findOneBy(LoginFailureEntity, { email }))?.lockedUntil ?? null;
    return lockedUntil !== null && lockedUntil > now ? Math.ceil((lockedUntil - now) / 1000) : null;
  }

  /**
   * Counts a sign-in attempt for an address as a failure before its password is checked, unless the
   * address is locked: `failures` is then null and `lockedForSeconds` says how long it waits. The
   * count goes up and the lock is set in one write, and the conditional UPDATE decides: on SQLite
   * writes run one at a time (the write queue); on PostgreSQL the UPDATE holds the row lock until
   * the lock is set, and an UPDATE waiting for it re-reads the row. So at most FREE_ATTEMPTS
   * passwords, then one per lock, are checked, whatever the concurrency and the number of nodes.
   */
  private async reserveAttempt(email: string): Promise<{ failures: number; lockedForSeconds: number } | { failures: null; lockedForSeconds: number }> {
    return this.db.write(async (tx) => {
      // The time of the write, not of the request: a lock runs from when it is set.
      const now = Date.now();
      const forgotten = now - FAILURES_KEPT_MS;
      await sql(tx.manager, 'DELETE FROM login_failures WHERE last_failed_at < ?', [forgotten]);
      await sql(tx.manager, 'INSERT INTO login_failures (email, failures, locked_until, last_failed_at) VALUES (?, 0, NULL, ?) ON CONFLICT (email) DO NOTHING', [email, now]);
      const reserved = await sql(
        tx.manager,
        `UPDATE login_failures SET failures = failures + 1, last_failed_at = ?
           WHERE email = ? AND (locked_until IS NULL OR locked_until <= ?)`,
        [now, email, now],
      );
      const { failures, lockedUntil } = await tx.manager.findOneByOrFail(LoginFailureEntity, { email });
      if (reserved.affected === 0) return { failures: null, lockedForSeconds: Math.max(1, Math.ceil(((lockedUntil ?? now) - now) / 1000)) };
      const lockedForSeconds = lockSecondsAfter(failures);
      await tx.manager.update(LoginFailureEntity, { email }, { lockedUntil: lockedForSeconds ? now + lockedForSeconds * 1000 : null });
      return { failures, lockedForSeconds };
    });
  }

  /**
   * A wrong password: the lock its attempt set runs from now (the check took time, and the lock is
   * the wait after a failure), unless the count has moved on since. An account's failure is audited.
   */
  private async recordFailure(email: string, user: UserEntity | null, attempt: { failures: number; lockedForSeconds: number }): Promise<void> {
    await this.db.write(async (tx) => {
      const now = Date.now();
      if (attempt.lockedForSeconds > 0) {
        await sql(tx.manager, 'UPDATE login_failures SET locked_until = ? WHERE email = ? AND failures = ? AND locked_until < ?', [
          now + attempt.lockedForSeconds * 1000,
          email,
          attempt.failures,
          now + attempt.lockedForSeconds * 1000,
        ]);
      }
      if (user) {
        await this.audit.record(tx.manager, {
          actor: user.email,
          action: 'auth.login_failed',
          entityType: 'user',
          entityId: user.id,
          after: { failedLogins: attempt.failures, lockedForSeconds: attempt.lockedForSeconds },
          at: now,
        });
      }
    });
  }

  /**
   * Ends the session the request was made with. An API token is not a session: answering 204 would
   * let a script believe its token was revoked, so the caller is told how to revoke it instead.
   */
  async logout(principal: Principal & { kind: 'user' }): Promise<void> {
    if (principal.via === 'api-token') {
      const id = principal.tokenId ?? ':tokenId';
      throw new AppError(
        400,
        'VALIDATION_FAILED',
        `Logout ends a session, and this request was made with an API token, which logout does not revoke; revoke the token with DELETE /api/auth/tokens/${id}`,
        [{ field: 'authorization', message: `is an API token; revoke it with DELETE /api/auth/tokens/${id}` }],
      );
    }
    const sessionId = principal.sessionId;
    if (sessionId === null) return;
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
    const claims = this.sessionClaims(credential, now);
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

  /** A user's API tokens, for an admin: 404 when there is no such user. */
  async listTokensOf(userId: string): Promise<ApiToken[]> {
    await this.getUser(userId);
    return this.listTokens(userId);
  }

  /**
   * Revokes one token of `userId` (the caller's own, or any user's for an admin): a token of another
   * user is answered as an unknown one (404), so a path cannot be used to probe ids.
   */
  async revokeToken(userId: string, tokenId: string, actor: string): Promise<ApiToken> {
    return this.db.write(async (tx) => {
      if (!isUuid(userId) || !(await tx.manager.existsBy(UserEntity, { id: userId }))) throw notFound('User', userId);
      const row = isUuid(tokenId) ? await tx.manager.findOneBy(ApiTokenEntity, { id: tokenId, userId }) : null;
      if (!row) throw notFound('API token', tokenId);
      if (row.revokedAt !== null) return toApiToken(row);
      const revoked = { ...row, revokedAt: Date.now() };
      await tx.manager.update(ApiTokenEntity, { id: row.id }, { revokedAt: revoked.revokedAt });
      await this.audit.record(tx.manager, {
        actor,
        action: 'api_token.revoked',
        entityType: 'api_token',
        entityId: row.id,
        before: toApiToken(row),
        after: { ...toApiToken(revoked), userId },
      });
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
}
