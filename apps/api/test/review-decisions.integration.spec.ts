import { seed, stance, startApp, type Seeded, type TestApp } from './harness';

/*
 * Issue 17, steps 3 and 4: another analyst or an admin approves (publishing through the stance
 * writer: next seq, recorded at approval, recordedBy the author, approvedBy the reviewer), rejects
 * or asks for changes; nobody decides on their own proposal; a cell that moved on is a 409 with both
 * versions, approved again with rebase or an explicit baseVersion.
 */
describe('decisions on proposals', () => {
  let t: TestApp;
  let s: Seeded;
  let n: string;
  let a: { email: string; token: string };
  let b: { email: string; token: string };
  let viewer: { token: string };
  const propose = async (who: { token: string }, body: unknown) => {
    const res = await t.as(who.token).post(`${n}/stances`, body);
    expect(res.status).toBe(202);
    return res.body as { id: string; createdAt: string; baseVersion: number; version: number };
  };
  const decide = (who: { token: string } | string, id: string, body: unknown) =>
    t.as(typeof who === 'string' ? who : who.token).post(`${n}/proposals/${id}/decision`, body);

  beforeAll(async () => {
    t = await startApp({ RATE_LIMIT_PER_MINUTE: '0' });
    s = await seed(t);
    n = `/api/negotiations/${s.negotiationId}`;
    a = await t.user('analyst');
    b = await t.user('analyst');
    viewer = await t.user('viewer');
    await t.patch(n, { reviewPolicy: 'required' });
  });
  afterAll(() => t.close());

  it('refuses the author’s own decision (403), admins included, and changes nothing', async () => {
    const mine = await propose(a, stance(s.parties[0].id, s.points[0].id));
    for (const decision of [{ decision: 'approve' }, { decision: 'reject', note: 'no' }, { decision: 'request_changes', note: 'more' }]) {
      const res = await decide(a, mine.id, decision);
      expect(res.status).toBe(403);
      expect(res.body.message).toMatch(/two-person rule/);
    }
    const admins = await propose({ token: t.adminToken }, stance(s.parties[1].id, s.points[0].id));
    expect((await decide(t.adminToken, admins.id, { decision: 'approve' })).status).toBe(403);
    expect((await t.get(`${n}/proposals/${mine.id}`)).body).toMatchObject({ status: 'open', version: 1, decision: null });
    expect((await t.get(`${n}/changes`)).body.items).toEqual([]);
  });

  it('publishes an approved proposal in one step: next seq, recordedAt = approval time, recordedBy the author, approvedBy the reviewer; known-at before it does not show it', async () => {
    const p = await propose(a, stance(s.parties[2].id, s.points[1].id, { position: 'reject' }));
    const head = (await t.get(n)).body.seq;
    const before = Date.now();
    const res = await decide(b, p.id, { decision: 'approve' });
    const after = Date.now();
    expect(res.status).toBe(200);
    const { proposal, published } = res.body;
    expect(published.event).toMatchObject({ seq: head + 1, recordedBy: a.email, approvedBy: b.email, position: 'reject' });
    const recordedAt = Date.parse(published.event.recordedAt);
    expect(recordedAt).toBeGreaterThanOrEqual(before);
    expect(recordedAt).toBeLessThanOrEqual(after);
    expect(recordedAt).toBeGreaterThan(Date.parse(p.createdAt));
    expect(proposal).toMatchObject({ status: 'approved', version: 2, decision: { decision: 'approve', by: b.email, note: null }, published: { eventId: published.event.id, seq: head + 1 } });

    // What a viewer sees: the event with both names, at the new seq; known-at the proposal's time shows nothing.
    const v = t.as(viewer.token);
    expect((await v.get(n)).body.seq).toBe(head + 1);
    const cell = (await v.get(`${n}/matrix`)).body.rows[1].cells[s.parties[2].id];
    expect(cell.stance).toMatchObject({ id: published.event.id, recordedBy: a.email, approvedBy: b.email });
    expect((await v.get(`/api/stance-events/${published.event.id}`)).body.approvedBy).toBe(b.email);
    expect((await v.get(`${n}/changes`)).body.items.map((c: { seq: number }) => c.seq)).toEqual([head + 1]);
    const knownBefore = (await v.get(`${n}/matrix?knownAt=${encodeURIComponent(new Date(recordedAt - 1).toISOString())}`)).body;
    expect(knownBefore.rows[1].cells[s.parties[2].id]?.stance ?? null).toBeNull();
    const knownAfter = (await v.get(`${n}/matrix?knownAt=${encodeURIComponent(new Date(recordedAt).toISOString())}`)).body;
    expect(knownAfter.rows[1].cells[s.parties[2].id].stance.id).toBe(published.event.id);
    const history = (await v.get(`${n}/points/${s.points[1].id}/history?knownAt=${encodeURIComponent(p.createdAt)}`)).body;
    expect(history.events).toEqual([]);

    // Decided once: a second approval (an admin's) is a 409 and publishes nothing more.
    const again = await decide(t.adminToken, p.id, { decision: 'approve' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_DECIDED');
    expect((await v.get(n)).body.seq).toBe(head + 1);

    const audit = (await t.get(`/api/audit?negotiationId=${s.negotiationId}&limit=1`)).body.items[0];
    expect(audit).toMatchObject({ action: 'proposal.approved', actor: b.email, entityId: p.id, before: { status: 'open' }, after: { status: 'approved' } });
  });

  it('of two reviewers approving at once, one gets 200 and the other 409; one event is published', async () => {
    for (let round = 0; round < 3; round++) {
      const p = await propose(a, stance(s.parties[0].id, s.points[2].id, { note: `round ${round}` }));
      const head = (await t.get(n)).body.seq;
      const results = await Promise.all([decide(b, p.id, { decision: 'approve' }), decide(t.adminToken, p.id, { decision: 'approve' })]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(results.find((r) => r.status === 409)?.body.code).toBe('ALREADY_DECIDED');
      expect((await t.get(n)).body.seq).toBe(head + 1);
      const events = (await t.get(`${n}/changes?sinceSeq=${head}`)).body.items;
      expect(events.map((e: { event: { note: string } }) => e.event.note)).toEqual([`round ${round}`]);
    }
  });

  it('rejects with a reason the author sees (400 without one); a rejected proposal never appears', async () => {
    const p = await propose(a, stance(s.parties[1].id, s.points[3].id, { note: 'rejected one' }));
    const noReason = await decide(b, p.id, { decision: 'reject' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.details).toEqual([{ field: 'note', message: 'is required to reject (the reason)' }]);
    const head = (await t.get(n)).body.seq;
    const res = await decide(b, p.id, { decision: 'reject', note: 'No source says so' });
    expect(res.status).toBe(200);
    expect(res.body.published).toBeNull();
    const seen = (await t.as(a.token).get(`${n}/proposals/${p.id}`)).body;
    expect(seen).toMatchObject({ status: 'rejected', decision: { decision: 'reject', by: b.email, note: 'No source says so' }, published: null });
    expect((await t.get(n)).body.seq).toBe(head);
    expect(JSON.stringify((await t.as(viewer.token).get(`${n}/export.json`)).body)).not.toMatch(/rejected one/);
    expect((await decide(t.adminToken, p.id, { decision: 'approve' })).status).toBe(409);
  });

  it('asks for changes (note required); the author edits (PATCH), it is open again, then approved with the edit', async () => {
    const p = await propose(a, stance(s.parties[2].id, s.points[3].id, { position: 'accept' }));
    expect((await decide(b, p.id, { decision: 'request_changes' })).status).toBe(400);
    const asked = await decide(b, p.id, { decision: 'request_changes', note: 'Cite the communiqué' });
    expect(asked.body.proposal).toMatchObject({ status: 'changes_requested', version: 2, decision: { note: 'Cite the communiqué' } });
    expect((await decide(t.adminToken, p.id, { decision: 'approve' })).status).toBe(409);

    const edited = stance(s.parties[2].id, s.points[3].id, { position: 'conditional', note: 'per the communiqué' });
    expect((await t.as(b.token).request('PATCH', `${n}/proposals/${p.id}`, { stance: edited })).status).toBe(403);
    expect((await t.as(a.token).request('PATCH', `${n}/proposals/${p.id}`, { stance: edited, expectedVersion: 1 })).status).toBe(409);
    expect((await t.as(a.token).request('PATCH', `${n}/proposals/${p.id}`, { stance: { ...edited, pointId: s.points[0].id } })).status).toBe(400);
    expect((await t.as(a.token).request('PATCH', `${n}/proposals/${p.id}`, { reason: 'wrong kind' })).status).toBe(400);
    const patched = await t.as(a.token).request('PATCH', `${n}/proposals/${p.id}`, { stance: edited, expectedVersion: 2 });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ status: 'open', version: 3, stance: edited });

    const approved = await decide(b, p.id, { decision: 'approve' });
    expect(approved.status).toBe(200);
    expect(approved.body.published.event).toMatchObject({ position: 'conditional', note: 'per the communiqué', recordedBy: a.email, approvedBy: b.email });
    expect((await t.as(a.token).request('PATCH', `${n}/proposals/${p.id}`, { stance: edited })).status).toBe(409);
  });

  it('answers 409 with both versions when the cell changed since the proposal; rebase or an explicit baseVersion approves, reject stays possible', async () => {
    const cellBody = (extra: Record<string, unknown>) => stance(s.parties[1].id, s.points[1].id, extra);
    const first = await propose(a, cellBody({ position: 'amend', note: 'first' }));
    const second = await propose(a, cellBody({ position: 'red_line', note: 'second' }));
    const third = await propose(a, cellBody({ position: 'unclear', note: 'third' }));
    const won = await decide(b, first.id, { decision: 'approve' });
    expect(won.status).toBe(200);
    const head = (await t.get(n)).body.seq;

    const stale = await decide(b, second.id, { decision: 'approve' });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('REVIEW_CONFLICT');
    expect(stale.body.current.proposal).toMatchObject({ id: second.id, status: 'open', stance: { position: 'red_line' }, baseVersion: 0 });
    expect(stale.body.current.cell).toMatchObject({ version: 1, current: { id: won.body.published.event.id, position: 'amend' } });
    expect((await t.get(n)).body.seq).toBe(head);

    // An explicit base that is not the cell's either: refused again.
    expect((await decide(b, second.id, { decision: 'approve', baseVersion: 0 })).status).toBe(409);
    const rebased = await decide(b, second.id, { decision: 'approve', rebase: true });
    expect(rebased.status).toBe(200);
    expect(rebased.body.proposal.baseVersion).toBe(1);
    expect(rebased.body.published.cell).toMatchObject({ version: 2, current: { position: 'red_line', approvedBy: b.email } });

    const explicit = await decide(t.adminToken, third.id, { decision: 'approve', baseVersion: 2 });
    expect(explicit.status).toBe(200);
    expect(explicit.body.published.event.position).toBe('unclear');

    const late = await propose(a, cellBody({ note: 'late' }));
    await decide(b, (await propose(b, cellBody({ note: 'other' }))).id, { decision: 'reject', note: 'dup' }).then((r) => expect(r.status).toBe(403));
    const other = await propose(b, cellBody({ note: 'other' }));
    expect((await decide(a, other.id, { decision: 'approve' })).status).toBe(200);
    expect((await decide(b, late.id, { decision: 'approve' })).status).toBe(409);
    expect((await decide(b, late.id, { decision: 'reject', note: 'overtaken' })).status).toBe(200);
    expect((await decide(b, late.id, { decision: 'approve', rebase: true })).status).toBe(409);
    // rebase/baseVersion go with approve only.
    expect((await decide(b, other.id, { decision: 'reject', note: 'x', rebase: true })).status).toBe(400);
  });

  it('approves a retraction: the event is retracted publicly by its author’s reason', async () => {
    const target = (await t.get(`${n}/changes`)).body.items[0].event;
    const res = await t.as(a.token).post(`/api/stance-events/${target.id}/retract`, { reason: 'misquoted' });
    expect(res.status).toBe(202);
    expect((await t.as(viewer.token).get(`/api/stance-events/${target.id}`)).body.retraction).toBeNull();
    const approved = await decide(b, res.body.id, { decision: 'approve' });
    expect(approved.status).toBe(200);
    const seen = (await t.as(viewer.token).get(`/api/stance-events/${target.id}`)).body;
    expect(seen.retraction).toMatchObject({ reason: 'misquoted', recordedBy: a.email, approvedBy: b.email, seq: approved.body.proposal.published.seq });
    // In the dump too (which an import takes back).
    const dumped = (await t.request('GET', `${n}/export.json`)).body.retractions.find((r: { eventId: string }) => r.eventId === target.id);
    expect(dumped).toMatchObject({ recordedBy: a.email, approvedBy: b.email });
    const again = await t.as(a.token).post(`/api/stance-events/${target.id}/retract`, { reason: 'twice' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_RETRACTED');
  });

  it('keeps approvedBy in the dump, and a dump round-trips it byte for byte', async () => {
    const res = await t.request('GET', `${n}/export.json`);
    const approved = res.body.stanceEvents.filter((e: { approvedBy?: string }) => e.approvedBy !== undefined);
    expect(approved.length).toBeGreaterThan(3);
    expect(approved.every((e: { approvedBy: string; recordedBy: string }) => e.approvedBy !== e.recordedBy)).toBe(true);
    const text = await (await fetch(`${t.url}${n}/export.json`, { headers: { authorization: `Bearer ${t.adminToken}` } })).text();
    const t2 = await startApp({ RATE_LIMIT_PER_MINUTE: '0' });
    try {
      expect((await t2.post('/api/negotiations/import', text, { 'content-type': 'application/json' })).status).toBe(200);
      const again = await (await fetch(`${t2.url}${n}/export.json`, { headers: { authorization: `Bearer ${t2.adminToken}` } })).text();
      expect(again).toBe(text);
      const event = (await t2.get(`/api/stance-events/${approved[0].id}`)).body;
      expect(event.approvedBy).toBe(approved[0].approvedBy);
    } finally {
      await t2.close();
    }
  });
});
