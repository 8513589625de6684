import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { AuditLog } from '../src/audit/audit.service';
import { UsersService } from '../src/users/users.service';
import { cliActor, runCli, USAGE } from '../src/cli/commands';
import { createApp, initialAdmin } from '../src/bootstrap';
import { loadConfig } from '../src/config/app-config';
import { Db } from '../src/database/db.service';
import { sql } from '../src/database/sql';
import { ADMIN, fingerprint, freshDatabase, seed, stance, startApp, type TestApp } from './harness';
import { mostPasswordChecks } from './lockout';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('session lifetime', () => {
  it('a session token expires after its lifetime', async () => {
    const t = await startApp({ AUTH_TOKEN_TTL_SECONDS: '2' });
    try {
      const { token } = await t.user('viewer');
      expect((await t.as(token).get('/api/auth/me')).status).toBe(200);
      await sleep(3_100);
      const expired = await t.as(token).get('/api/auth/me');
      expect(expired.status).toBe(401);
      expect(expired.body.code).toBe('UNAUTHENTICATED');
    } finally {
      await t.close();
    }
  });
});

describe('sessions, tokens and share links stop working at once', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ VIEW_ACCESS: 'private' });
  });
  afterAll(() => t.close());

  it('logout ends the session', async () => {
    const { token } = await t.user('analyst');
    expect((await t.as(token).post('/api/auth/logout')).status).toBe(204);
    expect((await t.as(token).get('/api/negotiations')).status).toBe(401);
  });

  it('a revoked API token stops working at once; a new password and a disabled account end sessions', async () => {
    const analyst = await t.user('analyst');
    const created = await t.as(analyst.token).post('/api/auth/tokens', { name: 'import script' });
    expect(created.body.token).toMatch(/^plt_/);
    const api = t.as(created.body.token);
    expect((await api.get('/api/auth/me')).body).toMatchObject({ via: 'api-token', user: { email: analyst.email, role: 'analyst' } });
    const listed = await t.as(analyst.token).get('/api/auth/tokens');
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);
    expect((await t.as(analyst.token).delete(`/api/auth/tokens/${created.body.id}`)).body.revokedAt).not.toBeNull();
    expect((await api.get('/api/auth/me')).status).toBe(401);

    const other = await t.user('analyst');
    await t.patch(`/api/users/${other.id}`, { password: 'a-brand-new-password' });
    expect((await t.as(other.token).get('/api/auth/me')).status).toBe(401);
    const again = await t.as(null).post('/api/auth/login', { email: other.email, password: 'a-brand-new-password' });
    expect(again.status).toBe(200);
    await t.patch(`/api/users/${other.id}`, { disabled: true });
    expect((await t.as(again.body.token).get('/api/auth/me')).status).toBe(401);
    expect((await t.as(null).post('/api/auth/login', { email: other.email, password: 'a-brand-new-password' })).status).toBe(401);
  });

  it('logout with an API token is a 400 naming DELETE /api/auth/tokens/:tokenId, and revokes nothing', async () => {
    const analyst = await t.user('analyst');
    const created = (await t.as(analyst.token).post('/api/auth/tokens', { name: 'nightly import' })).body as { id: string; token: string };
    const before = await fingerprint(t.db);
    const refused = await t.as(created.token).post('/api/auth/logout');
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining(`revoke the token with DELETE /api/auth/tokens/${created.id}`),
      details: [{ field: 'authorization', message: `is an API token; revoke it with DELETE /api/auth/tokens/${created.id}` }],
      requestId: expect.any(String),
    });
    expect(await fingerprint(t.db)).toEqual(before);
    expect((await t.as(created.token).get('/api/auth/me')).status).toBe(200);
    expect((await t.as(analyst.token).get('/api/auth/me')).status).toBe(200);
    // The route the answer names does revoke it.
    expect((await t.as(analyst.token).delete(`/api/auth/tokens/${created.id}`)).status).toBe(200);
    expect((await t.as(created.token).get('/api/auth/me')).status).toBe(401);
  });

  it('an API token with expiresAt works until then and stops working after it', async () => {
    const analyst = await t.user('analyst');
    const expiresAt = new Date(Date.now() + 3_000).toISOString();
    const created = await t.as(analyst.token).post('/api/auth/tokens', { name: 'short-lived', expiresAt });
    expect(created.status).toBe(201);
    expect(created.body.expiresAt).toBe(expiresAt);
    const api = t.as(created.body.token);
    expect((await api.get('/api/auth/me')).body).toMatchObject({ via: 'api-token', user: { email: analyst.email } });
    const lasting = t.as((await t.as(analyst.token).post('/api/auth/tokens', { name: 'no expiry' })).body.token);

    await sleep(Date.parse(expiresAt) - Date.now() + 100);
    const expired = await api.get('/api/auth/me');
    expect(expired.status).toBe(401);
    expect(expired.body.code).toBe('UNAUTHENTICATED');
    expect((await api.get('/api/negotiations')).status).toBe(401);
    // Only that token: the user's session and tokens without an expiry go on working.
    expect((await lasting.get('/api/auth/me')).status).toBe(200);
    expect((await t.as(analyst.token).get('/api/auth/me')).status).toBe(200);
    const listed = (await t.as(analyst.token).get('/api/auth/tokens')).body as { id: string; expiresAt: string | null; revokedAt: string | null }[];
    expect(listed.find((x) => x.id === created.body.id)).toMatchObject({ expiresAt, revokedAt: null });
  });

  it('a share link reads its negotiation only, never writes, and stops working when revoked', async () => {
    const s = await seed(t, 'Shared');
    const other = await seed(t, 'Not shared');
    const n = `/api/negotiations/${s.negotiationId}`;
    const link = await t.post(`${n}/share-links`, { label: 'situation room' });
    expect(link.status).toBe(201);
    const share = t.as(link.body.token);
    expect((await share.get(`${n}/matrix`)).status).toBe(200);
    expect((await t.as(null).get(`${n}/matrix?share=${link.body.token}`)).status).toBe(200);
    expect((await share.get(`/api/negotiations/${s.slug}`)).status).toBe(200);
    expect((await share.get('/api/negotiations')).body.map((x: { id: string }) => x.id)).toEqual([s.negotiationId]);
    expect((await share.get(`/api/negotiations/${other.negotiationId}/matrix`)).status).toBe(403);
    expect((await share.post(`${n}/stances`, stance(s.parties[0].id, s.points[0].id))).status).toBe(403);
    expect((await share.get('/api/auth/me')).body).toEqual({ user: null, via: 'share-link', negotiationId: s.negotiationId });
    expect((await t.as(null).get(`${n}/matrix`)).status).toBe(401);
    await t.delete(`${n}/share-links/${link.body.id}`);
    expect((await share.get(`${n}/matrix`)).status).toBe(401);
  });
});

describe('account takeover ends with the account', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ LOGIN_LIMIT_PER_MINUTE: '1000' });
  });
  afterAll(() => t.close());

  /** A user with a signed-in session and an API token made with it. */
  const userWithToken = async (role: 'analyst' | 'viewer' = 'analyst') => {
    const u = await t.user(role);
    const created = await t.as(u.token).post('/api/auth/tokens', { name: 'script' });
    expect(created.status).toBe(201);
    expect((await t.as(created.body.token).get('/api/auth/me')).status).toBe(200);
    return { ...u, apiToken: created.body.token as string, tokenId: created.body.id as string };
  };
  const works = async (credential: string) => (await t.as(credential).get('/api/auth/me')).status === 200;

  it('disabling a user revokes their API tokens and sessions for good: enabling the account again brings none back', async () => {
    for (const patch of [{ disabled: true }, { disabled: true, password: 'taken-back-password-1' }]) {
      const u = await userWithToken();
      expect((await t.patch(`/api/users/${u.id}`, patch)).status).toBe(200);
      expect(await works(u.apiToken)).toBe(false);
      expect(await works(u.token)).toBe(false);
      expect((await t.patch(`/api/users/${u.id}`, { disabled: false })).body.disabled).toBe(false);
      expect(await works(u.apiToken)).toBe(false);
      expect(await works(u.token)).toBe(false);
      const listed = (await t.get(`/api/users/${u.id}/tokens`)).body as { id: string; revokedAt: string | null }[];
      expect(listed).toEqual([expect.objectContaining({ id: u.tokenId, revokedAt: expect.any(String) })]);
      const audit = (await t.get('/api/audit?limit=1000')).body.items as { action: string; entityId: string; after: Record<string, unknown> }[];
      const disabling = audit.find((a) => a.action === 'user.updated' && a.entityId === u.id && a.after['disabled'] === true);
      expect(disabling?.after).toMatchObject({ sessionsEnded: 1, apiTokensRevoked: 1 });
    }
  });

  it("an admin's new password revokes the user's API tokens with their sessions", async () => {
    const u = await userWithToken();
    const bystander = await userWithToken();
    expect((await t.patch(`/api/users/${u.id}`, { password: 'taken-back-password-2' })).status).toBe(200);
    expect(await works(u.apiToken)).toBe(false);
    expect(await works(u.token)).toBe(false);
    expect(await works(bystander.apiToken)).toBe(true);
    // The account's new owner starts afresh: a token made now works.
    const session = (await t.as(null).post('/api/auth/login', { email: u.email, password: 'taken-back-password-2' })).body.token as string;
    const fresh = (await t.as(session).post('/api/auth/tokens', { name: 'new script' })).body.token as string;
    expect(await works(fresh)).toBe(true);
  });

  it('user:reset-password revokes the API tokens too, also when it enables a disabled account', async () => {
    const out: string[] = [];
    const u = await userWithToken();
    expect(await runCli(['user:reset-password', '--email', u.email, '--password', 'reset-by-cli-1'], t.config, (l) => out.push(l))).toBe(0);
    expect(await works(u.apiToken)).toBe(false);
    expect(await works(u.token)).toBe(false);

    const disabled = await userWithToken();
    expect((await t.patch(`/api/users/${disabled.id}`, { disabled: true })).status).toBe(200);
    expect(await runCli(['user:reset-password', '--email', disabled.email, '--password', 'reset-by-cli-2'], t.config, (l) => out.push(l))).toBe(0);
    expect(out.at(-1)).toContain('enabled again');
    expect(await works(disabled.apiToken)).toBe(false);
    expect((await t.as(null).post('/api/auth/login', { email: disabled.email, password: 'reset-by-cli-2' })).status).toBe(200);
  });

  it("lets an admin list and revoke any user's API tokens, audited; unknown users and tokens, and another user's token, are 404s", async () => {
    const u = await userWithToken('viewer');
    const second = (await t.as(u.token).post('/api/auth/tokens', { name: 'second' })).body as { id: string; token: string };
    const other = await userWithToken('viewer');

    const listed = await t.get(`/api/users/${u.id}/tokens`);
    expect(listed.status).toBe(200);
    expect((listed.body as { id: string }[]).map((x) => x.id).sort()).toEqual([u.tokenId, second.id].sort());
    expect(JSON.stringify(listed.body)).not.toContain(u.apiToken);

    const revoked = await t.delete(`/api/users/${u.id}/tokens/${u.tokenId}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: u.tokenId, revokedAt: expect.any(String) });
    expect(await works(u.apiToken)).toBe(false);
    expect(await works(second.token)).toBe(true);
    expect(await works(u.token)).toBe(true);
    const entry = ((await t.get('/api/audit?limit=1000')).body.items as { action: string; actor: string; entityId: string; after: Record<string, unknown> }[]).find(
      (a) => a.action === 'api_token.revoked' && a.entityId === u.tokenId,
    );
    expect(entry).toMatchObject({ actor: ADMIN.email, after: { userId: u.id, revokedAt: expect.any(String) } });

    const before = await fingerprint(t.db);
    const missingUser = '00000000-0000-4000-8000-000000000000';
    for (const [path, what] of [
      [`/api/users/${missingUser}/tokens`, 'User'],
      [`/api/users/not-a-user/tokens`, 'User'],
      [`/api/users/${missingUser}/tokens/${second.id}`, 'User'],
      [`/api/users/${u.id}/tokens/${missingUser}`, 'API token'],
      [`/api/users/${u.id}/tokens/not-a-token`, 'API token'],
      // Another user's token under this user's path: as unknown as a made-up one.
      [`/api/users/${u.id}/tokens/${other.tokenId}`, 'API token'],
    ] as const) {
      const res = path.endsWith('/tokens') ? await t.get(path) : await t.delete(path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', code: 'NOT_FOUND', message: expect.stringMatching(new RegExp(`^${what} '.*' was not found$`)), requestId: expect.any(String) });
    }
    expect(await fingerprint(t.db)).toEqual(before);
    expect(await works(other.apiToken)).toBe(true);
  });
});

describe('changing one\'s own password', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ LOGIN_LIMIT_PER_MINUTE: '1000' });
  });
  afterAll(() => t.close());

  it('needs the current password; a refusal changes nothing', async () => {
    const u = await t.user('analyst');
    const before = await fingerprint(t.db);
    const wrong = await t.as(u.token).post('/api/auth/password', { currentPassword: 'not-my-password', newPassword: 'a-brand-new-password' });
    expect(wrong.status).toBe(403);
    expect(wrong.body).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('current password is wrong') });
    const short = await t.as(u.token).post('/api/auth/password', { currentPassword: u.password, newPassword: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.details).toEqual([{ field: 'newPassword', message: 'must be at least 10 characters' }]);
    const same = await t.as(u.token).post('/api/auth/password', { currentPassword: u.password, newPassword: u.password });
    expect(same.status).toBe(400);
    expect(await fingerprint(t.db)).toEqual(before);
    expect((await t.as(u.token).get('/api/auth/me')).status).toBe(200);
    expect((await t.as(null).post('/api/auth/login', { email: u.email, password: u.password })).status).toBe(200);
  });

  it('sets the new password, ends the user\'s other sessions, keeps this one, and is audited', async () => {
    const u = await t.user('viewer');
    const other = (await t.as(null).post('/api/auth/login', { email: u.email, password: u.password })).body.token as string;
    const apiToken = (await t.as(u.token).post('/api/auth/tokens', { name: 'script' })).body.token as string;
    const bystander = await t.user('viewer');

    const changed = await t.as(u.token).post('/api/auth/password', { currentPassword: u.password, newPassword: 'my-new-password-1' });
    expect(changed.status).toBe(204);

    expect((await t.as(u.token).get('/api/auth/me')).status).toBe(200);
    expect((await t.as(other).get('/api/auth/me')).status).toBe(401);
    expect((await t.as(apiToken).get('/api/auth/me')).status).toBe(200);
    expect((await t.as(bystander.token).get('/api/auth/me')).status).toBe(200);
    expect((await t.as(null).post('/api/auth/login', { email: u.email, password: u.password })).status).toBe(401);
    expect((await t.as(null).post('/api/auth/login', { email: u.email, password: 'my-new-password-1' })).status).toBe(200);

    const audit = (await t.get(`/api/audit?actor=${encodeURIComponent(u.email)}&limit=1000`)).body.items as { action: string; entityId: string; after: any }[];
    const entry = audit.find((a) => a.action === 'auth.password_changed');
    expect(entry).toMatchObject({ entityId: u.id, after: { passwordChanged: true, otherSessionsEnded: 1 } });
    expect(JSON.stringify(audit)).not.toContain('my-new-password-1');
  });

  it('is limited per address like sign-in, with Retry-After', async () => {
    const limited = await startApp({ LOGIN_LIMIT_PER_MINUTE: '3' });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 6; i++) {
        const res = await limited.post('/api/auth/password', { currentPassword: `guess-${i}`, newPassword: 'a-brand-new-password' });
        statuses.push(res.status);
        if (res.status === 429) retryAfter ??= res.headers.get('retry-after');
      }
      expect(statuses).toEqual([403, 403, 403, 429, 429, 429]);
      expect(Number(retryAfter)).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});

describe('login throttling', () => {
  it('throttles a brute force of 50 wrong passwords per address, with Retry-After', async () => {
    const t = await startApp({ LOGIN_LIMIT_PER_MINUTE: '10' });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 50; i++) {
        const res = await t.as(null).post('/api/auth/login', { email: ADMIN.email, password: `guess-${i}` });
        statuses.push(res.status);
        if (res.status === 429) retryAfter ??= res.headers.get('retry-after');
      }
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(10);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(40);
      expect(Number(retryAfter)).toBeGreaterThan(0);
      // Even the right password waits now.
      expect((await t.as(null).post('/api/auth/login', ADMIN)).status).toBe(429);
    } finally {
      await t.close();
    }
  });

  it('throttles password spraying per address: one wrong password for each of many emails, known and unknown, gets 429 with Retry-After', async () => {
    const t = await startApp({ LOGIN_LIMIT_PER_MINUTE: '10' });
    try {
      // Accounts made without signing them in (a sign-in would count against the address's limit).
      const known: string[] = [];
      for (let i = 0; i < 15; i++) {
        const email = `sprayed${i}@test.local`;
        expect((await t.post('/api/users', { email, name: `Sprayed ${i}`, role: 'viewer', password: `sprayed-password-${i}` })).status).toBe(201);
        known.push(email);
      }
      const emails = known.flatMap((email, i) => [email, `nobody${i}@test.local`]);
      expect(new Set(emails).size).toBe(30); // each address once: no account can reach its own lockout
      const answers: { status: number; code: string; message: string; retryAfter: string | null }[] = [];
      for (const email of emails) {
        const res = await t.as(null).post('/api/auth/login', { email, password: 'Summer2025!' });
        answers.push({ status: res.status, code: res.body.code, message: res.body.message, retryAfter: res.headers.get('retry-after') });
      }
      const firstLimited = answers.findIndex((a) => a.status === 429);
      // The admin's sign-in at start-up counts too: at most 10 guesses get through.
      expect(firstLimited).toBeGreaterThan(0);
      expect(firstLimited).toBeLessThanOrEqual(10);
      expect(answers.slice(0, firstLimited).every((a) => a.status === 401)).toBe(true);
      for (const limited of answers.slice(firstLimited)) {
        expect(limited).toMatchObject({ status: 429, code: 'RATE_LIMITED', message: 'Too many requests; slow down and retry later' });
        expect(Number(limited.retryAfter)).toBeGreaterThan(0);
      }
      // The limit is the address's, not the accounts': the right password from here waits too.
      const right = await t.as(null).post('/api/auth/login', { email: known[14], password: 'sprayed-password-14' });
      expect(right.status).toBe(429);
      expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });

  it('locks an unknown email out exactly like a known one (same statuses, bodies and Retry-After) without making a user', async () => {
    const t = await startApp({ LOGIN_LIMIT_PER_MINUTE: '1000' });
    try {
      expect((await t.post('/api/users', { email: 'known@test.local', name: 'Known', role: 'analyst', password: 'known-password-1' })).status).toBe(201);
      const before = await fingerprint(t.db);
      const users = (await t.get('/api/users')).body.length as number;
      const answer = async (email: string, password: string, withRetryAfter = true) => {
        const res = await t.as(null).post('/api/auth/login', { email, password });
        const { requestId, retryAfter, ...body } = res.body as Record<string, unknown>;
        expect(typeof requestId).toBe('string');
        return withRetryAfter ? { status: res.status, body, retryAfter, header: res.headers.get('retry-after') } : { status: res.status, body };
      };
      const known: unknown[] = [];
      const unknown: unknown[] = [];
      // Turn about, so both addresses reach their lock at about the same moment. The unknown one is
      // given in another spelling: the count is the address's.
      for (let i = 0; i < 6; i++) {
        known.push(await answer('known@test.local', `wrong-${i}`));
        unknown.push(await answer(' Nobody@Test.LOCAL', `wrong-${i}`));
      }
      expect(unknown).toEqual(known);
      expect(known.map((a) => (a as { status: number }).status)).toEqual([401, 401, 401, 401, 401, 429]);
      expect(known[0]).toMatchObject({ body: { code: 'UNAUTHENTICATED', message: 'Wrong email or password' } });
      expect(known[5]).toMatchObject({ body: { code: 'RATE_LIMITED', message: 'Too many failed sign-ins for this account; try again later' }, retryAfter: 1, header: '1' });

      // Once the first lock (1 s) has passed, the next failure locks both for 2 s.
      await sleep(1_100);
      const again = [await answer('known@test.local', 'wrong-6', false), await answer('nobody@test.local', 'wrong-6', false)];
      const locked = [await answer('known@test.local', 'known-password-1'), await answer('nobody@test.local', 'known-password-1')];
      expect(again).toEqual([{ status: 401, body: (known[0] as { body: unknown }).body }, { status: 401, body: (known[0] as { body: unknown }).body }]);
      for (const a of locked) {
        expect(a).toMatchObject({ status: 429, body: (known[5] as { body: unknown }).body });
        expect([1, 2]).toContain(a.retryAfter);
      }

      // Nothing was made for the unknown address but its failure count; the known account's
      // failures are audited as before.
      expect((await t.get('/api/users')).body).toHaveLength(users);
      expect((await t.get('/api/users')).body.map((u: { email: string }) => u.email)).not.toContain('nobody@test.local');
      const after = await fingerprint(t.db);
      expect(after['users']).toBe(before['users']);
      const failures = (await t.get('/api/audit?limit=1000')).body.items.filter((a: { action: string }) => a.action === 'auth.login_failed') as { actor: string }[];
      expect(failures.map((a) => a.actor)).toEqual(Array(6).fill('known@test.local'));
    } finally {
      await t.close();
    }
  });

  it('locks an account after repeated failures, whatever the address', async () => {
    const t = await startApp({ LOGIN_LIMIT_PER_MINUTE: '1000' });
    try {
      const victim = await t.user('analyst');
      for (let i = 0; i < 6; i++) await t.as(null).post('/api/auth/login', { email: victim.email, password: `wrong-${i}` });
      const locked = await t.as(null).post('/api/auth/login', { email: victim.email, password: victim.password });
      expect(locked.status).toBe(429);
      expect(locked.body.code).toBe('RATE_LIMITED');
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });

  it('checks at most the allowed number of passwords when 100 tries arrive at once, and refuses the right password while locked', async () => {
    // The per-address limits high: what is tested is the account's lockout.
    const t = await startApp({ LOGIN_LIMIT_PER_MINUTE: '100000', RATE_LIMIT_PER_MINUTE: '0' });
    try {
      const victim = await t.user('analyst');
      const wave = async () => {
        const started = Date.now();
        const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => t.as(null).post('/api/auth/login', { email: victim.email, password: `parallel-guess-${i}` })));
        const checked = answers.filter((a) => a.status !== 429);
        expect(checked.every((a) => a.status === 401)).toBe(true);
        for (const a of answers.filter((x) => x.status === 429)) expect(Number(a.headers.get('retry-after'))).toBeGreaterThan(0);
        return { checked: checked.length, ms: Date.now() - started };
      };
      /** Waits until the address's lock has ended (read from the database, as sign-in reads it). */
      const lockEnds = async () => {
        const [row] = (await sql<{ locked_until: string | number | null }>(t.db.read, 'SELECT locked_until FROM login_failures WHERE email = ?', [victim.email])).rows;
        expect(row.locked_until).not.toBeNull();
        await sleep(Number(row.locked_until) - Date.now() + 50);
      };

      const waves = [await wave()];
      expect(waves[0].checked).toBeLessThanOrEqual(mostPasswordChecks(0, waves[0].ms));
      // Right after each lock ends (1 s, then 2 s): one more check, not a hundred.
      for (let i = 1; i < 3; i++) {
        await lockEnds();
        waves.push(await wave());
        expect(waves[i].checked).toBeLessThanOrEqual(mostPasswordChecks(waves.slice(0, i).reduce((n, w) => n + w.checked, 0), waves[i].ms));
      }
      for (const w of waves) expect(w.checked).toBeGreaterThanOrEqual(1);
      // The lock is 4 s or more now: the right password waits too.
      const right = await t.as(null).post('/api/auth/login', { email: victim.email, password: victim.password });
      expect({ status: right.status, code: right.body.code }).toEqual({ status: 429, code: 'RATE_LIMITED' });
      expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);

      // Every password checked and wrong is in the audit log, each with its own count.
      const audit = (await t.get('/api/audit?limit=1000')).body.items as { action: string; entityId: string; after: { failedLogins: number } }[];
      const failed = audit.filter((a) => a.action === 'auth.login_failed' && a.entityId === victim.id).map((a) => a.after.failedLogins);
      expect(failed.sort((a, b) => a - b)).toEqual(Array.from({ length: waves.reduce((n, w) => n + w.checked, 0) }, (_, i) => i + 1));
    } finally {
      await t.close();
    }
  });
});

describe('secrets stay secret', () => {
  it('passwords and tokens never appear in logs or responses', async () => {
    const logs: string[] = [];
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
    const database = await freshDatabase();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-secrets-'));
    const app = await createApp(
      { ...loadConfig({ LOG_LEVEL: 'debug', DATA_DIR: dataDir, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password }), database: database.config },
      { logDestination: stream },
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.getHttpServer().address() as { port: number };
    const call = async (method: string, p: string, body?: unknown, token?: string) => {
      const res = await fetch(`http://127.0.0.1:${port}${p}`, {
        method,
        headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, text: await res.text() };
    };
    try {
      const login = await call('POST', '/api/auth/login', ADMIN);
      const session = JSON.parse(login.text).token as string;
      await call('POST', '/api/auth/login', { email: ADMIN.email, password: 'wrong-password-1' });
      const created = await call('POST', '/api/users', { email: 'v@test.local', name: 'V', role: 'viewer', password: 'viewer-secret-99' }, session);
      const apiToken = JSON.parse((await call('POST', '/api/auth/tokens', { name: 'x' }, session)).text).token as string;
      const negotiation = JSON.parse((await call('POST', '/api/negotiations', { title: 'N' }, session)).text);
      const share = JSON.parse((await call('POST', `/api/negotiations/${negotiation.id}/share-links`, { label: 'x' }, session)).text).token as string;
      await call('GET', `/api/negotiations/${negotiation.id}/matrix?share=${share}`);
      await call('GET', '/api/auth/me', undefined, apiToken);
      const viewerSession = JSON.parse((await call('POST', '/api/auth/login', { email: 'v@test.local', password: 'viewer-secret-99' })).text).token as string;
      const changed = await call('POST', '/api/auth/password', { currentPassword: 'viewer-secret-99', newPassword: 'viewer-secret-100' }, viewerSession);
      expect(changed.status).toBe(204);
      const responses = [
        created.text,
        (await call('GET', '/api/users', undefined, session)).text,
        (await call('GET', '/api/auth/tokens', undefined, session)).text,
        (await call('GET', `/api/negotiations/${negotiation.id}/share-links`, undefined, session)).text,
        (await call('GET', '/api/audit', undefined, session)).text,
      ];
      // A failure (5xx) is logged with the request's method and URL: the database goes away, and a
      // read through the share link fails with the token in its URL.
      await app.get(Db).close();
      const failed = await call('GET', `/api/negotiations/${negotiation.id}/matrix?asOf=2025-12-01&share=${share}`);
      expect(failed.status).toBe(503); // on either database: a closed pool is an outage, not a bug
      expect(failed.text).not.toContain(share);
      await new Promise((r) => setTimeout(r, 200));
      const logged = logs.join('');
      expect(logged).toContain('/api/auth/login'); // the capture works
      expect(logged).toContain(`GET /api/negotiations/${negotiation.id}/matrix?asOf=2025-12-01&share=[redacted] failed`); // the failure was logged
      // Every line about the request carries its id, the one its answer gives: the failure and the request's own line.
      const requestId = (JSON.parse(failed.text) as { requestId: string }).requestId;
      const aboutIt = logs.join('').split('\n').filter((line) => line.includes(`"${requestId}"`));
      expect(aboutIt.some((line) => line.includes('share=[redacted] failed'))).toBe(true);
      expect(aboutIt.length).toBeGreaterThanOrEqual(2);
      for (const secret of [ADMIN.password, 'wrong-password-1', 'viewer-secret-99', 'viewer-secret-100', session, viewerSession, apiToken, share]) {
        expect(logged).not.toContain(secret);
        for (const body of responses) expect(body).not.toContain(secret);
      }
      for (const body of responses) expect(body).not.toMatch(/scrypt\$|password_?hash|tokenHash/i);
    } finally {
      await app.close();
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('audit log', () => {
  it('pages newest first through more entries than a page, by nextBefore, skipping and repeating none, also among entries of one instant', async () => {
    const t = await startApp();
    try {
      for (let i = 0; i < 12; i++) await t.post('/api/negotiations', { title: `Paged ${i}` });
      // Entries written at one instant (as one transaction's changes may be), more than a page of them.
      const at = Date.now();
      await t.db.write(async (tx) => {
        for (let i = 0; i < 17; i++) {
          await t.app.get(AuditLog).record(tx.manager, { actor: 'paging@test.local', action: 'user.updated', entityType: 'user', entityId: `same-instant-${i}`, at });
        }
      });
      for (let i = 12; i < 18; i++) await t.post('/api/negotiations', { title: `Paged ${i}` });

      const all = (await t.get('/api/audit?limit=1000')).body as { items: { id: string; at: string; actor: string }[]; nextBefore: string | null };
      expect(all.nextBefore).toBeNull();
      expect(all.items.length).toBeGreaterThan(30);
      // Newest first; at one instant, by id.
      for (let i = 1; i < all.items.length; i++) {
        const [a, b] = [all.items[i - 1], all.items[i]];
        expect(a.at > b.at || (a.at === b.at && a.id > b.id)).toBe(true);
      }
      const sameInstant = all.items.filter((e) => e.at === new Date(at).toISOString() && e.actor === 'paging@test.local').map((e) => e.id);
      expect(sameInstant).toHaveLength(17);

      const paged: string[] = [];
      let pages = 0;
      for (let before: string | null = null; pages === 0 || before !== null; pages++) {
        const res = await t.get(`/api/audit?limit=7${before ? `&before=${before}` : ''}`);
        expect(res.status).toBe(200);
        const page = res.body as { items: { id: string }[]; nextBefore: string | null };
        expect(page.items.length).toBe(page.nextBefore === null ? all.items.length - paged.length : 7);
        paged.push(...page.items.map((e) => e.id));
        if (page.nextBefore !== null) expect(page.nextBefore).toBe(page.items.at(-1)?.id);
        before = page.nextBefore;
        expect(pages).toBeLessThan(100);
      }
      expect(pages).toBe(Math.ceil(all.items.length / 7));
      expect(paged).toEqual(all.items.map((e) => e.id));

      // Filters and the cursor together; a cursor that is no entry is a 400.
      const mine = (await t.get(`/api/audit?actor=paging%40test.local&limit=10&before=${sameInstant[2]}`)).body as { items: { id: string }[]; nextBefore: string | null };
      expect(mine.items.map((e) => e.id)).toEqual(sameInstant.slice(3, 13));
      expect(mine.nextBefore).toBe(sameInstant[12]);
      const rest = (await t.get(`/api/audit?actor=paging%40test.local&limit=10&before=${mine.nextBefore}`)).body as { items: { id: string }[]; nextBefore: string | null };
      expect(rest).toEqual({ items: expect.any(Array), nextBefore: null });
      expect(rest.items.map((e) => e.id)).toEqual(sameInstant.slice(13));
      const unknown = await t.get('/api/audit?before=00000000-0000-7000-8000-000000000000');
      expect(unknown.status).toBe(400);
      expect(unknown.body.details).toEqual([{ field: 'query.before', message: expect.stringContaining('is not the id of an audit entry') }]);
      expect((await t.get('/api/audit?before=yesterday')).body.details).toEqual([{ field: 'query.before', message: 'must be an id (UUID)' }]);

      // since: a day includes that whole day; a date-time admits what came strictly after it.
      const day = new Date(at).toISOString().slice(0, 10);
      const nextDay = new Date(Date.parse(day) + 86_400_000).toISOString().slice(0, 10);
      const ids = async (q: string) => ((await t.get(`/api/audit?actor=paging%40test.local&limit=1000&${q}`)).body as { items: { id: string }[] }).items.map((e) => e.id);
      expect(await ids(`since=${day}`)).toEqual(sameInstant);
      expect(await ids(`since=${nextDay}`)).toEqual([]);
      expect(await ids(`since=${encodeURIComponent(new Date(at).toISOString())}`)).toEqual([]);
      expect(await ids(`since=${encodeURIComponent(new Date(at - 1).toISOString())}`)).toEqual(sameInstant);
    } finally {
      await t.close();
    }
  });

  it('records each kind of change with who, when, before and after', async () => {
    const t = await startApp();
    try {
      const s = await seed(t);
      const n = `/api/negotiations/${s.negotiationId}`;
      await t.patch(n, { description: 'changed' });
      await t.patch(`${n}/parties/${s.parties[0].id}`, { name: 'Renamed' });
      await t.patch(`${n}/points/${s.points[0].id}`, { title: 'Retitled' });
      const doc = await t.post(`${n}/documents`, { title: 'D', publishedAt: '2025-11-20' });
      await t.patch(`${n}/documents/${doc.body.id}`, { title: 'D2' });
      const m = await t.post(`${n}/milestones`, { title: 'M', kind: 'meeting', startsAt: '2025-11-23' });
      await t.patch(`${n}/milestones/${m.body.id}`, { title: 'M2' });
      const link = await t.post(`${n}/share-links`, { label: 'L' });
      await t.delete(`${n}/share-links/${link.body.id}`);
      const viewer = await t.user('viewer');
      await t.patch(`/api/users/${viewer.id}`, { role: 'analyst' });
      const token = await t.as(viewer.token).post('/api/auth/tokens', { name: 'T' });
      await t.as(viewer.token).delete(`/api/auth/tokens/${token.body.id}`);
      await t.as(viewer.token).post('/api/auth/logout');

      const audit = (await t.get('/api/audit?limit=1000')).body.items as { action: string; actor: string; before: any; after: any }[];
      const actions = new Set(audit.map((a) => a.action));
      for (const action of [
        'negotiation.created', 'negotiation.updated', 'party.created', 'party.updated', 'point.created', 'point.updated',
        'document.created', 'document.updated', 'milestone.created', 'milestone.updated', 'share_link.created', 'share_link.revoked',
        'user.created', 'user.updated', 'api_token.created', 'api_token.revoked', 'auth.login', 'auth.logout',
      ]) expect(actions).toContain(action);
      expect(audit.find((a) => a.action === 'auth.logout')!.actor).toBe(viewer.email);
      const partyEdit = audit.find((a) => a.action === 'party.updated')!;
      expect(partyEdit.actor).toBe(ADMIN.email);
      expect(partyEdit.before.name).toBe('Party AA');
      expect(partyEdit.after.name).toBe('Renamed');
      const roleChange = audit.find((a) => a.action === 'user.updated')!;
      expect([roleChange.before.role, roleChange.after.role]).toEqual(['viewer', 'analyst']);
      expect(audit.find((a) => a.action === 'api_token.created')!.actor).toBe(viewer.email);
      const filtered = (await t.get(`/api/audit?negotiationId=${s.negotiationId}`)).body.items as { negotiationId: string }[];
      expect(filtered.length).toBeGreaterThan(5);
      expect(filtered.every((a) => a.negotiationId === s.negotiationId)).toBe(true);
    } finally {
      await t.close();
    }
  });
});

describe('the last admin', () => {
  it('can be neither demoted nor disabled while no other admin is enabled: 409 in the error shape, nothing changed', async () => {
    const t = await startApp();
    try {
      const me = (await t.get('/api/auth/me')).body.user as { id: string; email: string };
      for (const patch of [{ role: 'analyst' }, { disabled: true }, { role: 'viewer', disabled: true }, { name: 'Still me', role: 'analyst' }]) {
        const before = await fingerprint(t.db);
        const refused = await t.patch(`/api/users/${me.id}`, patch);
        expect(refused.status).toBe(409);
        expect(refused.body).toEqual({
          statusCode: 409,
          error: 'Conflict',
          code: 'CONFLICT',
          message: expect.stringContaining(`${me.email} is the last active admin;`),
          requestId: expect.any(String),
        });
        expect(refused.body.message).toContain('Make another user an admin first; nothing was changed.');
        expect(await fingerprint(t.db)).toEqual(before);
      }
      expect((await t.get(`/api/users/${me.id}`)).body).toMatchObject({ role: 'admin', disabled: false, name: 'Administrator' });
      // Other changes to the last admin are fine.
      expect((await t.patch(`/api/users/${me.id}`, { name: 'Root', role: 'admin', disabled: false })).status).toBe(200);

      // A disabled admin is no admin to fall back on.
      const other = await t.user('admin');
      expect((await t.patch(`/api/users/${other.id}`, { disabled: true })).status).toBe(200);
      expect((await t.patch(`/api/users/${me.id}`, { role: 'analyst' })).status).toBe(409);

      // With another enabled admin, the first may step down; then the other is the last.
      expect((await t.patch(`/api/users/${other.id}`, { disabled: false })).status).toBe(200);
      expect((await t.patch(`/api/users/${me.id}`, { role: 'analyst' })).body).toMatchObject({ role: 'analyst' });
      const otherSession = (await t.as(null).post('/api/auth/login', { email: other.email, password: other.password })).body.token as string;
      const self = await t.as(otherSession).patch(`/api/users/${other.id}`, { disabled: true });
      expect(self.status).toBe(409);
      expect(self.body.message).toContain(`${other.email} is the last active admin`);
    } finally {
      await t.close();
    }
  });
});

describe('who recorded it', () => {
  it('a batch of stances and a CSV stance import by an analyst are recorded by that analyst', async () => {
    const t = await startApp();
    try {
      const s = await seed(t);
      const n = `/api/negotiations/${s.negotiationId}`;
      const analyst = await t.user('analyst');
      const byAdmin = await t.post(`${n}/stances`, stance(s.parties[2].id, s.points[3].id));
      expect(byAdmin.body.event.recordedBy).toBe(ADMIN.email);

      const batch = await t.as(analyst.token).post(`${n}/stances/batch`, { events: [stance(s.parties[0].id, s.points[0].id), stance(s.parties[1].id, s.points[1].id, { position: 'reject' })] });
      expect(batch.status).toBe(201);
      expect(batch.body.results.map((r: { event: { recordedBy: string } }) => r.event.recordedBy)).toEqual([analyst.email, analyst.email]);

      const csv = `party,point,position,effectiveAt,sourceOutlet\nCC,${s.points[2].code},conditional,2025-11-22,Reuters\nAA,${s.points[3].code},red_line,2025-11-23,AP\n`;
      const imported = await t.as(analyst.token).request('POST', `/api/negotiations/import?negotiation=${s.slug}&kind=stances`, csv, { 'content-type': 'text/csv' });
      expect(imported.body).toMatchObject({ errors: [], counts: { stanceEvents: { created: 2 } } });
      expect(imported.status).toBe(200);

      // As stored: every event of the history names who recorded it.
      const events = ((await t.get(`${n}/changes?limit=1000`)).body.items as { event: { partyId: string; pointId: string; recordedBy: string } }[]).map((c) => c.event);
      expect(events.map((e) => [e.partyId, e.pointId, e.recordedBy])).toEqual([
        [s.parties[2].id, s.points[3].id, ADMIN.email],
        [s.parties[0].id, s.points[0].id, analyst.email],
        [s.parties[1].id, s.points[1].id, analyst.email],
        [s.parties[2].id, s.points[2].id, analyst.email],
        [s.parties[0].id, s.points[3].id, analyst.email],
      ]);
    } finally {
      await t.close();
    }
  });
});

describe('headers, CORS and public reads', () => {
  it('sends a Content-Security-Policy, keeps CORS closed by default, and lets anyone read but not write in public mode', async () => {
    const t = await startApp();
    try {
      const res = await fetch(`${t.url}/api/health`, { headers: { origin: 'https://evil.example' } });
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      const s = await seed(t);
      expect((await t.as(null).get(`/api/negotiations/${s.negotiationId}/matrix`)).status).toBe(200);
      const write = await t.as(null).post(`/api/negotiations/${s.negotiationId}/stances`, stance(s.parties[0].id, s.points[0].id));
      expect(write.status).toBe(401);
      // Access is decided before the body is validated: a stranger learns nothing of the schema.
      expect((await t.as(null).post(`/api/negotiations/${s.negotiationId}/stances`, { position: 42 })).status).toBe(401);
      const viewer = await t.user('viewer');
      expect((await t.as(viewer.token).post(`/api/negotiations/${s.negotiationId}/stances`, stance(s.parties[0].id, s.points[0].id))).status).toBe(403);
    } finally {
      await t.close();
    }
  });

  it('lets no site frame the dashboard by default, and sends the security headers with every answer', async () => {
    const t = await startApp();
    try {
      // An API answer, the dashboard (404 where it is not built), an unknown route and a refused body.
      const answers = [
        await fetch(`${t.url}/api/health`),
        await fetch(`${t.url}/`),
        await fetch(`${t.url}/api/no-such-route`),
        await fetch(`${t.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
      ];
      expect(answers.map((res) => res.status)).toEqual([200, expect.any(Number), 404, 400]);
      for (const res of answers) {
        expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
        expect(res.headers.get('x-frame-options')).toBe('DENY');
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('referrer-policy')).toBe('no-referrer');
        expect(res.headers.get('strict-transport-security')).toContain('max-age=');
        expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
      }
    } finally {
      await t.close();
    }
  });

  it('lets the sites in FRAME_ANCESTORS frame it (newsroom embeds), without X-Frame-Options', async () => {
    const t = await startApp({ FRAME_ANCESTORS: 'https://news.example.org,https://*.example.com' });
    try {
      for (const p of ['/api/health', '/']) {
        const res = await fetch(`${t.url}${p}`);
        const csp = res.headers.get('content-security-policy') ?? '';
        expect(csp).toContain('frame-ancestors https://news.example.org https://*.example.com');
        expect(csp).not.toContain("frame-ancestors 'none'");
        // The rest of the policy is unchanged.
        expect(csp).toContain("script-src 'self'");
        expect(res.headers.get('x-frame-options')).toBeNull();
      }
    } finally {
      await t.close();
    }
  });

  it('opens CORS to the origins in CORS_ORIGINS only', async () => {
    const t = await startApp({ CORS_ORIGINS: 'https://news.example.org' });
    try {
      const allowed = await fetch(`${t.url}/api/health`, { headers: { origin: 'https://news.example.org' } });
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://news.example.org');
      const other = await fetch(`${t.url}/api/health`, { headers: { origin: 'https://evil.example' } });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await t.close();
    }
  });
});

describe('first start and the command line', () => {
  it('creates an admin with a generated password, shown by the start-up banner and kept in a 0600 file', async () => {
    const database = await freshDatabase();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-first-'));
    const app = await createApp({ ...loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: dataDir }), database: database.config });
    try {
      const file = path.join(dataDir, 'initial-admin-password.txt');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.join(dataDir, 'jwt-secret')).mode & 0o777).toBe(0o600);
      const password = /password: (\S+)/.exec(fs.readFileSync(file, 'utf8'))![1];
      expect(initialAdmin(app)).toEqual({ created: { email: 'admin@parley.local', password }, passwordFile: file });
      // What a later start finds: no new admin, the file to remind of while it is there.
      expect(await app.get(UsersService).ensureInitialAdmin()).toEqual({ created: null, passwordFile: file });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.getHttpServer().address() as { port: number };
      const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@parley.local', password }),
      });
      expect(login.status).toBe(200);
      const session = ((await login.json()) as { token: string }).token;
      const call = (p: string, token: string, body: unknown) =>
        fetch(`http://127.0.0.1:${port}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });

      // Another user's change leaves the file alone; the first admin's own change removes it.
      const created = await call('/api/users', session, { email: 'second@test.local', name: 'Second', role: 'admin', password: 'second-password-1' });
      expect(created.status).toBe(201);
      const second = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'second@test.local', password: 'second-password-1' }),
      });
      const secondToken = ((await second.json()) as { token: string }).token;
      expect((await call('/api/auth/password', secondToken, { currentPassword: 'second-password-1', newPassword: 'second-password-2' })).status).toBe(204);
      expect(fs.existsSync(file)).toBe(true);
      expect((await call('/api/auth/password', session, { currentPassword: 'wrong-password-0', newPassword: 'my-own-password-1' })).status).toBe(403);
      expect(fs.existsSync(file)).toBe(true);
      expect((await call('/api/auth/password', session, { currentPassword: password, newPassword: 'my-own-password-1' })).status).toBe(204);
      expect(fs.existsSync(file)).toBe(false);
      expect(await app.get(UsersService).ensureInitialAdmin()).toEqual({ created: null, passwordFile: null });
    } finally {
      await app.close();
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('user:create and user:reset-password work and validate their options', async () => {
    const t = await startApp();
    const out: string[] = [];
    const config = t.config;
    try {
      expect(await runCli(['user:create', '--email', 'cli@test.local', '--role', 'analyst', '--password', 'cli-password-1'], config, (l) => out.push(l))).toBe(0);
      expect((await t.as(null).post('/api/auth/login', { email: 'cli@test.local', password: 'cli-password-1' })).status).toBe(200);
      expect(await runCli(['user:create', '--email', 'not-an-email', '--role', 'boss'], config, (l) => out.push(l))).toBe(2);
      expect(out.at(-1)).toContain('--email must be an email address');
      expect(out.at(-1)).toContain('--role must be one of');
      expect(await runCli(['user:reset-password', '--email', 'cli@test.local'], config, (l) => out.push(l))).toBe(0);
      const newPassword = /: (\S+) \(/.exec(out.at(-1)!)![1];
      expect((await t.as(null).post('/api/auth/login', { email: 'cli@test.local', password: 'cli-password-1' })).status).toBe(401);
      expect((await t.as(null).post('/api/auth/login', { email: 'cli@test.local', password: newPassword })).status).toBe(200);
      expect(out.at(-1)).not.toContain('enabled again'); // the account was not disabled: nothing to say
      expect(await runCli(['user:reset-password', '--email', 'nobody@test.local'], config, (l) => out.push(l))).toBe(1);

      // As the issue writes it: a one-letter top-level domain is a valid address.
      expect(await runCli(['user:create', '--email', 'x@y.z', '--role', 'analyst'], config, (l) => out.push(l))).toBe(0);
      expect(out.at(-1)).toMatch(/^Created analyst x@y\.z with password: \S+$/);

      // Every change through the CLI names the operating-system user who ran it.
      const osUser = (() => {
        try {
          return os.userInfo().username;
        } catch {
          return process.env['USER'];
        }
      })();
      expect(osUser).toBeTruthy();
      expect(cliActor()).toBe(`cli:${osUser}`);
      const audit = (await t.get('/api/audit?limit=1000')).body.items as { action: string; actor: string; after: { email?: string } | null }[];
      const byCli = audit.filter((a) => a.actor.startsWith('cli:'));
      expect(byCli.map((a) => a.action).sort()).toEqual(['user.created', 'user.created', 'user.updated']);
      expect(new Set(byCli.map((a) => a.actor))).toEqual(new Set([`cli:${osUser}`]));
    } finally {
      await t.close();
    }
  });

  it('user:reset-password enables a disabled account again and says so (also in its usage text)', async () => {
    const t = await startApp();
    const out: string[] = [];
    try {
      expect(USAGE).toMatch(/user:reset-password[^]*disabled account is enabled again/);
      const u = await t.user('analyst');
      expect((await t.patch(`/api/users/${u.id}`, { disabled: true })).body.disabled).toBe(true);
      expect((await t.as(null).post('/api/auth/login', { email: u.email, password: u.password })).status).toBe(401);

      expect(await runCli(['user:reset-password', '--email', u.email, '--password', 'reset-password-1'], t.config, (l) => out.push(l))).toBe(0);
      expect(out.at(-1)).toBe(`New password for ${u.email} set (every session and API token of the user was ended; the account was disabled and is enabled again)`);
      expect((await t.get(`/api/users/${u.id}`)).body.disabled).toBe(false);
      expect((await t.as(null).post('/api/auth/login', { email: u.email, password: 'reset-password-1' })).status).toBe(200);
      const audit = (await t.get(`/api/audit?actor=${encodeURIComponent(cliActor())}`)).body.items as { action: string; before: { disabled: boolean }; after: { disabled: boolean } }[];
      expect(audit[0]).toMatchObject({ action: 'user.updated', before: { disabled: true }, after: { disabled: false, passwordChanged: true } });

      // An enabled account: the line says nothing about enabling.
      expect(await runCli(['user:reset-password', '--email', u.email, '--password', 'reset-password-2'], t.config, (l) => out.push(l))).toBe(0);
      expect(out.at(-1)).toBe(`New password for ${u.email} set (every session and API token of the user was ended)`);
    } finally {
      await t.close();
    }
  });
});
