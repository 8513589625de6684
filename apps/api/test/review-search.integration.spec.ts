import type { SearchHit, SearchResult } from '@parley/contracts';
import { seed, stance, startApp, type Seeded, type TestApp } from './harness';

/*
 * Issue 17: proposals are visible to staff in search. An analyst or an admin searching finds the
 * proposals waiting for a decision (open, or changes requested) as hits of kind `proposal`; a
 * viewer and a share link never do, whatever kinds they ask for. A decided proposal is no longer
 * found as a proposal (an approved one is then found as the stance it published).
 */
describe('staff search over proposals', () => {
  let t: TestApp;
  let s: Seeded;
  let n: string;
  let analyst: { email: string; token: string };
  let reviewer: { email: string; token: string };
  let viewer: { token: string };
  let share: string;
  let stanceProposal: string;
  let retractionProposal: string;

  const search = async (token: string | null, q: string, extra = '') => {
    const res = await t.as(token).get<SearchResult>(`${n}/search?q=${encodeURIComponent(q)}${extra}`);
    expect(res.status).toBe(200);
    return res.body;
  };
  const proposalHits = (r: SearchResult) => r.hits.filter((h): h is Extract<SearchHit, { kind: 'proposal' }> => h.kind === 'proposal');

  beforeAll(async () => {
    t = await startApp({ RATE_LIMIT_PER_MINUTE: '0', VIEW_ACCESS: 'private' });
    s = await seed(t);
    n = `/api/negotiations/${s.negotiationId}`;
    analyst = await t.user('analyst');
    reviewer = await t.user('analyst');
    viewer = await t.user('viewer');
    share = (await t.post(`${n}/share-links`, { label: 'wall' })).body.token;
    const standing = (await t.post(`${n}/stances`, stance(s.parties[0].id, s.points[1].id, { quote: 'Kherson stays as it is' }))).body.event.id as string;
    expect((await t.patch(n, { reviewPolicy: 'required' })).status).toBe(200);
    const proposed = await t.as(analyst.token).post(`${n}/stances`, stance(s.parties[1].id, s.points[0].id, { position: 'red_line', quote: 'Tortuga is a red line', translation: 'Тортуга — красная линия', note: 'said twice' }));
    expect(proposed.status).toBe(202);
    stanceProposal = proposed.body.id;
    const retraction = await t.as(analyst.token).post(`/api/stance-events/${standing}/retract`, { reason: 'Tortuga quote was misattributed' });
    expect(retraction.status).toBe(202);
    retractionProposal = retraction.body.id;
  });
  afterAll(() => t.close());

  it('an analyst finds a proposal by its quote, its translation and a retraction by its reason, named with its cell and author', async () => {
    const found = await search(reviewer.token, 'tortuga');
    const hits = proposalHits(found);
    expect(hits.map((h) => [h.proposal.id, h.proposal.kind, h.field]).sort()).toEqual(
      [
        [stanceProposal, 'stance', 'quote'],
        [retractionProposal, 'retraction', 'reason'],
      ].sort(),
    );
    const mine = hits.find((h) => h.proposal.id === stanceProposal)!;
    expect(mine.proposal).toMatchObject({
      status: 'open',
      author: analyst.email,
      partyId: s.parties[1].id,
      partyCode: s.parties[1].code,
      pointId: s.points[0].id,
      pointCode: s.points[0].code,
      position: 'red_line',
    });
    expect(mine.snippet.filter((p) => p.match).map((p) => p.text.toLowerCase())).toEqual(['tortuga']);
    // The Cyrillic translation is searched too; the public stance's quote is found as a stance.
    expect(proposalHits(await search(analyst.token, 'тортуга')).map((h) => [h.proposal.id, h.field])).toEqual([[stanceProposal, 'translation']]);
    expect((await search(reviewer.token, 'kherson')).hits.map((h) => h.kind)).toEqual(['stance']);
    // kinds narrows as for any kind.
    expect((await search(reviewer.token, 'tortuga', '&kinds=stance')).hits).toEqual([]);
    expect(proposalHits(await search(t.adminToken, 'tortuga', '&kinds=proposal'))).toHaveLength(2);
  });

  it('a viewer and a share link never find a proposal, even asking for that kind', async () => {
    for (const token of [viewer.token, share]) {
      expect(await search(token, 'tortuga')).toEqual({ q: 'tortuga', hits: [], total: 0, truncated: false });
      expect((await search(token, 'tortuga', '&kinds=proposal')).hits).toEqual([]);
      expect((await search(token, 'misattributed')).hits).toEqual([]);
    }
  });

  it('a request for changes keeps it found; a decided proposal is not, and an approved stance is then found as a stance', async () => {
    const ask = await t.as(reviewer.token).post(`${n}/proposals/${stanceProposal}/decision`, { decision: 'request_changes', note: 'cite the source' });
    expect(ask.status).toBe(200);
    expect(proposalHits(await search(reviewer.token, 'tortuga')).find((h) => h.proposal.id === stanceProposal)?.proposal.status).toBe('changes_requested');

    const rejected = await t.as(reviewer.token).post(`${n}/proposals/${retractionProposal}/decision`, { decision: 'reject', note: 'the quote stands' });
    expect(rejected.status).toBe(200);
    const edited = await t.as(analyst.token).patch(`${n}/proposals/${stanceProposal}`, { stance: stance(s.parties[1].id, s.points[0].id, { position: 'red_line', quote: 'Tortuga is a red line, twice over' }) });
    expect(edited.status).toBe(200);
    const approved = await t.as(reviewer.token).post(`${n}/proposals/${stanceProposal}/decision`, { decision: 'approve' });
    expect(approved.status).toBe(200);

    const after = await search(reviewer.token, 'tortuga');
    expect(proposalHits(after)).toEqual([]);
    expect(after.hits.map((h) => (h.kind === 'stance' ? h.stance.id : h.kind))).toEqual([approved.body.published.event.id]);
    // The viewer now finds the published stance, and only that.
    expect((await search(viewer.token, 'tortuga')).hits.map((h) => h.kind)).toEqual(['stance']);
  });
});
