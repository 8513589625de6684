import type { PlanDocument } from '@parley/contracts';
import { fingerprint, seed, startApp, type Seeded, type TestApp } from './harness';

/** A new plan version starts from an existing one, and its provisions are edited in place. */
describe('plan versions from a base, provisions edited in place', () => {
  let t: TestApp;
  let s: Seeded;
  let base: string;
  let first: PlanDocument;

  beforeAll(async () => {
    t = await startApp();
    s = await seed(t);
    base = `/api/negotiations/${s.negotiationId}`;
    const [a, b, c] = s.points;
    const made = await t.post(`${base}/documents`, {
      title: 'The 28-point plan',
      publishedAt: '2025-11-20',
      provisions: [
        { pointId: a.id, number: '1', text: 'Sovereignty is confirmed.' },
        { pointId: b.id, number: '2', text: 'A non-aggression agreement.' },
        { pointId: c.id, number: '10', text: 'Sanctions are lifted in stages.' },
      ],
    });
    expect(made.status).toBe(201);
    first = made.body;
  });
  afterAll(() => t.close());

  const provisionsOf = (d: PlanDocument) => d.provisions.map((p) => [p.pointId, p.number, p.text]);

  it('creates a document from another one: its provisions, numbers and order copied; the base unchanged', async () => {
    const made = await t.post(`${base}/documents`, { title: 'The 20-point plan', publishedAt: '2025-11-30', basedOn: first.id });
    expect(made.status).toBe(201);
    expect(provisionsOf(made.body)).toEqual(provisionsOf(first));
    expect(made.body.id).not.toBe(first.id);
    // Editing the copy leaves the base as it was.
    const edited = await t.patch(`${base}/documents/${made.body.id}/provisions`, { set: [{ pointId: s.points[0].id, text: 'Sovereignty is confirmed, and borders.' }] });
    expect(edited.status).toBe(200);
    expect(provisionsOf((await t.get(`${base}/documents/${first.id}`)).body)).toEqual(provisionsOf(first));
  });

  it('refuses a base from elsewhere or together with provisions, naming the field and changing nothing', async () => {
    const other = await seed(t, 'Another negotiation');
    const before = await fingerprint(t.db);
    const unknown = await t.post(`${base}/documents`, { title: 'X', publishedAt: '2025-12-01', basedOn: '00000000-0000-4000-8000-000000000099' });
    expect({ status: unknown.status, fields: unknown.body.details?.map((d: { field: string }) => d.field) }).toEqual({ status: 400, fields: ['basedOn'] });
    const both = await t.post(`${base}/documents`, { title: 'X', publishedAt: '2025-12-01', basedOn: first.id, provisions: [] });
    expect({ status: both.status, fields: both.body.details?.map((d: { field: string }) => d.field) }).toEqual({ status: 400, fields: ['basedOn'] });
    const foreign = await t.post(`/api/negotiations/${other.negotiationId}/documents`, { title: 'X', publishedAt: '2025-12-01', basedOn: first.id });
    expect({ status: foreign.status, fields: foreign.body.details?.map((d: { field: string }) => d.field) }).toEqual({ status: 400, fields: ['basedOn'] });
    expect(await fingerprint(t.db)).toEqual(before);
  });

  it('renumbers and reorders several provisions in one request (numbers swapped), rewords, adds and removes, as one logged change', async () => {
    const copy = (await t.post(`${base}/documents`, { title: 'Draft', publishedAt: '2025-12-02', basedOn: first.id })).body as PlanDocument;
    const [a, b, c, d] = s.points;
    const seqBefore = (await t.get(base)).body.seq as number;
    const edited = await t.patch(`${base}/documents/${copy.id}/provisions`, {
      expectedVersion: copy.version,
      set: [
        { pointId: a.id, number: '2' },
        { pointId: b.id, number: '1', text: 'A non-aggression pact.' },
        { pointId: d.id, number: '3', text: 'Humanitarian committee.' },
      ],
      remove: [c.id],
    });
    expect(edited.status).toBe(200);
    // Ordered by number: b (1), a (2), d (3).
    expect(provisionsOf(edited.body)).toEqual([
      [b.id, '1', 'A non-aggression pact.'],
      [a.id, '2', 'Sovereignty is confirmed.'],
      [d.id, '3', 'Humanitarian committee.'],
    ]);
    expect(edited.body.version).toBe(copy.version + 1);
    // One change of the negotiation (one sequence number), whatever the number of provisions edited.
    expect((await t.get(base)).body.seq).toBe(seqBefore + 1);
    // The compare view sees the renumbering.
    const compared = await t.get(`${base}/documents/compare?a=${first.id}&b=${copy.id}`);
    expect(compared.status).toBe(200);
    expect(JSON.stringify(compared.body)).toContain('A non-aggression pact.');
  });

  it('refuses an edit whose result would break the document, or an older version, naming the field and changing nothing', async () => {
    const copy = (await t.post(`${base}/documents`, { title: 'Draft 2', publishedAt: '2025-12-03', basedOn: first.id })).body as PlanDocument;
    const [a, b, c, d] = s.points;
    const before = await fingerprint(t.db);
    const cases: [Record<string, unknown>, number, string[]][] = [
      [{ set: [{ pointId: a.id, number: '2' }] }, 400, ['set.0.number']],
      [{ set: [{ pointId: d.id, text: 'New, without a number' }] }, 400, ['set.0.number']],
      [{ set: [{ pointId: d.id, number: '4' }] }, 400, ['set.0.text']],
      [{ remove: [d.id] }, 400, ['remove.0']],
      [{ set: [{ pointId: a.id, text: 'x' }], remove: [a.id] }, 400, ['set.0.pointId']],
      [{ set: [{ pointId: a.id, text: 'x' }, { pointId: a.id, text: 'y' }] }, 400, ['set.1.pointId']],
      [{ set: [{ pointId: '00000000-0000-4000-8000-000000000099', number: '9', text: 'x' }] }, 400, ['set.0.pointId']],
      [{}, 400, ['set']],
      [{ set: [{ pointId: b.id, number: '' }] }, 400, ['set.0.number']],
      [{ set: [{ pointId: c.id, text: 'x' }], expectedVersion: copy.version + 5 }, 409, []],
    ];
    for (const [body, status, fields] of cases) {
      const res = await t.patch(`${base}/documents/${copy.id}/provisions`, body);
      expect({ body, status: res.status, fields: res.body.details?.map((x: { field: string }) => x.field) ?? [] }).toEqual({ body, status, fields });
    }
    const missing = await t.patch(`${base}/documents/00000000-0000-4000-8000-000000000099/provisions`, { remove: [a.id] });
    expect(missing.status).toBe(404);
    expect(await fingerprint(t.db)).toEqual(before);
  });
});
