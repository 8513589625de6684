import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { AuditLog } from '../src/audit/audit.service';
import { createApp } from '../src/bootstrap';
import { loadConfig } from '../src/config/app-config';
import { Db } from '../src/database/db.service';
import { ADMIN, fingerprint, freshDatabase, seed, stance, startApp } from './harness';

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
