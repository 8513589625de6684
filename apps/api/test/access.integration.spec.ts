import { registeredRoutes } from '../src/bootstrap';
import { seed, stance, startApp, type Seeded, type TestApp } from './harness';

type Role = 'anonymous' | 'viewer' | 'analyst' | 'admin';
type Level = 'public' | 'read' | 'signed-in' | 'user' | 'analyst' | 'admin' | 'metrics';
const ROLES: Role[] = ['anonymous', 'viewer', 'analyst', 'admin'];

const ALLOWED: Record<Level, Role[]> = {
  public: ['anonymous', 'viewer', 'analyst', 'admin'],
  read: ['viewer', 'analyst', 'admin'], // VIEW_ACCESS=private in this suite
  'signed-in': ['viewer', 'analyst', 'admin'],
  user: ['viewer', 'analyst', 'admin'],
  analyst: ['analyst', 'admin'],
  admin: ['admin'],
  // Only METRICS_TOKEN reads the metrics (checked below); no account's credential does.
  metrics: [],
};

interface Ctx {
  t: TestApp;
  s: Seeded;
  role: Role;
  token: string | null;
  n: string;
}
interface Call {
  path: string;
  body?: unknown;
  /** Use this token instead of the role's (e.g. a throwaway session for logout). */
  token?: string | null;
  headers?: Record<string, string>;
}
type Prepare = (ctx: Ctx) => Promise<Call> | Call;

let unique = 0;
const next = () => ++unique;

interface Case {
  level: Level;
  call: Prepare;
  /** For a route whose rule depends on the request (import: a dump or CSV rows): what this case sends. */
  variant?: string;
}

/** A source of the negotiation with an archived copy (attached by the admin), by id. */
async function archived(t: TestApp, n: string): Promise<string> {
  const id = (await t.get(`${n}/sources`)).body[0].id as string;
  const res = await t.request('PUT', `${n}/sources/${id}/archive`, 'An archived copy', { 'content-type': 'text/plain' });
  if (res.status !== 200) throw new Error(`archive failed: ${JSON.stringify(res.body)}`);
  return id;
}

/** Every route of the app with its rule (or rules) and a request that succeeds for an allowed role. */
const TABLE: Record<string, Case | Case[]> = {
  'GET /api/health': { level: 'public', call: () => ({ path: '/api/health' }) },
  'GET /api/health/live': { level: 'public', call: () => ({ path: '/api/health/live' }) },
  'GET /api/health/ready': { level: 'public', call: () => ({ path: '/api/health/ready' }) },
  'GET /api/metrics': { level: 'metrics', call: () => ({ path: '/api/metrics' }) },
  'POST /api/auth/login': { level: 'public', call: ({ t }) => ({ path: '/api/auth/login', body: { email: 'admin@test.local', password: 'admin-password-1' }, token: t.adminToken }) },
  'POST /api/auth/logout': {
    level: 'user',
    call: async ({ t, role }) => ({ path: '/api/auth/logout', token: role === 'anonymous' ? null : (await t.user(role)).token }),
  },
  'POST /api/auth/password': {
    level: 'user',
    // A throwaway user per call: the change ends the others' sessions and must not touch the role's.
    call: async ({ t, role }) => {
      if (role === 'anonymous') return { path: '/api/auth/password', body: { currentPassword: 'whatever-it-is', newPassword: 'a-new-password-1' } };
      const u = await t.user(role);
      return { path: '/api/auth/password', token: u.token, body: { currentPassword: u.password, newPassword: `${u.password}-changed` } };
    },
  },
  'GET /api/auth/me': { level: 'signed-in', call: () => ({ path: '/api/auth/me' }) },
  'GET /api/auth/tokens': { level: 'user', call: () => ({ path: '/api/auth/tokens' }) },
  'POST /api/auth/tokens': { level: 'user', call: () => ({ path: '/api/auth/tokens', body: { name: `script ${next()}` } }) },
  'DELETE /api/auth/tokens/:tokenId': {
    level: 'user',
    call: async ({ t, token }) => {
      const created = token ? await t.as(token).post('/api/auth/tokens', { name: 'to revoke' }) : null;
      return { path: `/api/auth/tokens/${created?.body.id ?? '00000000-0000-4000-8000-000000000000'}` };
    },
  },
  'GET /api/users': { level: 'admin', call: () => ({ path: '/api/users' }) },
  'POST /api/users': { level: 'admin', call: () => ({ path: '/api/users', body: { email: `new${next()}@test.local`, name: 'New', role: 'viewer', password: 'long-enough-pw' } }) },
  'GET /api/users/:userId': { level: 'admin', call: async ({ t }) => ({ path: `/api/users/${(await t.get('/api/users')).body[0].id}` }) },
  'PATCH /api/users/:userId': { level: 'admin', call: async ({ t }) => ({ path: `/api/users/${(await t.user('viewer')).id}`, body: { name: `Renamed ${next()}` } }) },
  'GET /api/users/:userId/tokens': { level: 'admin', call: async ({ t }) => ({ path: `/api/users/${(await t.user('viewer')).id}/tokens` }) },
  'DELETE /api/users/:userId/tokens/:tokenId': {
    level: 'admin',
    // A fresh token of a throwaway user per call, so each role's attempt has one to revoke.
    call: async ({ t }) => {
      const owner = await t.user('viewer');
      const created = await t.as(owner.token).post('/api/auth/tokens', { name: 'to revoke' });
      return { path: `/api/users/${owner.id}/tokens/${created.body.id}` };
    },
  },
  'GET /api/audit': { level: 'admin', call: () => ({ path: '/api/audit' }) },
  'GET /api/negotiations/:negotiationId/share-links': { level: 'admin', call: ({ n }) => ({ path: `${n}/share-links` }) },
  'POST /api/negotiations/:negotiationId/share-links': { level: 'admin', call: ({ n }) => ({ path: `${n}/share-links`, body: { label: 'embed' } }) },
  'DELETE /api/negotiations/:negotiationId/share-links/:linkId': {
    level: 'admin',
    call: async ({ t, n }) => ({ path: `${n}/share-links/${(await t.post(`${n}/share-links`, { label: 'to revoke' })).body.id}` }),
  },
  'GET /api/negotiations': { level: 'read', call: () => ({ path: '/api/negotiations' }) },
  'POST /api/negotiations': { level: 'admin', call: () => ({ path: '/api/negotiations', body: { title: `Another ${next()}` } }) },
  'GET /api/negotiations/:id': { level: 'read', call: ({ n }) => ({ path: n }) },
  'PATCH /api/negotiations/:id': { level: 'admin', call: ({ n }) => ({ path: n, body: { description: `edited ${next()}` } }) },
  'GET /api/negotiations/:negotiationId/parties': { level: 'read', call: ({ n }) => ({ path: `${n}/parties` }) },
  'POST /api/negotiations/:negotiationId/parties': { level: 'analyst', call: ({ n }) => ({ path: `${n}/parties`, body: { code: `X${next()}`, name: 'X' } }) },
  'GET /api/negotiations/:negotiationId/parties/:partyId': { level: 'read', call: ({ n, s }) => ({ path: `${n}/parties/${s.parties[0].id}` }) },
  'PATCH /api/negotiations/:negotiationId/parties/:partyId': { level: 'analyst', call: ({ n, s }) => ({ path: `${n}/parties/${s.parties[0].id}`, body: { description: `d${next()}` } }) },
  'GET /api/negotiations/:negotiationId/points': { level: 'read', call: ({ n }) => ({ path: `${n}/points` }) },
  'POST /api/negotiations/:negotiationId/points': { level: 'analyst', call: ({ n }) => ({ path: `${n}/points`, body: { title: 'P', category: 'legal' } }) },
  'GET /api/negotiations/:negotiationId/points/:pointId': { level: 'read', call: ({ n, s }) => ({ path: `${n}/points/${s.points[0].id}` }) },
  'PATCH /api/negotiations/:negotiationId/points/:pointId': { level: 'analyst', call: ({ n, s }) => ({ path: `${n}/points/${s.points[0].id}`, body: { description: `d${next()}` } }) },
  'GET /api/negotiations/:negotiationId/points/:pointId/history': { level: 'read', call: ({ n, s }) => ({ path: `${n}/points/${s.points[0].id}/history` }) },
  'GET /api/negotiations/:negotiationId/documents': { level: 'read', call: ({ n }) => ({ path: `${n}/documents` }) },
  'POST /api/negotiations/:negotiationId/documents': { level: 'analyst', call: ({ n }) => ({ path: `${n}/documents`, body: { title: 'D', publishedAt: '2025-11-20' } }) },
  'GET /api/negotiations/:negotiationId/documents/:documentId': { level: 'read', call: async ({ t, n }) => ({ path: `${n}/documents/${(await t.get(`${n}/documents`)).body[0].id}` }) },
  'PATCH /api/negotiations/:negotiationId/documents/:documentId': {
    level: 'analyst',
    call: async ({ t, n }) => ({ path: `${n}/documents/${(await t.get(`${n}/documents`)).body[0].id}`, body: { description: `d${next()}` } }),
  },
  'PATCH /api/negotiations/:negotiationId/documents/:documentId/provisions': {
    level: 'analyst',
    call: async ({ t, n }) => ({
      path: `${n}/documents/${(await t.get(`${n}/documents`)).body[0].id}/provisions`,
      body: { set: [{ pointId: (await t.get(`${n}/points`)).body[0].id, number: '1', text: `t${next()}` }] },
    }),
  },
  'GET /api/negotiations/:negotiationId/documents/compare': {
    level: 'read',
    call: async ({ t, n }) => {
      const id = (await t.get(`${n}/documents`)).body[0].id;
      return { path: `${n}/documents/compare?a=${id}&b=${id}` };
    },
  },
  'GET /api/negotiations/:negotiationId/search': { level: 'read', call: ({ n }) => ({ path: `${n}/search?q=point` }) },
  'GET /api/negotiations/:negotiationId/sources': { level: 'read', call: ({ n }) => ({ path: `${n}/sources` }) },
  // A URL per call: a second source with the same URL is a 409.
  'POST /api/negotiations/:negotiationId/sources': { level: 'analyst', call: ({ n }) => ({ path: `${n}/sources`, body: { outlet: 'Reuters', url: `https://example.org/access/${next()}` } }) },
  'GET /api/negotiations/:negotiationId/sources/:sourceId': { level: 'read', call: async ({ t, n }) => ({ path: `${n}/sources/${(await t.get(`${n}/sources`)).body[0].id}` }) },
  'PUT /api/negotiations/:negotiationId/sources/:sourceId/archive': {
    level: 'analyst',
    call: async ({ t, n }) => ({ path: `${n}/sources/${(await t.get(`${n}/sources`)).body[0].id}/archive`, body: `copy ${next()}`, headers: { 'content-type': 'text/plain' } }),
  },
  'GET /api/negotiations/:negotiationId/sources/:sourceId/archive': { level: 'read', call: async ({ t, n }) => ({ path: `${n}/sources/${await archived(t, n)}/archive` }) },
  'GET /api/negotiations/:negotiationId/sources/:sourceId/archive/original': { level: 'read', call: async ({ t, n }) => ({ path: `${n}/sources/${await archived(t, n)}/archive/original` }) },
  'GET /api/negotiations/:negotiationId/sources/:sourceId/stances': { level: 'read', call: async ({ t, n }) => ({ path: `${n}/sources/${(await t.get(`${n}/sources`)).body[0].id}/stances` }) },
  'PATCH /api/negotiations/:negotiationId/sources/:sourceId': {
    level: 'analyst',
    call: async ({ t, n }) => ({ path: `${n}/sources/${(await t.get(`${n}/sources`)).body[0].id}`, body: { description: `d${next()}` } }),
  },
  'GET /api/negotiations/:negotiationId/milestones': { level: 'read', call: ({ n }) => ({ path: `${n}/milestones` }) },
  'POST /api/negotiations/:negotiationId/milestones': { level: 'analyst', call: ({ n }) => ({ path: `${n}/milestones`, body: { title: 'M', kind: 'meeting', startsAt: '2025-11-23' } }) },
  'GET /api/negotiations/:negotiationId/milestones/:milestoneId': { level: 'read', call: async ({ t, n }) => ({ path: `${n}/milestones/${(await t.get(`${n}/milestones`)).body[0].id}` }) },
  'PATCH /api/negotiations/:negotiationId/milestones/:milestoneId': {
    level: 'analyst',
    call: async ({ t, n }) => ({ path: `${n}/milestones/${(await t.get(`${n}/milestones`)).body[0].id}`, body: { title: `M${next()}` } }),
  },
  'POST /api/negotiations/:negotiationId/stances': { level: 'analyst', call: ({ n, s }) => ({ path: `${n}/stances`, body: stance(s.parties[0].id, s.points[0].id) }) },
  'POST /api/negotiations/:negotiationId/stances/batch': { level: 'analyst', call: ({ n, s }) => ({ path: `${n}/stances/batch`, body: { events: [stance(s.parties[1].id, s.points[1].id)] } }) },
  'POST /api/stance-events/:eventId/retract': {
    level: 'analyst',
    call: async ({ t, n, s }) => {
      const recorded = await t.post(`${n}/stances`, stance(s.parties[2].id, s.points[2].id));
      return { path: `/api/stance-events/${recorded.body.event.id}/retract`, body: { reason: 'test' } };
    },
  },
  'POST /api/negotiations/:negotiationId/stances/:eventId/correct': {
    level: 'analyst',
    call: async ({ t, n, s }) => {
      const recorded = await t.post(`${n}/stances`, stance(s.parties[2].id, s.points[3].id));
      const body = { position: 'reject', confidence: 'official', effectiveAt: '2025-11-21', source: {}, reason: 'test', expectedVersion: recorded.body.cell.version };
      return { path: `${n}/stances/${recorded.body.event.id}/correct`, body };
    },
  },
  'GET /api/stance-events/:eventId': {
    level: 'read',
    call: async ({ t, n }) => ({ path: `/api/stance-events/${(await t.get(`${n}/changes?limit=1`)).body.items[0].event.id}` }),
  },
  'GET /api/negotiations/:negotiationId/proposals': { level: 'analyst', call: ({ n }) => ({ path: `${n}/proposals` }) },
  'GET /api/negotiations/:negotiationId/proposals/:proposalId': {
    level: 'analyst',
    call: async ({ t, n }) => ({ path: `${n}/proposals/${(await t.get(`${n}/proposals`)).body.items[0].id}` }),
  },
  'PATCH /api/negotiations/:negotiationId/proposals/:proposalId': {
    level: 'analyst',
    // The author edits: each allowed role its own proposal (made while review was required, then off again).
    call: async ({ t, n, s, token, role }) => {
      const author = role === 'analyst' || role === 'admin' ? token : t.adminToken;
      const id = await proposal(t, n, s, author);
      return { path: `${n}/proposals/${id}`, body: { stance: stance(s.parties[1].id, s.points[3].id, { note: `edited ${next()}` }) } };
    },
  },
  'POST /api/negotiations/:negotiationId/proposals/:proposalId/decision': {
    level: 'analyst',
    // Another's proposal (a second analyst's), rejected so that the cell stays as it is.
    call: async ({ t, n, s }) => ({ path: `${n}/proposals/${await proposal(t, n, s, (await t.user('analyst')).token)}/decision`, body: { decision: 'reject', note: 'no' } }),
  },
  'GET /api/negotiations/:negotiationId/changes': { level: 'read', call: ({ n }) => ({ path: `${n}/changes` }) },
  'GET /api/negotiations/:negotiationId/matrix': { level: 'read', call: ({ n }) => ({ path: `${n}/matrix` }) },
  'GET /api/negotiations/:negotiationId/metrics': { level: 'read', call: ({ n }) => ({ path: `${n}/metrics?from=2025-11-20&to=2025-11-30` }) },
  'GET /api/negotiations/:negotiationId/export.pdf': { level: 'read', call: ({ n }) => ({ path: `${n}/export.pdf` }) },
  'GET /api/negotiations/:negotiationId/export.xlsx': { level: 'read', call: ({ n }) => ({ path: `${n}/export.xlsx` }) },
  'GET /api/negotiations/:negotiationId/export.csv': { level: 'read', call: ({ n }) => ({ path: `${n}/export.csv?table=changes` }) },
  'GET /api/negotiations/:negotiationId/export.json': { level: 'read', call: ({ n }) => ({ path: `${n}/export.json` }) },
  'GET /api/negotiations/:negotiationId/export.md': { level: 'read', call: ({ n }) => ({ path: `${n}/export.md` }) },
  'GET /api/negotiations/:negotiationId/review-log.csv': { level: 'analyst', call: ({ n }) => ({ path: `${n}/review-log.csv` }) },
  'GET /api/schemas/negotiation-dump.json': { level: 'public', call: () => ({ path: '/api/schemas/negotiation-dump.json' }) },
  'POST /api/negotiations/import': [
    // A dump creates a negotiation: admins only, like POST /api/negotiations.
    { variant: 'a JSON dump', level: 'admin', call: () => ({ path: '/api/negotiations/import', body: emptyDump() }) },
    {
      variant: 'CSV rows into a negotiation',
      level: 'analyst',
      call: ({ s }) => ({
        path: `/api/negotiations/import?negotiation=${s.negotiationId}&kind=points`,
        body: `code,title,category\r\ncsv${next()},Imported point,legal\r\n`,
        headers: { 'content-type': 'text/csv' },
      }),
    },
  ],
};

/** A proposal by the holder of `token`: the negotiation requires review for the moment it is made. */
async function proposal(t: TestApp, n: string, s: Seeded, token: string | null): Promise<string> {
  await t.patch(n, { reviewPolicy: 'required' });
  const res = await t.as(token).post(`${n}/stances`, stance(s.parties[1].id, s.points[3].id));
  await t.patch(n, { reviewPolicy: 'off' });
  if (res.status !== 202) throw new Error(`proposal failed: ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** The smallest valid negotiation dump: a new negotiation with no history. */
function emptyDump() {
  const i = next();
  const at = '2025-11-20T00:00:00.000Z';
  return {
    format: 'parley.negotiation-dump',
    version: 1,
    negotiation: { id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, slug: `imported-${i}`, title: 'Imported', description: '', status: 'active', seq: 0, version: 1, createdAt: at, updatedAt: at },
    parties: [],
    points: [],
    documents: [],
    milestones: [],
    stanceEvents: [],
    retractions: [],
    changes: [],
  };
}

const METHOD_OF = (key: string) => key.split(' ')[0];
const METRICS_TOKEN = 'metrics-token-for-the-access-suite';

describe('access: every route × every role (VIEW_ACCESS=private)', () => {
  let t: TestApp;
  let s: Seeded;
  const tokens: Partial<Record<Role, string | null>> = { anonymous: null };

  beforeAll(async () => {
    t = await startApp({ VIEW_ACCESS: 'private', RATE_LIMIT_PER_MINUTE: '0', LOGIN_LIMIT_PER_MINUTE: '1000', METRICS_TOKEN });
    s = await seed(t);
    tokens.admin = t.adminToken;
    tokens.analyst = (await t.user('analyst')).token;
    tokens.viewer = (await t.user('viewer')).token;
    // Content the read routes need.
    const n = `/api/negotiations/${s.negotiationId}`;
    await t.post(`${n}/documents`, { title: 'Doc', publishedAt: '2025-11-20' });
    await t.post(`${n}/milestones`, { title: 'Talks', kind: 'meeting', startsAt: '2025-11-23' });
    await t.post(`${n}/stances`, stance(s.parties[0].id, s.points[3].id));
    // A proposal for the review routes: made while the negotiation required review, which is then off again.
    await t.patch(n, { reviewPolicy: 'required' });
    expect((await t.post(`${n}/stances`, stance(s.parties[1].id, s.points[3].id))).status).toBe(202);
    await t.patch(n, { reviewPolicy: 'off' });
  });
  afterAll(() => t.close());

  it('GET /api/metrics answers METRICS_TOKEN, which opens nothing else', async () => {
    const scrape = await t.as(METRICS_TOKEN).get('/api/metrics');
    expect(scrape.status).toBe(200);
    expect(String(scrape.body)).toContain('parley_http_request_duration_seconds');
    const elsewhere = await t.as(METRICS_TOKEN).get(`/api/negotiations/${s.negotiationId}`);
    expect([elsewhere.status, elsewhere.body.code]).toEqual([401, 'UNAUTHENTICATED']);
  });

  it('has a rule in this table for every API route of the router, and no stale entry', () => {
    const routes = registeredRoutes(t.app)
      .filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs') && r.method !== 'HEAD' && r.method !== 'OPTIONS')
      .map((r) => `${r.method} ${r.url}`);
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.filter((r) => !(r in TABLE))).toEqual([]);
    expect(Object.keys(TABLE).filter((k) => !routes.includes(k))).toEqual([]);
  });

  const cases = Object.entries(TABLE).flatMap(([key, rule]) => [rule].flat().map((c) => ({ key, ...c })));
  for (const { key, level, call, variant } of cases) {
    it(`${key}${variant ? ` with ${variant}` : ''} (${level})`, async () => {
      const outcome: Record<string, number> = {};
      const expected: Record<string, number | string> = {};
      for (const role of ROLES) {
        const token = tokens[role] ?? null;
        const prepared = await call({ t, s, role, token, n: `/api/negotiations/${s.negotiationId}` });
        const res = await t.as(prepared.token === undefined ? token : prepared.token).request(METHOD_OF(key), prepared.path, prepared.body, prepared.headers);
        const allowed = ALLOWED[level].includes(role);
        outcome[role] = allowed ? (res.status >= 200 && res.status < 300 ? 200 : res.status) : res.status;
        const unauthenticated = role === 'anonymous' || level === 'metrics';
        expected[role] = allowed ? 200 : unauthenticated ? 401 : 403;
        if (!allowed) expect(res.body.code).toBe(unauthenticated ? 'UNAUTHENTICATED' : 'FORBIDDEN');
        if (role === 'analyst' && variant === 'a JSON dump') expect(res.body.message).toMatch(/dump .*needs the admin role; you are analyst/);
      }
      expect(outcome).toEqual(expected);
    });
  }
});
