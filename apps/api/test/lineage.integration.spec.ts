import type { CarryStancesResult, MatrixView, PointHistory } from '@parley/contracts';
import { fingerprint, seed, stance, startApp, type Seeded, type TestApp } from './harness';

/**
 * Lineage that carries (issue 18, item 6): a merged point's history follows its derivedFrom parents
 * (and theirs), from before it was tabled; the parents' current stances can be carried to it.
 */
describe('lineage that carries', () => {
  let t: TestApp;
  let s: Seeded;
  let base: string;
  let merged: { id: string; code: string };
  let sourceOfB: string;

  const ids = () => {
    const [a, b, c] = s.points;
    const [aa, bb, cc] = s.parties;
    return { a, b, c, aa, bb, cc };
  };

  beforeAll(async () => {
    t = await startApp();
    s = await seed(t);
    base = `/api/negotiations/${s.negotiationId}`;
    const { a, b, c, aa, bb, cc } = ids();
    // c was tabled first; a was reworded from it; a and b are then merged into a new point.
    expect((await t.patch(`${base}/points/${a.id}`, { derivedFrom: [{ pointId: c.id, kind: 'reworded' }] })).status).toBe(200);
    const doc = (title: string, publishedAt: string, provisions: { pointId: string; number: string; text: string }[]) =>
      t.post(`${base}/documents`, { title, publishedAt, provisions });
    expect((await doc('Outline', '2025-11-10', [{ pointId: c.id, number: '1', text: 'Outline text of c.' }])).status).toBe(201);
    expect(
      (
        await doc('The 28-point plan', '2025-11-20', [
          { pointId: a.id, number: '1', text: 'Text of a.' },
          { pointId: b.id, number: '2', text: 'Text of b.' },
        ])
      ).status,
    ).toBe(201);
    const made = await t.post(`${base}/points`, {
      title: 'Merged',
      category: 'political',
      derivedFrom: [
        { pointId: b.id, kind: 'merge' },
        { pointId: a.id, kind: 'merge' },
      ],
    });
    expect(made.status).toBe(201);
    merged = made.body;
    expect((await doc('The 20-point plan', '2025-12-01', [{ pointId: merged.id, number: '1', text: 'Merged text.' }])).status).toBe(201);
    const other = await t.post(`${base}/sources`, { outlet: 'AP', title: 'Another headline' });
    expect(other.status).toBe(201);
    sourceOfB = other.body.id;
    const events = [
      stance(aa.id, c.id, { position: 'accept', effectiveAt: '2025-11-15' }),
      stance(aa.id, c.id, { position: 'reject', effectiveAt: '2025-11-25' }), // after a was tabled: not a's history
      stance(aa.id, a.id, { position: 'accept', effectiveAt: '2025-11-21' }),
      stance(aa.id, b.id, { position: 'accept', effectiveAt: '2025-11-22', source: { id: sourceOfB }, note: 'said in Geneva', quote: 'We agree.' }),
      stance(bb.id, a.id, { position: 'reject', effectiveAt: '2025-11-21' }),
      stance(bb.id, b.id, { position: 'accept', effectiveAt: '2025-11-22' }),
      stance(cc.id, a.id, { position: 'amend', effectiveAt: '2025-11-21' }),
      stance(cc.id, a.id, { position: 'conditional', effectiveAt: '2025-12-05' }), // after the merge: current, not inherited
    ];
    expect((await t.post(`${base}/stances/batch`, { events })).status).toBe(201);
  });
  afterAll(() => t.close());

  const carry = (body: Record<string, unknown>, pointId = merged.id) => t.post(`${base}/points/${pointId}/carry-stances`, body);

  it("the history follows the parents and theirs, from before the point was tabled, marked with the parent's code", async () => {
    const { a, b, c } = ids();
    const res = await t.get(`${base}/points/${merged.id}/history`);
    expect(res.status).toBe(200);
    const history = res.body as PointHistory;
    expect(history.events).toEqual([]);
    // Nearest first, parents in their codes' order, then a's parent c (cut off when a was tabled).
    expect(history.inherited.map((h) => [h.from.code, h.kind, h.via.code, h.before?.slice(0, 10)])).toEqual([
      [a.code, 'merge', merged.code, '2025-12-01'],
      [b.code, 'merge', merged.code, '2025-12-01'],
      [c.code, 'reworded', a.code, '2025-11-20'],
    ]);
    const [fromA, fromB, fromC] = history.inherited;
    expect(fromA.events.map((e) => [e.position, e.effectiveAt.slice(0, 10)])).toEqual([
      ['accept', '2025-11-21'],
      ['reject', '2025-11-21'],
      ['amend', '2025-11-21'],
    ]);
    expect(fromA.provisions.map((p) => p.text)).toEqual(['Text of a.']);
    expect(fromB.events).toHaveLength(2);
    expect(fromC.events.map((e) => e.position)).toEqual(['accept']);
    expect(fromC.provisions.map((p) => p.documentTitle)).toEqual(['Outline']);
    // The party filter applies to what is inherited too.
    const onlyBb = (await t.get(`${base}/points/${merged.id}/history?partyId=${s.parties[1].id}`)).body as PointHistory;
    expect(onlyBb.inherited.flatMap((h) => h.events.map((e) => e.partyId))).toEqual([s.parties[1].id, s.parties[1].id]);
    // A point without parents inherits nothing.
    expect(((await t.get(`${base}/points/${c.id}/history`)).body as PointHistory).inherited).toEqual([]);
  });

  it('plans the carry (dryRun): one position carried, differing parents need a choice; nothing written', async () => {
    const { a, b, aa, bb, cc } = ids();
    const before = await fingerprint(t.db);
    const res = await carry({ dryRun: true });
    expect(res.status).toBe(200);
    const plan = res.body as CarryStancesResult;
    expect(plan).toMatchObject({ pointId: merged.id, dryRun: true, reviewRequired: false });
    const byParty = new Map(plan.items.map((i) => [i.partyId, i]));
    // AA: accept on both parents: the latest (b's) is carried.
    expect(byParty.get(aa.id)).toMatchObject({ status: 'planned', from: { pointId: b.id, position: 'accept' } });
    expect(byParty.get(aa.id)?.effectiveAt?.slice(0, 10)).toBe('2025-12-01');
    // BB: reject on a, accept on b: the analyst chooses.
    expect(byParty.get(bb.id)).toMatchObject({ status: 'choice_required', from: null });
    expect(byParty.get(bb.id)?.candidates.map((c) => [c.pointCode, c.position])).toEqual([
      [a.code, 'reject'],
      [b.code, 'accept'],
    ]);
    // CC: only a, its current (post-merge) stance, effective on its own later date.
    expect(byParty.get(cc.id)).toMatchObject({ status: 'planned', from: { pointId: a.id, position: 'conditional' } });
    expect(byParty.get(cc.id)?.effectiveAt?.slice(0, 10)).toBe('2025-12-05');
    expect(await fingerprint(t.db)).toEqual(before);
  });

  it('refuses to carry while a party needs a choice (409 with the plan), writing nothing', async () => {
    const before = await fingerprint(t.db);
    const res = await carry({});
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/choose a parent/);
    expect((res.body.current as CarryStancesResult).items.some((i) => i.status === 'choice_required')).toBe(true);
    expect(await fingerprint(t.db)).toEqual(before);
  });

  it('carries with a choice: one stance per party citing the same source, noted, in one change each; asking again writes nothing', async () => {
    const { a, aa, bb, cc } = ids();
    const seqBefore = (await t.get(base)).body.seq as number;
    const res = await carry({ choices: [{ partyId: bb.id, fromPointId: a.id }] });
    expect(res.status).toBe(201);
    const result = res.body as CarryStancesResult;
    expect(result.items.map((i) => i.status)).toEqual(['recorded', 'recorded', 'recorded']);
    const eventOf = (partyId: string) => result.items.find((i) => i.partyId === partyId)?.event;
    expect(eventOf(aa.id)).toMatchObject({ pointId: merged.id, position: 'accept', source: { id: sourceOfB }, note: `Carried from ${s.points[1].code}: said in Geneva`, quote: 'We agree.' });
    expect(eventOf(bb.id)).toMatchObject({ position: 'reject', note: `Carried from ${a.code}` });
    expect(eventOf(cc.id)).toMatchObject({ position: 'conditional' });
    // Effective from the merged text's day (AA, BB) or the parent stance's own later day (CC), to the day.
    expect([aa.id, bb.id, cc.id].map((p) => [eventOf(p)?.effectiveAt, eventOf(p)?.effectivePrecision])).toEqual([
      ['2025-12-01T00:00:00.000Z', 'day'],
      ['2025-12-01T00:00:00.000Z', 'day'],
      ['2025-12-05T00:00:00.000Z', 'day'],
    ]);
    expect((await t.get(base)).body.seq).toBe(seqBefore + 3);
    const matrix = (await t.get(`${base}/matrix`)).body as MatrixView;
    const row = matrix.rows.find((r) => r.point.id === merged.id);
    expect([aa.id, bb.id, cc.id].map((p) => row?.cells[p]?.stance?.position)).toEqual(['accept', 'reject', 'conditional']);
    // The point's own history now has them, beside what it inherits.
    expect(((await t.get(`${base}/points/${merged.id}/history`)).body as PointHistory).events).toHaveLength(3);

    const before = await fingerprint(t.db);
    const again = await carry({ choices: [{ partyId: bb.id, fromPointId: a.id }] });
    expect(again.status).toBe(201);
    expect((again.body as CarryStancesResult).items.map((i) => i.status)).toEqual(['skipped', 'skipped', 'skipped']);
    expect(await fingerprint(t.db)).toEqual(before);
  });

  it('under review policy required, the carried stances become proposals and the matrix is unchanged until approval', async () => {
    const { a, b, aa, bb } = ids();
    const split = await t.post(`${base}/points`, { title: 'Split part', category: 'political', derivedFrom: [{ pointId: a.id, kind: 'split' }, { pointId: b.id, kind: 'split' }] });
    expect(split.status).toBe(201);
    const n = (await t.get(base)).body;
    expect((await t.patch(base, { reviewPolicy: 'required', expectedVersion: n.version })).status).toBe(200);
    try {
      const res = await carry({ parties: [aa.id, bb.id], choices: [{ partyId: bb.id, fromPointId: b.id }] }, split.body.id);
      expect(res.status).toBe(201);
      const result = res.body as CarryStancesResult;
      expect(result.reviewRequired).toBe(true);
      expect(result.items.map((i) => [i.status, i.event])).toEqual([
        ['proposed', null],
        ['proposed', null],
      ]);
      const proposals = (await t.get(`${base}/proposals?pointId=${split.body.id}`)).body.items as { id: string; stance: { position: string; note: string } }[];
      expect(proposals.map((p) => p.id).sort()).toEqual(result.items.map((i) => i.proposalId).sort());
      expect(proposals.map((p) => p.stance.position).sort()).toEqual(['accept', 'accept']);
      const row = ((await t.get(`${base}/matrix`)).body as MatrixView).rows.find((r) => r.point.id === split.body.id);
      expect(row?.cells).toEqual({});
      // Asked again: the proposals are waiting, so nothing more is proposed.
      const again = await carry({ parties: [aa.id, bb.id], choices: [{ partyId: bb.id, fromPointId: b.id }] }, split.body.id);
      expect((again.body as CarryStancesResult).items.map((i) => i.status)).toEqual(['skipped', 'skipped']);
      expect((await t.get(`${base}/proposals?pointId=${split.body.id}`)).body.items).toHaveLength(2);
    } finally {
      const now = (await t.get(base)).body;
      await t.patch(base, { reviewPolicy: 'off', expectedVersion: now.version });
    }
  });

  it('refuses bad requests naming the field, changing nothing', async () => {
    const { a, c, aa } = ids();
    const cases: [string, Record<string, unknown>, number, string | null][] = [
      [c.id, {}, 400, 'pointId'], // no parents
      ['00000000-0000-4000-8000-000000000099', {}, 404, null],
      [merged.id, { parties: ['00000000-0000-4000-8000-000000000099'] }, 400, 'parties.0'],
      [merged.id, { parties: [aa.id, aa.id] }, 400, 'parties.1'],
      [merged.id, { choices: [{ partyId: aa.id, fromPointId: c.id }] }, 400, 'choices.0.fromPointId'],
      [merged.id, { effectiveAt: '2999-01-01' }, 400, 'effectiveAt'],
      [merged.id, { dryRun: 'yes' }, 400, 'dryRun'],
      [merged.id, { extra: 1 }, 400, ''],
    ];
    for (const [pointId, body, status, field] of cases) {
      // A fresh point split from a, so that the date rule is reached (the merged one has stances now).
      const target = pointId === merged.id ? (await t.post(`${base}/points`, { title: `T${Math.random()}`, category: 'legal', derivedFrom: [{ pointId: a.id, kind: 'split' }] })).body.id : pointId;
      const snapshot = await fingerprint(t.db);
      const res = await carry(body, target);
      expect({ body, status: res.status }).toEqual({ body, status });
      if (field) expect(res.body.details?.map((d: { field: string }) => d.field)).toContain(field);
      expect(await fingerprint(t.db)).toEqual(snapshot);
    }
  });
});
