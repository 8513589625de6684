import { seed, stance, startApp, type Seeded, type TestApp } from './harness';

/* Issue 17, step 6: every decision is audited; the review log CSV lists them for staff. */
describe('review audit and the review log', () => {
  let t: TestApp;
  let s: Seeded;
  let n: string;
  let a: { email: string; token: string };
  let b: { email: string; token: string };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startApp({ RATE_LIMIT_PER_MINUTE: '0', VIEW_ACCESS: 'private' });
    s = await seed(t);
    n = `/api/negotiations/${s.negotiationId}`;
    a = await t.user('analyst');
    b = await t.user('analyst');
    await t.patch(n, { reviewPolicy: 'required' });
    const propose = async (key: string, party: number, point: number) => {
      const res = await t.as(a.token).post(`${n}/stances`, stance(s.parties[party].id, s.points[point].id));
      expect(res.status).toBe(202);
      ids[key] = res.body.id;
    };
    const decide = async (token: string, key: string, body: unknown) => expect((await t.as(token).post(`${n}/proposals/${ids[key]}/decision`, body)).status).toBe(200);
    await propose('edited', 0, 0);
    await decide(b.token, 'edited', { decision: 'request_changes', note: 'which source?' });
    expect((await t.as(a.token).request('PATCH', `${n}/proposals/${ids['edited']}`, { stance: stance(s.parties[0].id, s.points[0].id, { note: 'sourced' }) })).status).toBe(200);
    await decide(b.token, 'edited', { decision: 'approve' });
    await propose('rejected', 1, 1);
    await decide(t.adminToken, 'rejected', { decision: 'reject', note: '=HYPERLINK("x")' });
    await propose('waiting', 2, 2);
  });
  afterAll(() => t.close());

  it('audits every proposal event and decision, with who, before and after', async () => {
    const items = (await t.get(`/api/audit?negotiationId=${s.negotiationId}&limit=50`)).body.items as { action: string; actor: string; entityId: string }[];
    const review = items.filter((i) => i.action.startsWith('proposal.')).reverse().map((i) => [i.action, i.actor, i.entityId]);
    expect(review).toEqual([
      ['proposal.created', a.email, ids['edited']],
      ['proposal.changes_requested', b.email, ids['edited']],
      ['proposal.updated', a.email, ids['edited']],
      ['proposal.approved', b.email, ids['edited']],
      ['proposal.created', a.email, ids['rejected']],
      ['proposal.rejected', 'admin@test.local', ids['rejected']],
      ['proposal.created', a.email, ids['waiting']],
    ]);
  });

  it('lists each decision with author, reviewer, decision, times and time to decision, then the open proposals', async () => {
    const res = await t.as(a.token).get(`${n}/review-log.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${s.slug}-review-log.csv"`);
    const lines = String(res.body).split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('proposalId,kind,party,point,author,proposedAt,decision,reviewer,decidedAt,timeToDecisionSeconds,note,publishedSeq,status');
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.map((r) => [r[0], r[1], r[2], r[3], r[4], r[6], r[7], r[12]])).toEqual([
      [ids['edited'], 'stance', 'AA', 'p01', a.email, 'request_changes', b.email, 'changes_requested'],
      [ids['edited'], 'stance', 'AA', 'p01', a.email, 'approve', b.email, 'approved'],
      [ids['rejected'], 'stance', 'BB', 'p02', a.email, 'reject', 'admin@test.local', 'rejected'],
      [ids['waiting'], 'stance', 'CC', 'p03', a.email, '', '', 'open'],
    ]);
    const approved = (await t.get(`${n}/proposals/${ids['edited']}`)).body;
    expect(rows[1][8]).toBe(approved.decision.at);
    expect(Number(rows[1][9])).toBe(Math.round((Date.parse(approved.decision.at) - Date.parse(approved.createdAt)) / 1000));
    expect(Number(rows[1][11])).toBe(approved.published.seq);
    expect(rows[0][10]).toBe('which source?');
    // A formula in a note is neutralised (leading apostrophe), as in every CSV export.
    expect(lines[3]).toContain(`"'=HYPERLINK(""x"")"`);
    expect(rows[3].slice(6, 12)).toEqual(['', '', '', '', '', '']);
  });

  it('is for analysts and admins only', async () => {
    const viewer = await t.user('viewer');
    const share = (await t.post(`${n}/share-links`, { label: 'wall' })).body.token;
    expect((await t.as(viewer.token).get(`${n}/review-log.csv`)).status).toBe(403);
    expect((await t.as(share).get(`${n}/review-log.csv`)).status).toBe(403);
    expect((await t.as(null).get(`${n}/review-log.csv`)).status).toBe(401);
    expect((await t.get('/api/negotiations/no-such-one/review-log.csv')).status).toBe(404);
  });
});
