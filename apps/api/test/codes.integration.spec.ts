import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../src/cli/commands';
import { fingerprint, seed, stance, startApp, type Seeded, type TestApp } from './harness';
import { until, watch } from './live-harness';

/**
 * Codes wherever ids are (issue 18, item 2): every route that takes a negotiation, party, point or
 * document answers alike whether it is given the id, the code (the slug) or the code in another
 * case; answers carry ids. Table-driven: each case is run with every form of every reference it holds.
 */
type Form = 'id' | 'code' | 'folded';
const FORMS: Form[] = ['id', 'code', 'folded'];

interface Named {
  id: string;
  code: string;
}

describe('codes wherever ids are', () => {
  let t: TestApp;
  let s: Seeded;
  let neg: Named;
  let ru: Named;
  let ua: Named;
  let p1: Named;
  let p2: Named;
  let d1: Named;
  let d2: Named;

  /** A reference in the given form: the id, the code as written, or the code in the other case. */
  const ref = (x: Named, form: Form) => (form === 'id' ? x.id : form === 'code' ? x.code : x.code === x.code.toUpperCase() ? x.code.toLowerCase() : x.code.toUpperCase());

  beforeAll(async () => {
    t = await startApp();
    s = await seed(t, 'Codes test');
    neg = { id: s.negotiationId, code: s.slug };
    const n = `/api/negotiations/${neg.id}`;
    ru = (await t.post(`${n}/parties`, { code: 'RU', name: 'Russia' })).body;
    ua = (await t.post(`${n}/parties`, { code: 'UA', name: 'Ukraine' })).body;
    p1 = (await t.post(`${n}/points`, { code: 'p07', title: 'NATO', category: 'political' })).body;
    p2 = (await t.post(`${n}/points`, { code: 'p08', title: 'Troops', category: 'military' })).body;
    const made1 = await t.post(`${n}/documents`, {
      code: 'us28',
      title: 'US plan',
      publishedAt: '2025-11-20',
      provisions: [
        { pointId: p1.id, number: '7', text: 'Ukraine renounces NATO.' },
        { pointId: p2.id, number: '8', text: 'No troops.' },
      ],
    });
    expect(made1.status).toBe(201);
    d1 = made1.body;
    const made2 = await t.post(`${n}/documents`, { title: 'Geneva framework', publishedAt: '2025-11-24', provisions: [{ pointId: p1.id, number: '5', text: 'NATO membership is left open.' }] });
    expect(made2.status).toBe(201);
    d2 = made2.body;
    // Derived from the short title when none is given.
    expect(d2.code).toBe('geneva-framework');
    for (const [party, point, position] of [[ru, p1, 'accept'], [ua, p1, 'reject'], [ru, p2, 'reject']] as const) {
      expect((await t.post(`${n}/stances`, stance(party.id, point.id, { position, documentId: d1.id }))).status).toBe(201);
    }
  });
  afterAll(() => t.close());

  /** Reads: [name, path given the form of each reference]. */
  const READS: [string, (f: Form) => string][] = [
    ['the negotiation', (f) => `/api/negotiations/${ref(neg, f)}`],
    ['a party', (f) => `/api/negotiations/${ref(neg, f)}/parties/${ref(ru, f)}`],
    ['a point', (f) => `/api/negotiations/${ref(neg, f)}/points/${ref(p1, f)}`],
    ['a point history', (f) => `/api/negotiations/${ref(neg, f)}/points/${ref(p1, f)}/history`],
    ['a point history of a party', (f) => `/api/negotiations/${ref(neg, f)}/points/${ref(p1, f)}/history?partyId=${ref(ua, f)}`],
    ['a document', (f) => `/api/negotiations/${ref(neg, f)}/documents/${ref(d1, f)}`],
    ['a comparison', (f) => `/api/negotiations/${ref(neg, f)}/documents/compare?a=${ref(d1, f)}&b=${ref(d2, f)}`],
    ['changes of a party and a point', (f) => `/api/negotiations/${ref(neg, f)}/changes?partyId=${ref(ru, f)}&pointId=${ref(p1, f)}`],
    ['changes of a party', (f) => `/api/negotiations/${ref(neg, f)}/changes?partyId=${ref(ru, f)}`],
    ['the matrix in a document', (f) => `/api/negotiations/${ref(neg, f)}/matrix?documentId=${ref(d1, f)}&asOf=2025-12-01`],
    ['the parties', (f) => `/api/negotiations/${ref(neg, f)}/parties`],
    ['the metrics', (f) => `/api/negotiations/${ref(neg, f)}/metrics?asOf=2025-12-01`],
    ['proposals of a party and a point', (f) => `/api/negotiations/${ref(neg, f)}/proposals?partyId=${ref(ru, f)}&pointId=${ref(p1, f)}`],
    ['the CSV export in a document', (f) => `/api/negotiations/${ref(neg, f)}/export.csv?documentId=${ref(d1, f)}&asOf=2025-12-01`],
    ['the change-log CSV', (f) => `/api/negotiations/${ref(neg, f)}/export.csv?table=changes&asOf=2025-12-01`],
  ];

  it.each(READS)('%s: the same answer by id, by code and by code in another case', async (_name, path) => {
    const byId = await t.get(path('id'));
    expect(byId.status).toBe(200);
    for (const form of ['code', 'folded'] as const) {
      const res = await t.get(path(form));
      expect({ form, status: res.status, body: res.body }).toEqual({ form, status: 200, body: byId.body });
    }
  });

  it('filters by code do filter: the changes of RU on p07 are RU’s on p07 only', async () => {
    const res = await t.get(`/api/negotiations/${neg.code}/changes?partyId=RU&pointId=p07`);
    expect(res.status).toBe(200);
    const items = res.body.items ?? res.body.changes ?? res.body.events;
    expect(Array.isArray(items)).toBe(true);
    expect(items.length).toBe(1);
    expect(JSON.stringify(items)).toContain(ru.id);
    expect(JSON.stringify(items)).not.toContain(ua.id);
  });

  /** Writes: [name, method, path, body] given the form; `check` reads what the answer says was written (ids). */
  const WRITES: [string, (f: Form) => [string, string, unknown], (body: any) => unknown, unknown][] = [
    [
      'a stance by codes (party, point, condition points, document)',
      (f) => ['POST', `/api/negotiations/${ref(neg, f)}/stances`, stance(ref(ua, f), ref(p2, f), { conditions: { pointIds: [ref(p1, f)] }, documentId: ref(d1, f) })],
      (b) => [b.event.partyId, b.event.pointId, b.event.conditions.pointIds, b.event.documentId],
      null,
    ],
    [
      'a batch by codes',
      (f) => ['POST', `/api/negotiations/${ref(neg, f)}/stances/batch`, { events: [stance(ref(ru, f), ref(p2, f)), stance(ref(ua, f), ref(p1, f), { documentId: ref(d2, f) })] }],
      (b) => b.results.map((r: any) => [r.event.partyId, r.event.pointId, r.event.documentId]),
      null,
    ],
    [
      'a party with a parent by code',
      (f) => ['PATCH', `/api/negotiations/${ref(neg, f)}/parties/${ref(ua, f)}`, { parentId: ref(ru, f) }],
      (b) => [b.id, b.parentId],
      null,
    ],
    [
      'a point derived from one by code',
      (f) => ['PATCH', `/api/negotiations/${ref(neg, f)}/points/${ref(p2, f)}`, { derivedFrom: [{ pointId: ref(p1, f), kind: 'split' }] }],
      (b) => [b.id, b.derivedFrom],
      null,
    ],
    [
      'a document based on one, by its author party code',
      (f) => ['POST', `/api/negotiations/${ref(neg, f)}/documents`, { title: `Copy ${f}`, code: `copy-${f}`, publishedAt: '2025-11-30', basedOn: ref(d1, f), authorPartyId: ref(ru, f) }],
      (b) => [b.authorPartyId, b.provisions.map((p: any) => p.pointId)],
      null,
    ],
    [
      'a document with provisions by point code',
      (f) => ['POST', `/api/negotiations/${ref(neg, f)}/documents`, { title: `Listed ${f}`, publishedAt: '2025-11-30', provisions: [{ pointId: ref(p2, f), number: '1', text: 'x' }] }],
      (b) => b.provisions.map((p: any) => p.pointId),
      null,
    ],
    [
      'provisions edited by point code',
      (f) => ['PATCH', `/api/negotiations/${ref(neg, f)}/documents/${ref(d2, f)}/provisions`, { set: [{ pointId: ref(p2, f), number: '6', text: `t ${f}` }], remove: [] }],
      (b) => [b.id, b.provisions.map((p: any) => p.pointId)],
      null,
    ],
    [
      'a milestone with parties by code',
      (f) => ['POST', `/api/negotiations/${ref(neg, f)}/milestones`, { title: `Talks ${f}`, kind: 'meeting', startsAt: '2025-11-30', partyIds: [ref(ru, f), ref(ua, f)] }],
      (b) => b.partyIds,
      null,
    ],
  ];

  it.each(WRITES)('%s: written with the ids whatever the form', async (_name, request, check) => {
    let expected: unknown;
    for (const form of FORMS) {
      const [method, path, body] = request(form);
      const res = await t.request(method, path, body);
      expect({ form, status: res.status }).toEqual({ form, status: method === 'POST' ? 201 : 200 });
      const written = check(res.body);
      expect(JSON.stringify(written)).not.toMatch(/"(RU|UA|ru|ua|p07|p08|P07|P08|us28|US28)"/);
      if (form === 'id') expected = written;
      else expect({ form, written }).toEqual({ form, written: expected });
    }
  });

  it('a correction names its cell, condition points and document by code, and is written with the ids', async () => {
    const n = `/api/negotiations/${neg.code}`;
    const recorded = await t.post(`${n}/stances`, stance('UA', 'p08', { position: 'reject' }));
    expect(recorded.status).toBe(201);
    const res = await t.post(`${n}/stances/${recorded.body.event.id}/correct`, {
      ...stance('ua', 'P08', { position: 'amend', conditions: { pointIds: ['p07'] }, documentId: 'US28' }),
      reason: 'misread the statement',
      expectedVersion: recorded.body.cell.version,
    });
    expect(res.status).toBe(201);
    expect([res.body.event.partyId, res.body.event.pointId, res.body.event.conditions.pointIds, res.body.event.documentId]).toEqual([ua.id, p2.id, [p1.id], d1.id]);
    const wrongCell = await t.post(`${n}/stances/${res.body.event.id}/correct`, { ...stance('RU', 'p08'), reason: 'x', expectedVersion: 0 });
    expect(wrongCell.status).toBe(400);
  });

  it('a document code is set on create and PATCH, unique ignoring case', async () => {
    const n = `/api/negotiations/${neg.code}`;
    expect((await t.patch(`${n}/documents/us28`, { code: 'US28-v1' })).body.code).toBe('US28-v1');
    expect((await t.get(`${n}/documents/us28-V1`)).body.id).toBe(d1.id);
    const taken = await t.post(`${n}/documents`, { code: 'us28-v1', title: 'Another', publishedAt: '2025-11-30' });
    expect(taken.status).toBe(409);
    expect((await t.patch(`${n}/documents/${d1.id}`, { code: 'us28' })).status).toBe(200);
  });

  it('an unknown code is a 404 in a path and a 400 in a body or query, naming the kind, the code and the negotiation; nothing changes', async () => {
    const before = await fingerprint(t.db);
    const n = `/api/negotiations/${neg.code}`;
    const cases: [string, string, unknown, number, string][] = [
      ['GET', `${n}/parties/NATOX`, undefined, 404, `Party 'NATOX' was not found in negotiation '${neg.code}'`],
      ['GET', `${n}/points/p99/history`, undefined, 404, `Point 'p99' was not found in negotiation '${neg.code}'`],
      ['GET', `${n}/documents/nope`, undefined, 404, `Document 'nope' was not found in negotiation '${neg.code}'`],
      ['GET', `/api/negotiations/no-such-talks/points/p07`, undefined, 404, "Negotiation 'no-such-talks' was not found"],
      ['POST', `${n}/stances`, stance('NATOX', 'p07'), 400, `partyId: Party 'NATOX' was not found in negotiation '${neg.code}'`],
      ['POST', `${n}/stances/batch`, { events: [stance('RU', 'p07'), stance('RU', 'p77')] }, 400, `events.1.pointId: Point 'p77' was not found`],
      ['GET', `${n}/changes?partyId=XX`, undefined, 400, `query.partyId: Party 'XX' was not found in negotiation '${neg.code}'`],
      ['GET', `${n}/matrix?documentId=zz`, undefined, 400, `query.documentId: Document 'zz' was not found`],
    ];
    for (const [method, path, body, status, message] of cases) {
      const res = await t.request(method, path, body);
      expect({ path, status: res.status, message: res.body.message }).toEqual({ path, status, message: expect.stringContaining(message) });
    }
    expect(await fingerprint(t.db)).toEqual(before);
  });

  it('a CSV import names parties and points by code in any case, with the same rule', async () => {
    const csv = 'party,point,position,confidence,effectiveAt,conditionPoints,sourceOutlet\r\nru,P08,conditional,official,2025-11-26,p07,Reuters\r\n';
    const res = await t.request('POST', `/api/negotiations/import?negotiation=${neg.code.toUpperCase()}&kind=stances`, csv, { 'content-type': 'text/csv' });
    expect(res.status).toBe(200);
    const history = await t.get(`/api/negotiations/${neg.code}/points/p08/history?partyId=ru`);
    const last = history.body.events.at(-1);
    expect([last.partyId, last.pointId, last.position, last.conditions.pointIds]).toEqual([ru.id, p2.id, 'conditional', [p1.id]]);
  });

  it('a live viewer joins by the slug (in any case) and receives the negotiation’s changes', async () => {
    const head = (await t.get(`/api/negotiations/${neg.id}`)).body.seq;
    const viewer = watch(t, neg.code.toUpperCase(), head);
    try {
      await until('joined', () => viewer.client.negotiationId === neg.id);
      const made = await t.post(`/api/negotiations/${neg.code}/stances`, stance('UA', 'p08', { position: 'conditional' }));
      expect(made.status).toBe(201);
      await until('the change', () => viewer.changes.some((c) => c.seq === made.body.event.seq));
      expect(viewer.errors).toEqual([]);
    } finally {
      await viewer.client.close();
    }
  });

  it('the command line exports by slug and by a document code; an unknown code fails and writes no file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-codes-'));
    const out = path.join(dir, 'matrix.csv');
    const lines: string[] = [];
    expect(await runCli(['export', neg.code.toUpperCase(), '--format', 'csv', '--document', 'US28', '--as-of', '2025-12-01', '--out', out], t.config, (l) => lines.push(l))).toBe(0);
    const byId = await t.get(`/api/negotiations/${neg.id}/export.csv?documentId=${d1.id}&asOf=2025-12-01`);
    expect(fs.readFileSync(out, 'utf8')).toBe(typeof byId.body === 'string' ? byId.body : JSON.stringify(byId.body));
    const missing = path.join(dir, 'missing.csv');
    await expect(runCli(['export', neg.code, '--format', 'csv', '--document', 'nope', '--out', missing], t.config, (l) => lines.push(l))).rejects.toThrow(
      `--document: Document 'nope' was not found in negotiation '${neg.code}'`,
    );
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('two codes differing only in case: the exact one is found, another case is a 400 naming both', async () => {
    const n = `/api/negotiations/${neg.code}`;
    const upper = (await t.post(`${n}/parties`, { code: 'EU', name: 'European Union' })).body;
    const lower = (await t.post(`${n}/parties`, { code: 'Eu', name: 'Something else' })).body;
    expect((await t.get(`${n}/parties/EU`)).body.id).toBe(upper.id);
    expect((await t.get(`${n}/parties/Eu`)).body.id).toBe(lower.id);
    const before = await fingerprint(t.db);
    const read = await t.get(`${n}/parties/eu`);
    expect(read.status).toBe(400);
    expect(read.body.message).toContain(`Party 'eu' is ambiguous in negotiation '${neg.code}'`);
    expect(read.body.message).toContain(upper.id);
    expect(read.body.message).toContain(lower.id);
    const write = await t.post(`${n}/stances`, stance('eu', 'p07'));
    expect(write.status).toBe(400);
    expect(write.body.details).toEqual([{ field: 'partyId', message: expect.stringContaining("'EU'") }]);
    const csv = 'party,point,position,effectiveAt\r\neu,p07,accept,2025-11-26\r\n';
    const imported = await t.request('POST', `/api/negotiations/import?negotiation=${neg.code}&kind=stances`, csv, { 'content-type': 'text/csv' });
    expect(imported.status).toBe(400);
    expect(JSON.stringify(imported.body)).toContain("'eu' is ambiguous");
    expect(await fingerprint(t.db)).toEqual(before);
  });


  it('OpenAPI says which parameters and fields take an id or a code', async () => {
    const doc = (await t.get('/api/docs-json')).body;
    const history = doc.paths['/api/negotiations/{negotiationId}/points/{pointId}/history'].get.parameters;
    const byName = Object.fromEntries(history.map((p: { name: string; description?: string }) => [p.name, p.description]));
    expect(byName).toMatchObject({ negotiationId: 'id or slug of the negotiation', pointId: 'id or code of the point', partyId: expect.stringContaining('id or code') });
    const body = doc.paths['/api/negotiations/{negotiationId}/stances'].post.requestBody.content['application/json'].schema;
    expect(body.properties.partyId.description).toBe('id or code of the party');
    expect(body.properties.pointId.description).toBe('id or code of the point');
  });

  it('a proposal edited under review names its party and point by code', async () => {
    const n = `/api/negotiations/${neg.code}`;
    expect((await t.patch(n, { reviewPolicy: 'required' })).status).toBe(200);
    try {
      const analyst = await t.user('analyst');
      const proposed = await t.as(analyst.token).post(`${n}/stances`, stance('RU', 'p08', { position: 'conditional' }));
      expect(proposed.status).toBe(202);
      expect([proposed.body.partyId, proposed.body.pointId]).toEqual([ru.id, p2.id]);
    } finally {
      expect((await t.patch(n, { reviewPolicy: 'off' })).status).toBe(200);
    }
  });

});
