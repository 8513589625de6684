import { fingerprint, seed, startApp, type Seeded, type TestApp } from './harness';
import { until, watch } from './live-harness';

/* Issue 17, step 1: a negotiation's review policy — off by default, set by admins, audited, live. */
describe('review policy per negotiation', () => {
  let t: TestApp;
  let s: Seeded;
  let n: string;

  beforeAll(async () => {
    t = await startApp({ RATE_LIMIT_PER_MINUTE: '0' });
    s = await seed(t);
    n = `/api/negotiations/${s.negotiationId}`;
  });
  afterAll(() => t.close());

  it('is off for a new negotiation (today’s behaviour) and can be chosen at creation', async () => {
    expect((await t.get(n)).body.reviewPolicy).toBe('off');
    const created = await t.post('/api/negotiations', { title: 'Reviewed from the start', reviewPolicy: 'required' });
    expect(created.status).toBe(201);
    expect(created.body.reviewPolicy).toBe('required');
    expect((await t.get(`/api/negotiations/${created.body.slug}`)).body.reviewPolicy).toBe('required');
  });

  it('is set by an admin, audited with before and after, and sent live like any negotiation change', async () => {
    const before = (await t.get(n)).body;
    const viewer = watch(t, s.negotiationId, before.seq);
    await until('the viewer joined', () => viewer.states.includes('live'));
    const res = await t.patch(n, { reviewPolicy: 'required', expectedVersion: before.version });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ reviewPolicy: 'required', version: before.version + 1, seq: before.seq + 1 });
    expect((await t.get(n)).body.reviewPolicy).toBe('required');

    const audit = await t.get(`/api/audit?negotiationId=${s.negotiationId}&limit=1`);
    expect(audit.body.items[0]).toMatchObject({
      action: 'negotiation.updated',
      actor: 'admin@test.local',
      before: { reviewPolicy: 'off' },
      after: { reviewPolicy: 'required' },
    });

    await until('the change reached the viewer', () => viewer.changes.length > 0);
    expect(viewer.changes[0]).toMatchObject({ kind: 'negotiation.updated', seq: before.seq + 1, data: { reviewPolicy: 'required' } });
    await viewer.client.close();

    const back = await t.patch(n, { reviewPolicy: 'off' });
    expect(back.body.reviewPolicy).toBe('off');
  });

  it('is refused to an analyst (403) and to a viewer, and changes nothing', async () => {
    const before = await fingerprint(t.db);
    for (const role of ['analyst', 'viewer'] as const) {
      const u = await t.user(role);
      const after = await fingerprint(t.db);
      const res = await t.as(u.token).patch(n, { reviewPolicy: 'required' });
      expect(res.status).toBe(403);
      expect(await fingerprint(t.db)).toEqual(after);
    }
    expect((await t.get(n)).body.reviewPolicy).toBe('off');
    expect(before.seqs).toBe((await fingerprint(t.db)).seqs);
  });

  it('refuses an unknown policy with a 400 naming the field, changing nothing', async () => {
    const before = await fingerprint(t.db);
    for (const bad of ['on', 'REQUIRED', 1, null, '']) {
      const res = await t.patch(n, { reviewPolicy: bad });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'reviewPolicy' })]);
    }
    expect(await fingerprint(t.db)).toEqual(before);
  });

  it('travels in the dump only when required, and a dump round-trips it', async () => {
    const off = await t.get(`${n}/export.json`);
    expect(off.status).toBe(200);
    expect(off.body.negotiation).not.toHaveProperty('reviewPolicy');

    const other = await t.post('/api/negotiations', { title: 'Dumped under review', reviewPolicy: 'required' });
    const dump = (await t.get(`/api/negotiations/${other.body.id}/export.json`)).body;
    expect(dump.negotiation.reviewPolicy).toBe('required');

    // Into a second installation (an id and slug it does not hold): same policy, same bytes out.
    const t2 = await startApp({ RATE_LIMIT_PER_MINUTE: '0' });
    try {
      const imported = await t2.post('/api/negotiations/import', dump);
      expect(imported.status).toBe(200);
      expect((await t2.get(`/api/negotiations/${other.body.id}`)).body.reviewPolicy).toBe('required');
      const again = await t2.request('GET', `/api/negotiations/${other.body.id}/export.json`);
      expect(again.body).toEqual(dump);
    } finally {
      await t2.close();
    }
  });
});
