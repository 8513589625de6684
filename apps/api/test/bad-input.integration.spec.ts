import { fingerprint, seed, stance, startApp, type Seeded, type TestApp } from './harness';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

interface Case {
  name: string;
  method: 'GET' | 'POST' | 'PATCH';
  path: (s: Seeded) => string;
  body?: (s: Seeded) => unknown;
  headers?: Record<string, string>;
  status: number;
  /** The field the error must name (in details), or a fragment of the message. */
  field?: string;
  message?: string;
}

const n = (s: Seeded) => `/api/negotiations/${s.negotiationId}`;
const st = (s: Seeded, extra: Record<string, unknown> = {}) => stance(s.parties[0].id, s.points[0].id, extra);

const CASES: Case[] = [
  { name: 'negotiation without a title', method: 'POST', path: () => '/api/negotiations', body: () => ({}), status: 400, field: 'title' },
  { name: 'negotiation with an empty title', method: 'POST', path: () => '/api/negotiations', body: () => ({ title: '   ' }), status: 400, field: 'title' },
  { name: 'negotiation title too long', method: 'POST', path: () => '/api/negotiations', body: () => ({ title: 'x'.repeat(201) }), status: 400, field: 'title' },
  { name: 'unknown field', method: 'POST', path: () => '/api/negotiations', body: () => ({ title: 'ok', owner: 'me' }), status: 400, field: 'owner' },
  { name: 'status off the list', method: 'POST', path: () => '/api/negotiations', body: () => ({ title: 'ok', status: 'done' }), status: 400, field: 'status' },
  { name: 'slug with spaces', method: 'POST', path: () => '/api/negotiations', body: () => ({ title: 'ok', slug: 'bad slug!' }), status: 400, field: 'slug' },
  { name: 'malformed JSON', method: 'POST', path: () => '/api/negotiations', body: () => '{"title":', status: 400, message: 'not valid JSON' },
  { name: 'JSON array instead of object', method: 'POST', path: () => '/api/negotiations', body: () => [], status: 400, field: 'body' },
  { name: 'text/plain body', method: 'POST', path: () => '/api/negotiations', body: () => 'title=x', headers: { 'content-type': 'text/plain' }, status: 415, message: 'application/json' },
  { name: 'form-encoded body', method: 'POST', path: (s) => `${n(s)}/stances`, body: () => 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, message: 'application/json' },
  { name: 'negative expectedVersion', method: 'PATCH', path: n, body: () => ({ title: 'x', expectedVersion: -1 }), status: 400, field: 'expectedVersion' },
  { name: 'patch of an unknown negotiation', method: 'PATCH', path: () => '/api/negotiations/no-such-slug', body: () => ({ title: 'x' }), status: 404, message: "'no-such-slug' was not found" },
  { name: 'duplicate party code', method: 'POST', path: (s) => `${n(s)}/parties`, body: () => ({ code: 'AA', name: 'Again' }), status: 409, message: "code 'AA'" },
  { name: 'party colour not hex', method: 'POST', path: (s) => `${n(s)}/parties`, body: () => ({ code: 'X1', name: 'X', color: 'red' }), status: 400, field: 'color' },
  { name: 'party parentId not an id', method: 'POST', path: (s) => `${n(s)}/parties`, body: () => ({ code: 'X2', name: 'X', parentId: 'nope' }), status: 400, field: 'parentId' },
  { name: 'party parent unknown', method: 'POST', path: (s) => `${n(s)}/parties`, body: () => ({ code: 'X3', name: 'X', parentId: UNKNOWN }), status: 400, field: 'parentId' },
  { name: 'party kind off the list', method: 'POST', path: (s) => `${n(s)}/parties`, body: () => ({ code: 'X4', name: 'X', kind: 'empire' }), status: 400, field: 'kind' },
  { name: 'actor without a name', method: 'POST', path: (s) => `${n(s)}/parties`, body: () => ({ code: 'X5', name: 'X', actors: [{}] }), status: 400, field: 'actors.0.name' },
  { name: 'point category off the list', method: 'POST', path: (s) => `${n(s)}/points`, body: () => ({ title: 't', category: 'weather' }), status: 400, field: 'category' },
  { name: 'point derived from an unknown point', method: 'POST', path: (s) => `${n(s)}/points`, body: () => ({ title: 't', category: 'legal', derivedFrom: [{ pointId: UNKNOWN, kind: 'split' }] }), status: 400, field: 'derivedFrom.0.pointId' },
  { name: 'point description too long', method: 'POST', path: (s) => `${n(s)}/points`, body: () => ({ title: 't', category: 'legal', description: 'x'.repeat(20_001) }), status: 400, field: 'description' },
  { name: 'document date impossible', method: 'POST', path: (s) => `${n(s)}/documents`, body: () => ({ title: 'd', publishedAt: '2025-02-30' }), status: 400, field: 'publishedAt' },
  { name: 'document lists a point twice', method: 'POST', path: (s) => `${n(s)}/documents`, body: (s) => ({ title: 'd', publishedAt: '2025-11-20', provisions: [{ pointId: s.points[0].id, number: '1', text: 'a' }, { pointId: s.points[0].id, number: '2', text: 'b' }] }), status: 400, field: 'provisions.1.pointId' },
  { name: 'document source is not http(s)', method: 'POST', path: (s) => `${n(s)}/documents`, body: () => ({ title: 'd', publishedAt: '2025-11-20', sourceUrl: 'javascript:alert(1)' }), status: 400, field: 'sourceUrl' },
  { name: 'compare without b', method: 'GET', path: (s) => `${n(s)}/documents/compare?a=${UNKNOWN}`, status: 400, field: 'query.b' },
  { name: 'compare unknown documents', method: 'GET', path: (s) => `${n(s)}/documents/compare?a=${UNKNOWN}&b=${UNKNOWN}`, status: 400, field: 'query.a' },
  { name: 'compare: both unknown documents named', method: 'GET', path: (s) => `${n(s)}/documents/compare?a=${UNKNOWN}&b=${UNKNOWN}`, status: 400, field: 'query.b' },
  { name: 'milestone ends before it starts', method: 'POST', path: (s) => `${n(s)}/milestones`, body: () => ({ title: 'm', kind: 'meeting', startsAt: '2025-11-24', endsAt: '2025-11-23' }), status: 400, field: 'endsAt' },
  { name: 'milestone date in words', method: 'POST', path: (s) => `${n(s)}/milestones`, body: () => ({ title: 'm', kind: 'meeting', startsAt: 'yesterday' }), status: 400, field: 'startsAt' },
  { name: 'milestone with an unknown party', method: 'POST', path: (s) => `${n(s)}/milestones`, body: () => ({ title: 'm', kind: 'meeting', startsAt: '2025-11-24', partyIds: [UNKNOWN] }), status: 400, field: 'partyIds.0' },
  { name: 'position off the scale', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { position: 'maybe' }), status: 400, field: 'position' },
  { name: 'effectiveAt without a zone', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { effectiveAt: '2025-11-21T10:00' }), status: 400, field: 'effectiveAt' },
  { name: 'source with neither url nor outlet', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { source: { title: 'x' } }), status: 400, field: 'source' },
  { name: 'confidence off the list', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { confidence: 'rumour' }), status: 400, field: 'confidence' },
  { name: 'actor of another party', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => stance(s.parties[1].id, s.points[0].id, { actorId: s.parties[0].actors[0].id }), status: 400, field: 'actorId' },
  { name: 'unknown point', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => stance(s.parties[0].id, UNKNOWN), status: 400, field: 'pointId' },
  { name: 'condition on an unknown point', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { position: 'conditional', conditions: { pointIds: [UNKNOWN] } }), status: 400, field: 'conditions.pointIds.0' },
  { name: 'note too long', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { note: 'x'.repeat(20_001) }), status: 400, field: 'note' },
  { name: 'fractional expectedVersion', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { expectedVersion: 1.5 }), status: 400, field: 'expectedVersion' },
  { name: 'Idempotency-Key too long', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s), headers: { 'Idempotency-Key': 'k'.repeat(300) }, status: 400, field: 'header.Idempotency-Key' },
  { name: 'stance in an unknown negotiation', method: 'POST', path: () => `/api/negotiations/${UNKNOWN}/stances`, body: (s) => st(s), status: 404, message: 'was not found' },
  { name: 'empty batch', method: 'POST', path: (s) => `${n(s)}/stances/batch`, body: () => ({ events: [] }), status: 400, field: 'events' },
  { name: 'batch over the limit', method: 'POST', path: (s) => `${n(s)}/stances/batch`, body: (s) => ({ events: Array.from({ length: 1001 }, () => st(s)) }), status: 400, field: 'events' },
  { name: 'batch with one malformed item', method: 'POST', path: (s) => `${n(s)}/stances/batch`, body: (s) => ({ events: [st(s), st(s, { position: 'x' })] }), status: 400, field: 'events.1.position' },
  { name: 'retract an unknown event', method: 'POST', path: () => `/api/stance-events/${UNKNOWN}/retract`, body: () => ({ reason: 'x' }), status: 404, message: 'was not found' },
  { name: 'retract without a reason', method: 'POST', path: () => `/api/stance-events/${UNKNOWN}/retract`, body: () => ({}), status: 400, field: 'reason' },
  { name: 'matrix asOf not a date', method: 'GET', path: (s) => `${n(s)}/matrix?asOf=notadate`, status: 400, field: 'query.asOf' },
  { name: 'matrix unknown document', method: 'GET', path: (s) => `${n(s)}/matrix?documentId=${UNKNOWN}`, status: 400, field: 'query.documentId' },
  { name: 'matrix unknown parameter', method: 'GET', path: (s) => `${n(s)}/matrix?foo=1`, status: 400, field: 'query.foo' },
  { name: 'changes negative sinceSeq', method: 'GET', path: (s) => `${n(s)}/changes?sinceSeq=-1`, status: 400, field: 'query.sinceSeq' },
  { name: 'changes limit too large', method: 'GET', path: (s) => `${n(s)}/changes?limit=100000`, status: 400, field: 'query.limit' },
  { name: 'metrics from after to', method: 'GET', path: (s) => `${n(s)}/metrics?from=2025-12-01&to=2025-11-01`, status: 400, field: 'query.from' },
  { name: 'metrics step off the list', method: 'GET', path: (s) => `${n(s)}/metrics?step=month`, status: 400, field: 'query.step' },
  { name: 'metrics range too long', method: 'GET', path: (s) => `${n(s)}/metrics?from=1900-01-01&to=2025-01-01`, status: 400, field: 'query.step' },
  { name: 'history of an unknown point', method: 'GET', path: (s) => `${n(s)}/points/${UNKNOWN}/history`, status: 404, message: 'was not found' },
  { name: 'body over the size limit', method: 'POST', path: (s) => `${n(s)}/stances`, body: (s) => st(s, { note: 'x'.repeat(600_000) }), status: 413, message: 'larger than the limit of 500000 bytes (BODY_LIMIT_BYTES)' },
];

describe('bad input: a clear 4xx that names the field, and nothing written', () => {
  let t: TestApp;
  let s: Seeded;

  beforeAll(async () => {
    t = await startApp({ BODY_LIMIT_BYTES: '500000' });
    s = await seed(t);
  });
  afterAll(() => t.close());

  it('has at least 30 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const before = await fingerprint(t.db);
    const body = c.body?.(s);
    const res = await t.request(c.method, c.path(s), body, c.headers);
    expect({ status: res.status, body: res.body }).toMatchObject({ status: c.status });
    expect(res.body).toMatchObject({ statusCode: c.status, error: expect.any(String), code: expect.any(String), message: expect.any(String) });
    if (c.field) {
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(c.field);
      expect(res.body.message).toContain(c.field);
    }
    if (c.message) expect(res.body.message).toContain(c.message);
    expect(await fingerprint(t.db)).toEqual(before);
  });
});
