import { StancesService } from '../src/stances/stances.service';
import { fingerprint, seed, stance, startApp, type HttpClient, type Seeded, type TestApp } from './harness';
import { until, watch } from './live-harness';

/*
 * Issue 17, step 2: under review policy `required` a new stance or a retraction is a proposal (202),
 * kept apart from the stance events: analysts and admins see it; viewers and share links see nothing
 * of it through any route, export, search or socket.
 */

/** Everything a reader can get about the negotiation's stances, through every public read. */
async function publicView(c: HttpClient, n: string, s: Seeded, eventId: string, sourceId: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const paths = {
    negotiation: n,
    matrix: `${n}/matrix`,
    matrixKnownAt: `${n}/matrix?knownAt=2100-01-01`,
    metrics: `${n}/metrics?from=2025-11-20&to=2025-11-30`,
    changes: `${n}/changes`,
    history: `${n}/points/${s.points[0].id}/history`,
    historyRetracted: `${n}/points/${s.points[1].id}/history`,
    event: `/api/stance-events/${eventId}`,
    sourceStances: `${n}/sources/${sourceId}/stances`,
    source: `${n}/sources/${sourceId}`,
    sources: `${n}/sources`,
    search: `${n}/search?q=zanzibar`,
    dump: `${n}/export.json`,
    csvChanges: `${n}/export.csv?table=changes`,
    csvMatrix: `${n}/export.csv?table=matrix`,
    markdown: `${n}/export.md?asOf=2025-12-01`,
  };
  for (const [key, path] of Object.entries(paths)) {
    const res = await c.get(path);
    expect({ key, status: res.status }).toEqual({ key, status: 200 });
    out[key] = res.body;
  }
  for (const binary of ['export.pdf', 'export.xlsx']) expect((await c.get(`${n}/${binary}`)).status).toBe(200);
  return out;
}

describe('proposals under review policy required', () => {
  let t: TestApp;
  let s: Seeded;
  let n: string;
  let analyst: { email: string; token: string };
  let viewer: { token: string };
  let share: string;
  let standing: string; // an event recorded before the policy was switched on
  let sourceId: string;

  beforeAll(async () => {
    t = await startApp({ RATE_LIMIT_PER_MINUTE: '0', VIEW_ACCESS: 'private' });
    s = await seed(t);
    n = `/api/negotiations/${s.negotiationId}`;
    analyst = await t.user('analyst');
    viewer = await t.user('viewer');
    share = (await t.post(`${n}/share-links`, { label: 'wall' })).body.token;
    standing = (await t.post(`${n}/stances`, stance(s.parties[0].id, s.points[1].id))).body.event.id;
    sourceId = (await t.get(`${n}/sources`)).body[0].id;
    expect((await t.patch(n, { reviewPolicy: 'required' })).status).toBe(200);
  });
  const opened: { client: { close(): Promise<void> } }[] = [];
  afterAll(async () => {
    // Sockets a failed test left open would keep the process alive.
    for (const v of opened) await v.client.close();
    await t.close();
  });

  it('turns a stance and a retraction, by an analyst or an admin, into proposals (202) that no viewer, share link or socket ever sees', async () => {
    const before = {
      viewer: await publicView(t.as(viewer.token), n, s, standing, sourceId),
      share: await publicView(t.as(share), n, s, standing, sourceId),
    };
    const head = (await t.get(n)).body.seq;
    const sockets = [watch(t, s.negotiationId, head, viewer.token), watch(t, s.negotiationId, head, share)];
    opened.push(...sockets);
    await until('both sockets joined', () => sockets.every((v) => v.client.state === 'live'));

    const body = stance(s.parties[1].id, s.points[0].id, { position: 'red_line', quote: 'Zanzibar is a red line', note: 'zanzibar' });
    const byAnalyst = await t.as(analyst.token).post(`${n}/stances`, body);
    expect(byAnalyst.status).toBe(202);
    expect(byAnalyst.body).toMatchObject({
      kind: 'stance', status: 'open', author: analyst.email, partyId: s.parties[1].id, pointId: s.points[0].id, baseVersion: 0, version: 1,
      stance: body, retraction: null, decision: null, published: null,
    });
    // Citing a source the negotiation does not hold: it is created only if the proposal is approved.
    const byAdmin = await t.post(`${n}/stances`, stance(s.parties[2].id, s.points[0].id, { quote: 'zanzibar too', source: { outlet: 'Zanzibar Times', url: 'https://zanzibar.example/1' } }));
    expect(byAdmin.status).toBe(202);
    expect(byAdmin.body.author).toBe('admin@test.local');
    const retraction = await t.as(analyst.token).post(`/api/stance-events/${standing}/retract`, { reason: 'zanzibar: misattributed' });
    expect(retraction.status).toBe(202);
    expect(retraction.body).toMatchObject({ kind: 'retraction', stance: null, retraction: { eventId: standing, reason: 'zanzibar: misattributed' }, baseVersion: 1 });
    // An Idempotency-Key does not turn it into a direct write either.
    const keyed = await t.as(analyst.token).post(`${n}/stances`, stance(s.parties[1].id, s.points[2].id), { 'idempotency-key': 'k-1' });
    expect(keyed.status).toBe(202);

    const after = {
      viewer: await publicView(t.as(viewer.token), n, s, standing, sourceId),
      share: await publicView(t.as(share), n, s, standing, sourceId),
    };
    for (const who of ['viewer', 'share'] as const) {
      for (const key of ['matrix', 'matrixKnownAt', 'metrics', 'changes', 'history', 'historyRetracted', 'event', 'sourceStances', 'source', 'sources', 'search', 'csvChanges', 'csvMatrix']) {
        expect({ who, key, body: after[who][key] }).toEqual({ who, key, body: before[who][key] });
      }
      expect((after[who]['search'] as { hits?: unknown[] }).hits ?? []).toEqual([]);
      const dump = after[who]['dump'] as { stanceEvents: unknown[]; retractions: unknown[]; changes: { kind: string }[]; proposals?: unknown };
      expect(dump).toEqual(before[who]['dump']);
      expect(dump.retractions).toEqual([]);
      expect(after[who]['negotiation']).toEqual(before[who]['negotiation']);
      const digest = (md: unknown) => String(md).replace(/^_Generated .*_$/m, '');
      expect(digest(after[who]['markdown'])).toEqual(digest(before[who]['markdown']));
      expect(dump).not.toHaveProperty('proposals');
      // (The search echoes its query: left out.)
      expect(JSON.stringify({ ...after[who], search: null })).not.toMatch(/zanzibar/i);
    }
    // A change that is still published directly (a point edit), so each socket has something to receive after the proposals.
    const edit = await t.patch(`${n}/points/${s.points[3].id}`, { description: 'edited directly' });
    expect(edit.status).toBe(200);
    expect((await t.get(n)).body.seq).toBe(head + 1);
    await until('the point edit reached both sockets', () => sockets.every((v) => v.changes.length >= 1));
    for (const v of sockets) {
      expect(v.changes.map((c) => [c.seq, c.kind])).toEqual([[head + 1, 'point.updated']]);
      await v.client.close();
    }
    // A socket replaying from the start receives no proposal either: the log has none.
    const replay = watch(t, s.negotiationId, 0, share);
    opened.push(replay);
    await until('replayed', () => replay.changes.length === head + 1);
    expect(replay.changes.filter((c) => !/^(negotiation|party|point|source|stance)\./.test(c.kind))).toEqual([]);
    expect(replay.changes.filter((c) => c.kind.startsWith('stance.')).map((c) => c.entityId)).toEqual([standing]);
    await replay.client.close();
  });

  it('lists proposals to analysts and admins, filtered by status, author, party and point, and shows one', async () => {
    const all = await t.as(analyst.token).get(`${n}/proposals`);
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(4);
    // Newest first.
    expect(all.body.items.map((p: { kind: string }) => p.kind)).toEqual(['stance', 'retraction', 'stance', 'stance']);
    const mine = await t.get(`${n}/proposals?author=${encodeURIComponent(analyst.email)}`);
    expect(mine.body.items.map((p: { author: string }) => p.author)).toEqual([analyst.email, analyst.email, analyst.email]);
    const party = await t.get(`${n}/proposals?partyId=${s.parties[2].id}`);
    expect(party.body.items.map((p: { author: string }) => p.author)).toEqual(['admin@test.local']);
    const point = await t.get(`${n}/proposals?pointId=${s.points[1].id}`);
    expect(point.body.items.map((p: { kind: string }) => p.kind)).toEqual(['retraction']);
    expect((await t.get(`${n}/proposals?status=open`)).body.items).toHaveLength(4);
    expect((await t.get(`${n}/proposals?status=approved`)).body.items).toEqual([]);
    const page = await t.get(`${n}/proposals?limit=3`);
    expect(page.body.items).toHaveLength(3);
    const rest = await t.get(`${n}/proposals?limit=3&before=${page.body.nextBefore}`);
    expect([...page.body.items, ...rest.body.items]).toEqual(all.body.items);
    expect(rest.body.nextBefore).toBeNull();

    const one = await t.as(analyst.token).get(`${n}/proposals/${all.body.items[3].id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(all.body.items[3]);
    expect((await t.get(`${n}/proposals/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await t.get(`${n}/proposals/not-an-id`)).status).toBe(404);

    for (const token of [viewer.token, share]) {
      expect((await t.as(token).get(`${n}/proposals`)).status).toBe(403);
      expect((await t.as(token).get(`${n}/proposals/${all.body.items[0].id}`)).status).toBe(403);
    }
  });

  it('adds the proposals to the dump for staff who ask (includeProposals=true) and refuses it to anyone else; such a dump does not import', async () => {
    const dump = await t.as(analyst.token).get(`${n}/export.json?includeProposals=true`);
    expect(dump.status).toBe(200);
    const listed = (await t.get(`${n}/proposals`)).body.items;
    expect(dump.body.proposals).toEqual([...listed].reverse());
    for (const token of [viewer.token, share]) {
      const refused = await t.as(token).get(`${n}/export.json?includeProposals=true`);
      expect(refused.status).toBe(403);
      expect(JSON.stringify(refused.body)).not.toMatch(/zanzibar/i);
    }
    const csv = await t.get(`${n}/export.csv?table=changes&includeProposals=true`);
    expect(csv.status).toBe(400);
    expect(csv.body.details).toEqual([{ field: 'query.includeProposals', message: 'is for export.json only' }]);

    const t2 = await startApp({ RATE_LIMIT_PER_MINUTE: '0' });
    try {
      const imported = await t2.post('/api/negotiations/import', dump.body);
      expect(imported.status).toBe(400);
      expect(JSON.stringify(imported.body)).toMatch(/proposals.*includeProposals=true/);
      expect((await t2.get('/api/negotiations')).body).toEqual([]);
    } finally {
      await t2.close();
    }
  });

  it('refuses bulk stance writes (a batch, a CSV import of stances) with 409 REVIEW_REQUIRED, changing nothing; points, documents and milestones stay direct', async () => {
    const before = await fingerprint(t.db);
    const batch = await t.as(analyst.token).post(`${n}/stances/batch`, { events: [stance(s.parties[0].id, s.points[2].id)] });
    expect(batch.status).toBe(409);
    expect(batch.body.code).toBe('REVIEW_REQUIRED');
    expect(batch.body.message).toMatch(/review policy is 'required'/);
    const csv = await t.as(analyst.token).request('POST', `/api/negotiations/import?negotiation=${s.negotiationId}&kind=stances`,
      'party,point,position,confidence,effectiveAt\r\nAA,p1,accept,reported,2025-11-21\r\n', { 'content-type': 'text/csv' });
    expect(csv.status).toBe(409);
    expect(csv.body.code).toBe('REVIEW_REQUIRED');
    expect(await fingerprint(t.db)).toEqual(before);

    expect((await t.as(analyst.token).post(`${n}/points`, { title: 'Direct point', category: 'legal' })).status).toBe(201);
    expect((await t.as(analyst.token).post(`${n}/documents`, { title: 'Direct doc', publishedAt: '2025-11-20' })).status).toBe(201);
    expect((await t.as(analyst.token).post(`${n}/milestones`, { title: 'Direct talks', kind: 'meeting', startsAt: '2025-11-23' })).status).toBe(201);
  });

  it('checks a proposal as a write: bad input is a 400, a stale expectedVersion a 409; nothing is stored', async () => {
    const count = async () => (await t.get(`${n}/proposals`)).body.items.length;
    const had = await count();
    expect((await t.as(analyst.token).post(`${n}/stances`, { ...stance(s.parties[0].id, s.points[0].id), position: 'maybe' })).status).toBe(400);
    expect((await t.as(analyst.token).post(`${n}/stances`, stance(s.parties[0].id, '00000000-0000-4000-8000-000000000000'))).status).toBe(400);
    const stale = await t.as(analyst.token).post(`${n}/stances`, stance(s.parties[0].id, s.points[1].id, { expectedVersion: 0 }));
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', current: { version: 1, current: { id: standing } } });
    expect((await t.as(analyst.token).post(`/api/stance-events/${standing}/retract`, { reason: '' })).status).toBe(400);
    expect(await count()).toBe(had);
  });

  it('is guarded below the gate too: the stance writer refuses an unapproved stance or retraction there (409 REVIEW_REQUIRED), writing nothing', async () => {
    // As a write routed just before the policy was switched on would reach it.
    const stances = t.app.get(StancesService);
    const before = await fingerprint(t.db);
    const recorded = t.db.write((tx) => stances.recordManyIn(tx, s.negotiationId, [stance(s.parties[0].id, s.points[0].id) as never], 'someone@test.local', () => ''));
    await expect(recorded).rejects.toMatchObject({ statusCode: 409, code: 'REVIEW_REQUIRED' });
    const retracted = t.db.write((tx) => stances.retractIn(tx, standing, { reason: 'unreviewed' }, 'someone@test.local'));
    await expect(retracted).rejects.toMatchObject({ statusCode: 409, code: 'REVIEW_REQUIRED' });
    expect(await fingerprint(t.db)).toEqual(before);
  });

  it('publishes directly again once the policy is off (today’s behaviour)', async () => {
    await t.patch(n, { reviewPolicy: 'off' });
    const direct = await t.as(analyst.token).post(`${n}/stances`, stance(s.parties[0].id, s.points[2].id));
    expect(direct.status).toBe(201);
    expect(direct.body.event.recordedBy).toBe(analyst.email);
    expect((await t.as(viewer.token).get(`${n}/changes`)).body.items.at(-1).event.id).toBe(direct.body.event.id);
    await t.patch(n, { reviewPolicy: 'required' });
  });
});
