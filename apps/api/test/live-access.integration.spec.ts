import { LIVE_PATH } from '@parley/contracts';
import { io } from 'socket.io-client';
import { seed, stance, startApp, type Seeded, type TestApp } from './harness';
import { until, watch, type RawSocket, type Viewer } from './live-harness';

describe('live access (VIEW_ACCESS=private)', () => {
  let t: TestApp;
  let s: Seeded;
  beforeAll(async () => {
    t = await startApp({ VIEW_ACCESS: 'private' });
    s = await seed(t);
  });
  afterAll(() => t.close());

  it('refuses a socket without credentials with a clear error, and accepts a share link for its negotiation only', async () => {
    const anonymous = watch(t, s.negotiationId, 0);
    await until('refusal', () => anonymous.errors.length > 0);
    expect(anonymous.errors[0]).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(anonymous.client.state).toBe('offline');
    await anonymous.client.close();

    const forged = watch(t, s.negotiationId, 0, 'pls_forged');
    await until('refusal', () => forged.errors.length > 0);
    expect(forged.errors[0]).toMatchObject({ code: 'UNAUTHENTICATED' });
    await forged.client.close();

    const link = await t.post(`/api/negotiations/${s.negotiationId}/share-links`, { label: 'wall' });
    const head = (await t.get(`/api/negotiations/${s.negotiationId}`)).body.seq;
    const shared = watch(t, s.negotiationId, head, link.body.token);
    await until('live', () => shared.client.state === 'live');
    await t.post(`/api/negotiations/${s.negotiationId}/stances`, stance(s.parties[0].id, s.points[0].id));
    await until('change', () => shared.changes.length === 1);
    await shared.client.close();

    const other = await seed(t, 'Elsewhere');
    const wrongRoom = watch(t, other.negotiationId, 0, link.body.token);
    await until('refusal', () => wrongRoom.errors.length > 0);
    expect(wrongRoom.errors[0]).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
    await wrongRoom.client.close();
  });

  it('refuses a share link’s join for a negotiation it does not open alike whether that one exists or not, as HTTP does', async () => {
    const link = await t.post(`/api/negotiations/${s.negotiationId}/share-links`, { label: 'probe' });
    expect(link.status).toBe(201);
    const other = await seed(t, 'Not shared');
    const missing = ['no-such-negotiation', '00000000-0000-4000-8000-000000000000'];
    const socket: RawSocket = io(t.url, { path: LIVE_PATH, transports: ['websocket'], reconnection: false, forceNew: true, auth: { token: link.body.token } });
    try {
      const answers = [];
      for (const negotiationId of [other.negotiationId, other.slug, ...missing]) {
        answers.push(await socket.timeout(5_000).emitWithAck('join', { negotiationId, sinceSeq: 0 }));
        const overHttp = await t.as(link.body.token).get(`/api/negotiations/${negotiationId}`);
        expect({ status: overHttp.status, code: overHttp.body.code, message: overHttp.body.message }).toEqual({ status: 403, code: 'FORBIDDEN', message: 'This share link opens another negotiation' });
      }
      const refusal = { ok: false, error: { statusCode: 403, error: 'Forbidden', code: 'FORBIDDEN', message: 'This share link opens another negotiation' } };
      expect(answers).toEqual([refusal, refusal, refusal, refusal]);
      // Its own negotiation still opens.
      expect(await socket.timeout(5_000).emitWithAck('join', { negotiationId: s.negotiationId, sinceSeq: 0 })).toMatchObject({ ok: true, negotiationId: s.negotiationId });
    } finally {
      socket.disconnect();
    }
  });

  it('takes `?share=` on the socket by the HTTP rule: a share link’s token, and nothing else', async () => {
    const link = await t.post(`/api/negotiations/${s.negotiationId}/share-links`, { label: 'embed' });
    expect(link.status).toBe(201);
    // A session token in a URL is no credential over HTTP…
    expect((await t.as(null).get(`/api/negotiations/${s.negotiationId}?share=${t.adminToken}`)).status).toBe(401);
    // …nor on the socket, and neither is any other value: the socket has no credentials and is refused.
    const viewers: Viewer[] = [];
    try {
      for (const share of [t.adminToken, 'not-a-share-link']) {
        const bogus = watch(t, s.negotiationId, 0, undefined, { socket: { query: { share } } });
        viewers.push(bogus);
        await until('refusal', () => bogus.errors.length > 0 && bogus.client.state === 'offline');
        expect(bogus.errors).toEqual([{ code: 'UNAUTHENTICATED', message: 'Sign in or use a share link to watch negotiations' }]);
      }
      const head = (await t.get(`/api/negotiations/${s.negotiationId}`)).body.seq as number;
      const shared = watch(t, s.negotiationId, head, undefined, { socket: { query: { share: link.body.token } } });
      viewers.push(shared);
      await until('live', () => shared.client.state === 'live');
      const res = await t.post(`/api/negotiations/${s.negotiationId}/stances`, stance(s.parties[1].id, s.points[1].id));
      await until('change', () => shared.changes.length === 1);
      expect(shared.changes[0].seq).toBe(res.body.event.seq);
    } finally {
      await Promise.all(viewers.map((v) => v.client.close()));
    }
  });
});

describe('live access that ends while a socket is open (VIEW_ACCESS=private)', () => {
  let t: TestApp;
  let s: Seeded;
  let base: string;
  const open: Viewer[] = [];
  const viewer = (...args: Parameters<typeof watch>) => {
    const v = watch(...args);
    open.push(v);
    return v;
  };
  const head = async () => (await t.get(base)).body.seq as number;
  /** The viewer was told why (before the close), is offline, and does not come back by itself. */
  const refused = async (v: Viewer, code: 'UNAUTHENTICATED' | 'FORBIDDEN') => {
    await until(`refusal of ${code}`, () => v.errors.some((e) => e.code === code) && v.client.state === 'offline');
    expect(v.errors.find((e) => e.code === code)?.message).toMatch(/invalid, expired or revoked|no longer open/);
  };
  /** A new connection with the same credentials is refused too. */
  const cannotRejoin = async (token: string) => {
    const again = viewer(t, s.negotiationId, 0, token);
    await until('refusal', () => again.errors.length > 0 && again.client.state === 'offline');
    expect(again.errors[0]).toMatchObject({ code: 'UNAUTHENTICATED' });
  };
  /** A viewer with other credentials is not disturbed: it stays live and gets the next change. */
  const unaffected = async (v: Viewer) => {
    const res = await t.post(`${base}/stances`, stance(s.parties[0].id, s.points[0].id));
    await until('the next change', () => v.changes.some((c) => c.seq === res.body.event.seq));
    expect(v.client.state).toBe('live');
  };

  beforeAll(async () => {
    // Head announcements (and the periodic re-check) far apart: what happens here is the revocation itself.
    t = await startApp({ VIEW_ACCESS: 'private', LIVE_HEAD_INTERVAL_MS: '600000' });
    s = await seed(t);
    base = `/api/negotiations/${s.negotiationId}`;
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((v) => v.client.close()));
  });
  afterAll(() => t.close());

  it('closes the sockets of a share link when it is revoked', async () => {
    const link = await t.post(`${base}/share-links`, { label: 'wall' });
    const wall = viewer(t, s.negotiationId, await head(), link.body.token);
    const admin = viewer(t, s.negotiationId, await head(), t.adminToken);
    await until('live', () => wall.client.state === 'live' && admin.client.state === 'live');
    expect((await t.delete(`${base}/share-links/${link.body.id}`)).status).toBe(200);
    await refused(wall, 'UNAUTHENTICATED');
    await cannotRejoin(link.body.token);
    await unaffected(admin);
  });

  it('closes the sockets of an API token when it is revoked, and of a session at logout', async () => {
    const user = await t.user('viewer');
    const token = await t.as(user.token).post('/api/auth/tokens', { name: 'screen' });
    expect(token.status).toBe(201);
    const script = viewer(t, s.negotiationId, await head(), token.body.token);
    const browser = viewer(t, s.negotiationId, await head(), user.token);
    await until('live', () => script.client.state === 'live' && browser.client.state === 'live');
    expect((await t.as(user.token).delete(`/api/auth/tokens/${token.body.id}`)).status).toBe(200);
    await refused(script, 'UNAUTHENTICATED');
    await cannotRejoin(token.body.token);
    await unaffected(browser);

    expect((await t.as(user.token).post('/api/auth/logout')).status).toBe(204);
    await refused(browser, 'UNAUTHENTICATED');
    await cannotRejoin(user.token);
  });

  it('closes the sockets of a user’s other sessions when they change their password, and keeps the rest', async () => {
    const user = await t.user('viewer');
    const laptop = await t.as(null).post('/api/auth/login', { email: user.email, password: user.password });
    const token = await t.as(user.token).post('/api/auth/tokens', { name: 'screen' });
    const onLaptop = viewer(t, s.negotiationId, await head(), laptop.body.token);
    const here = viewer(t, s.negotiationId, await head(), user.token);
    const script = viewer(t, s.negotiationId, await head(), token.body.token);
    await until('live', () => [onLaptop, here, script].every((v) => v.client.state === 'live'));
    const changed = await t.as(user.token).post('/api/auth/password', { currentPassword: user.password, newPassword: 'a-brand-new-password' });
    expect(changed.status).toBe(204);
    await refused(onLaptop, 'UNAUTHENTICATED');
    await cannotRejoin(laptop.body.token);
    // The session that made the change stays signed in, and API tokens keep working.
    await unaffected(here);
    await unaffected(script);
  });

  it('closes every socket of a user who is disabled', async () => {
    const user = await t.user('analyst');
    const token = await t.as(user.token).post('/api/auth/tokens', { name: 'screen' });
    const other = await t.user('viewer');
    const script = viewer(t, s.negotiationId, await head(), token.body.token);
    const browser = viewer(t, s.negotiationId, await head(), user.token);
    const someoneElse = viewer(t, s.negotiationId, await head(), other.token);
    await until('live', () => [script, browser, someoneElse].every((v) => v.client.state === 'live'));
    expect((await t.patch(`/api/users/${user.id}`, { disabled: true })).status).toBe(200);
    await refused(script, 'UNAUTHENTICATED');
    await refused(browser, 'UNAUTHENTICATED');
    await cannotRejoin(token.body.token);
    await unaffected(someoneElse);
  });

  it('closes the socket of a token an admin revokes, and of every token of a user an admin gives a new password', async () => {
    const user = await t.user('viewer');
    const one = await t.as(user.token).post('/api/auth/tokens', { name: 'wall' });
    const two = await t.as(user.token).post('/api/auth/tokens', { name: 'script' });
    const wall = viewer(t, s.negotiationId, await head(), one.body.token);
    const script = viewer(t, s.negotiationId, await head(), two.body.token);
    await until('live', () => [wall, script].every((v) => v.client.state === 'live'));
    expect((await t.delete(`/api/users/${user.id}/tokens/${one.body.id}`)).status).toBe(200);
    await refused(wall, 'UNAUTHENTICATED');
    await cannotRejoin(one.body.token);
    await unaffected(script);
    expect((await t.patch(`/api/users/${user.id}`, { password: 'taken-back-password-1' })).status).toBe(200);
    await refused(script, 'UNAUTHENTICATED');
    await cannotRejoin(two.body.token);
  });
});

describe('live access that expires while a socket is open', () => {
  it('closes the socket of a share link once it expires (checked every head interval)', async () => {
    const t = await startApp({ VIEW_ACCESS: 'private', LIVE_HEAD_INTERVAL_MS: '200' });
    const viewers: Viewer[] = [];
    try {
      const s = await seed(t);
      const link = await t.post(`/api/negotiations/${s.negotiationId}/share-links`, { label: 'briefing', expiresAt: new Date(Date.now() + 1_500).toISOString() });
      expect(link.status).toBe(201);
      const v = watch(t, s.negotiationId, 0, link.body.token);
      viewers.push(v);
      await until('live', () => v.client.state === 'live');
      await until('refused after the expiry', () => v.errors.some((e) => e.code === 'UNAUTHENTICATED') && v.client.state === 'offline');
      const again = watch(t, s.negotiationId, 0, link.body.token);
      viewers.push(again);
      await until('refusal', () => again.errors.length > 0);
      expect(again.errors[0]).toMatchObject({ code: 'UNAUTHENTICATED' });
    } finally {
      await Promise.all(viewers.map((v) => v.client.close()));
      await t.close();
    }
  });
});
