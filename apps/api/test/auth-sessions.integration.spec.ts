import { runCli } from '../src/cli/commands';
import { ADMIN, fingerprint, seed, sleep, stance, startApp, type TestApp } from './harness';

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

describe('signing key rotation', () => {
  it('a session signed with the previous JWT_SECRET keeps working while the list names it, and stops once it is dropped', async () => {
    const previous = 'previous-secret-previous-secret-previous';
    const current = 'current-secret-current-secret-current-secret';
    const t = await startApp({ JWT_SECRET: previous });
    try {
      const { token: before } = await t.user('viewer');
      expect((await t.as(before).get('/api/auth/me')).status).toBe(200);

      t.config.auth.jwtSecrets = [current, previous];
      await t.restart();
      expect((await t.as(before).get('/api/auth/me')).status).toBe(200);
      const { token: after } = await t.user('analyst');
      expect((await t.as(after).get('/api/auth/me')).status).toBe(200);

      t.config.auth.jwtSecrets = [current];
      await t.restart();
      const refused = await t.as(before).get('/api/auth/me');
      expect(refused.status).toBe(401);
      expect(refused.body.code).toBe('UNAUTHENTICATED');
      expect((await t.as(after).get('/api/auth/me')).status).toBe(200);
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
