import { Inject, Injectable } from '@nestjs/common';
import type { LoginInput, LoginResult, PasswordChange, Role, User } from '@parley/contracts';
import { toIso } from '@parley/domain';
import * as fs from 'node:fs';
import { IsNull, Not } from 'typeorm';
import * as path from 'node:path';
import { AuditLog } from '../audit/audit.service';
import { AccessEvents } from '../common/access-events';
import { AppError } from '../common/app-error';
import { generatePassword, hashPassword, sha256, verifyPassword } from '../common/crypto';
import { newId } from '../common/ids';
import { ensurePrivateDir } from '../common/private-files';
import type { Principal } from '../common/principal';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Db } from '../database/db.service';
import { num, numOrNull, sql } from '../database/sql';
import { ShareLinkEntity } from '../share-links/share-link.entity';
import { ApiTokenEntity, LoginFailureEntity, SessionEntity, UserEntity } from './auth.entities';
import { forgetInitialPassword } from './initial-admin';
import { CLOCK_TOLERANCE_SECONDS, SessionTokens, type SessionClaims } from './session-tokens';
import { toUser } from './user.mapper';

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

/** Sign-in, sessions and their lockout, and resolving any credential to a principal. */
@Injectable()
export class AuthService {
  private tokens: SessionTokens | null = null;
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
   * The claims of a session token: its signature, issuer and audience checked once per token string
   * (the secrets never change while the process runs), its expiry on every request. An HMAC per
   * request was 4 % of a write's CPU; the session itself is still read every time, so a logout takes
   * effect at once.
   */
  private async sessionClaims(token: string, now: number): Promise<SessionClaims | null> {
    let claims = this.verifiedTokens.get(token);
    if (!claims) {
      const checked = await this.sessionTokens().verify(token, Math.floor(now / 1000));
      if (!checked) return null;
      if (this.verifiedTokens.size >= VERIFIED_TOKENS) this.verifiedTokens.clear();
      this.verifiedTokens.set(token, (claims = checked));
    }
    return claims.exp + CLOCK_TOLERANCE_SECONDS > Math.floor(now / 1000) ? claims : null;
  }

  /** Makes sure the JWT secret exists (generated at the first start, before any request needs it). */
  ensureSecret(): void {
    this.sessionTokens();
  }

  /** Signs with the first of JWT_SECRET's secrets and verifies with any of them (key rotation). */
  private sessionTokens(): SessionTokens {
    return (this.tokens ??= new SessionTokens(this.config.auth.jwtSecrets ?? [this.generatedSecret()]));
  }

  /** The JWT secret generated once and kept (mode 0600) in the data folder, when JWT_SECRET is not set. */
  private generatedSecret(): string {
    const file = path.join(this.config.dataDir, 'jwt-secret');
    if (!fs.existsSync(file)) {
      ensurePrivateDir(this.config.dataDir);
      try {
        fs.writeFileSync(file, generatePassword() + generatePassword(), { mode: 0o600, flag: 'wx' });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    return fs.readFileSync(file, 'utf8').trim();
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
    const token = await this.sessionTokens().sign({ sub: user.id, sid: session.id, iat: Math.floor(now / 1000), exp: Math.floor(expiresAt / 1000) });
    return { token, expiresAt: toIso(expiresAt), user: toUser(user) };
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
    forgetInitialPassword(this.config.dataDir, user.email);
    return { sessionsEnded };
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
    const claims = await this.sessionClaims(credential, now);
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
}
