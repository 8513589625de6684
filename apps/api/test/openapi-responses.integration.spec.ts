import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { DemoLoader } from '../src/demo/demo-loader.service';
import { UKRAINE_2025 } from '../src/demo/ukraine-2025';
import { startApp, type TestApp } from './harness';

type OpenApi = {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: object }> }> }>>;
};

/**
 * Every JSON response is documented in /api/docs-json by the contract schema it is typed with, and
 * the real responses (on the demo negotiation, so every kind of row and cell occurs) fit it exactly:
 * output schemas list every property and allow no other.
 */
describe('OpenAPI response schemas match the real responses', () => {
  let t: TestApp;
  let doc: OpenApi;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const SLUG = UKRAINE_2025.negotiation.slug;
  const N = `/api/negotiations/${SLUG}`;
  const T = '/api/negotiations/{negotiationId}';
  let ids: { negotiation: string; point: string; party: string; docA: string; docB: string; event: string };

  beforeAll(async () => {
    t = await startApp();
    await t.app.get(DemoLoader).load(UKRAINE_2025);
    doc = (await t.get('/api/docs-json')).body;
    const negotiation = (await t.get(N)).body;
    const points = (await t.get(`${N}/points`)).body;
    const parties = (await t.get(`${N}/parties`)).body;
    const documents = (await t.get(`${N}/documents`)).body;
    const changes = (await t.get(`${N}/changes?limit=1`)).body;
    ids = { negotiation: negotiation.id, point: points[0].id, party: parties[0].id, docA: documents[0].id, docB: documents.at(-1).id, event: changes.items[0].event.id };
  });
  afterAll(() => t.close());

  function validatorFor(path: string, method: string, status: number): ValidateFunction {
    const schema = doc.paths[path]?.[method]?.responses[String(status)]?.content?.['application/json']?.schema;
    expect({ path, method, status, documented: schema !== undefined }).toEqual({ path, method, status, documented: true });
    return ajv.compile(schema as object);
  }

  function expectFits(validate: ValidateFunction, body: unknown, what: string): void {
    const ok = validate(body);
    expect({ what, errors: ok ? null : validate.errors?.slice(0, 5) }).toEqual({ what, errors: null });
  }

  // [template in the OpenAPI document, method, status, real request]
  const CASES: [string, string, number, () => string][] = [
    [`${T}/matrix`, 'get', 200, () => `${N}/matrix`],
    [`${T}/matrix`, 'get', 200, () => `${N}/matrix?asOf=2025-11-25&knownAt=2030-01-01&documentId=${ids.docB}`],
    [`${T}/metrics`, 'get', 200, () => `${N}/metrics?from=2025-11-20&to=2025-12-31`],
    [`${T}/metrics`, 'get', 200, () => `${N}/metrics?step=week&asOf=2025-12-10`],
    [`${T}/changes`, 'get', 200, () => `${N}/changes?limit=1000`],
    [`${T}/changes`, 'get', 200, () => `${N}/changes?sinceSeq=3&limit=2`],
    [`${T}/points/{pointId}/history`, 'get', 200, () => `${N}/points/${ids.point}/history`],
    [`${T}/documents/compare`, 'get', 200, () => `${N}/documents/compare?a=${ids.docA}&b=${ids.docB}`],
    ['/api/negotiations', 'get', 200, () => '/api/negotiations'],
    ['/api/negotiations/{id}', 'get', 200, () => N],
    [`${T}/parties`, 'get', 200, () => `${N}/parties`],
    [`${T}/points`, 'get', 200, () => `${N}/points`],
    [`${T}/documents`, 'get', 200, () => `${N}/documents`],
    [`${T}/milestones`, 'get', 200, () => `${N}/milestones`],
    ['/api/stance-events/{eventId}', 'get', 200, () => `/api/stance-events/${ids.event}`],
    ['/api/audit', 'get', 200, () => '/api/audit?limit=2'],
  ];

  it.each(CASES.map(([template, method, status, url], i) => [`${method.toUpperCase()} ${template} #${i}`, template, method, status, url] as const))(
    '%s',
    async (_name, template, method, status, url) => {
      const validate = validatorFor(template, method, status);
      const res = await t.get(url());
      expect(res.status).toBe(status);
      expectFits(validate, res.body, url());
    },
  );

  it('covers every kind of change, retracted events and cells with and without a stance', async () => {
    const changes = (await t.get(`${N}/changes?limit=1000`)).body.items as { kind: string }[];
    expect(new Set(changes.map((c) => c.kind))).toEqual(new Set(['stance.recorded', 'stance.retracted']));
    const matrix = (await t.get(`${N}/matrix?asOf=2025-11-25`)).body as { rows: { cells: Record<string, { stance: unknown }> }[] };
    const stances = matrix.rows.flatMap((r) => Object.values(r.cells).map((c) => c.stance));
    expect(stances.some((s) => s === null)).toBe(true);
    expect(stances.some((s) => s !== null)).toBe(true);
  });

  it('records and retracts through the documented shapes', async () => {
    const record = validatorFor(`${T}/stances`, 'post', 201);
    const recorded = await t.post(`${N}/stances`, {
      partyId: ids.party,
      pointId: ids.point,
      position: 'amend',
      confidence: 'reported',
      effectiveAt: '2025-12-30',
      source: { outlet: 'Test' },
    });
    expect(recorded.status).toBe(201);
    expectFits(record, recorded.body, 'POST stances');
    const retract = validatorFor('/api/stance-events/{eventId}/retract', 'post', 201);
    const retracted = await t.post(`/api/stance-events/${recorded.body.event.id}/retract`, { reason: 'test' });
    expect(retracted.status).toBe(201);
    expectFits(retract, retracted.body, 'POST retract');
  });

  it('corrects in one step through the documented shapes, and the correction fits the changes page', async () => {
    const recorded = await t.post(`${N}/stances`, { partyId: ids.party, pointId: ids.point, position: 'amend', confidence: 'reported', effectiveAt: '2025-12-29', source: { outlet: 'Test' } });
    expect(recorded.status).toBe(201);
    const correct = validatorFor(`${T}/stances/{eventId}/correct`, 'post', 201);
    const corrected = await t.post(`${N}/stances/${recorded.body.event.id}/correct`, {
      position: 'reject', confidence: 'official', effectiveAt: '2025-12-29', source: { outlet: 'Test' }, reason: 'misquoted', expectedVersion: recorded.body.cell.version,
    });
    expect(corrected.status).toBe(201);
    expectFits(correct, corrected.body, 'POST correct');
    const page = await t.get(`${N}/changes?sinceSeq=${corrected.body.event.seq - 1}`);
    expect(page.body.items.map((c: { kind: string }) => c.kind)).toEqual(['stance.corrected']);
    expectFits(validatorFor(`${T}/changes`, 'get', 200), page.body, 'GET changes with a correction');
  });

  it('records a batch through the documented shapes, whole or with Prefer: return=minimal', async () => {
    const batch = validatorFor(`${T}/stances/batch`, 'post', 201);
    const item = { partyId: ids.party, pointId: ids.point, position: 'accept', confidence: 'reported', effectiveAt: '2025-12-31', source: { outlet: 'Test' } };
    const whole = await t.post(`${N}/stances/batch`, { events: [item, item] });
    expect(whole.status).toBe(201);
    expectFits(batch, whole.body, 'POST stances/batch');
    const minimal = await t.post(`${N}/stances/batch`, { events: [item] }, { Prefer: 'return=minimal' });
    expect(minimal.status).toBe(201);
    expect(minimal.body.results[0].event).toBeUndefined();
    expectFits(batch, minimal.body, 'POST stances/batch, return=minimal');
  });

  it('the schemas are strict enough to notice a wrong response', async () => {
    const matrix = (await t.get(`${N}/matrix`)).body;
    const validate = validatorFor(`${T}/matrix`, 'get', 200);
    expect(validate({ ...matrix, rows: [{ ...matrix.rows[0], summary: undefined }] })).toBe(false);
    expect(validate({ ...matrix, surprise: 1 })).toBe(false);
    const changes = (await t.get(`${N}/changes?limit=1`)).body;
    const page = validatorFor(`${T}/changes`, 'get', 200);
    expect(page({ ...changes, items: [{ ...changes.items[0], kind: 'stance.deleted' }] })).toBe(false);
  });
});
