import { cellKey, cellVersions, currentStances, type StanceFact } from '@parley/domain';
import { fingerprint, seed, stance, startApp, type Seeded, type TestApp } from './harness';

describe('stance writes: locks, idempotency, batches, sequence', () => {
  let t: TestApp;
  let s: Seeded;
  let base: string;

  beforeAll(async () => {
    t = await startApp();
    s = await seed(t);
    base = `/api/negotiations/${s.negotiationId}`;
  });
  afterAll(() => t.close());

  it('lets exactly one of 20 racing writers with the same expectedVersion win; the rest get 409 with the current stance', async () => {
    const [aa] = s.parties;
    const [p1] = s.points;
    const setup = await t.post(`${base}/stances`, stance(aa.id, p1.id, { position: 'unclear' }));
    expect(setup.body.cell.version).toBe(1);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.post(`${base}/stances`, stance(aa.id, p1.id, { position: i % 2 ? 'accept' : 'reject', expectedVersion: 1, note: `writer ${i}` })),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((st) => st === 201)).toHaveLength(1);
    expect(statuses.filter((st) => st === 409)).toHaveLength(19);
    const winner = results.find((r) => r.status === 201)!;
    for (const loser of results.filter((r) => r.status === 409)) {
      expect(loser.body.code).toBe('VERSION_CONFLICT');
      expect(loser.body.current).toMatchObject({ version: 2, current: { id: winner.body.event.id } });
    }
  });

  it('treats a missing cell as version 0', async () => {
    const [, bb] = s.parties;
    const [, , , p4] = s.points;
    const stale = await t.post(`${base}/stances`, stance(bb.id, p4.id, { expectedVersion: 3 }));
    expect(stale.status).toBe(409);
    expect(stale.body.current).toEqual({ partyId: bb.id, pointId: p4.id, version: 0, current: null });
    const ok = await t.post(`${base}/stances`, stance(bb.id, p4.id, { expectedVersion: 0 }));
    expect(ok.status).toBe(201);
  });

  it('returns the first result for a retried Idempotency-Key, also when retries race, and refuses a reused key', async () => {
    const [, bb] = s.parties;
    const [, p2] = s.points;
    const body = stance(bb.id, p2.id, { position: 'amend' });
    const first = await t.post(`${base}/stances`, body, { 'Idempotency-Key': 'key-1' });
    const retry = await t.post(`${base}/stances`, body, { 'Idempotency-Key': 'key-1' });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);

    const racing = await Promise.all(
      Array.from({ length: 10 }, () => t.post(`${base}/stances`, stance(bb.id, p2.id, { position: 'accept' }), { 'Idempotency-Key': 'key-2' })),
    );
    expect(racing.every((r) => r.status === 201)).toBe(true);
    expect(new Set(racing.map((r) => r.body.event.id)).size).toBe(1);
    const history = await t.get(`${base}/points/${p2.id}/history?partyId=${bb.id}`);
    expect(history.body.events).toHaveLength(2);

    const misuse = await t.post(`${base}/stances`, stance(bb.id, p2.id, { position: 'reject' }), { 'Idempotency-Key': 'key-1' });
    expect(misuse.status).toBe(422);
    expect(misuse.body.code).toBe('IDEMPOTENCY_MISMATCH');
  });

  it("scopes an Idempotency-Key by its sender: another analyst's same key records their own write, single or batch", async () => {
    const [aa, , cc] = s.parties;
    const p3 = (await t.post(`${base}/points`, { title: 'Keyed by two analysts', category: 'legal' })).body as { id: string };
    const first = await t.user('analyst');
    const second = await t.user('analyst');
    const mine = await t.as(first.token).post(`${base}/stances`, stance(cc.id, p3.id, { position: 'reject', note: 'first analyst' }), { 'Idempotency-Key': 'shared-key' });
    const theirs = await t.as(second.token).post(`${base}/stances`, stance(cc.id, p3.id, { position: 'accept', note: 'second analyst' }), { 'Idempotency-Key': 'shared-key' });
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(theirs.body.event).toMatchObject({ position: 'accept', note: 'second analyst', recordedBy: second.email });
    expect(theirs.body.event.id).not.toBe(mine.body.event.id);
    // The same body under the same key from someone else is their write too, not a replay of the first.
    const same = stance(aa.id, p3.id, { position: 'amend', note: 'same body' });
    const once = await t.as(first.token).post(`${base}/stances/batch`, { events: [same] }, { 'Idempotency-Key': 'shared-batch' });
    const again = await t.as(second.token).post(`${base}/stances/batch`, { events: [same] }, { 'Idempotency-Key': 'shared-batch' });
    expect([once.status, again.status]).toEqual([201, 201]);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect(again.body.results[0].event.recordedBy).toBe(second.email);
    // Each sender's own retry still replays their own answer.
    const retry = await t.as(second.token).post(`${base}/stances`, stance(cc.id, p3.id, { position: 'accept', note: 'second analyst' }), { 'Idempotency-Key': 'shared-key' });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(theirs.body);
  });

  it('records a batch all or nothing: one bad reference or one stale version writes nothing', async () => {
    const [aa, bb, cc] = s.parties;
    const [p1, p2, p3] = s.points;
    const before = await fingerprint(t.db);
    const badRef = await t.post(`${base}/stances/batch`, {
      events: [stance(aa.id, p3.id), stance(bb.id, p3.id), stance(cc.id, p3.id), stance('00000000-0000-4000-8000-000000000000', p3.id)],
    });
    expect(badRef.status).toBe(400);
    expect(badRef.body.details).toEqual([{ field: 'events.3.partyId', message: expect.stringContaining("Party '00000000-0000-4000-8000-000000000000' was not found") }]);
    expect(await fingerprint(t.db)).toEqual(before);

    // The stale version is found inside the transaction, where the items are checked in order against the
    // cells as the earlier ones leave them, before any row is written: the whole batch is refused.
    const stale = await t.post(`${base}/stances/batch`, {
      events: [stance(aa.id, p3.id), stance(bb.id, p3.id), stance(cc.id, p1.id, { expectedVersion: 99 })],
    });
    expect(stale.status).toBe(409);
    expect(stale.body.message).toContain('events.2');
    expect(await fingerprint(t.db)).toEqual(before);

    const ok = await t.post(`${base}/stances/batch`, {
      events: [stance(aa.id, p3.id), stance(aa.id, p3.id, { position: 'reject', effectiveAt: '2025-11-22', expectedVersion: 1 }), stance(cc.id, p2.id)],
    });
    expect(ok.status).toBe(201);
    expect(ok.body.results.map((r: { cell: { version: number } }) => r.cell.version)).toEqual([1, 2, 1]);
    const seqs = ok.body.results.map((r: { event: { seq: number } }) => r.event.seq);
    expect(seqs).toEqual([seqs[0], seqs[0] + 1, seqs[0] + 2]);
  });

  it('answers a batch with a summary per item when the request prefers return=minimal, first or replayed', async () => {
    const [aa, bb] = s.parties;
    const p4 = (await t.post(`${base}/points`, { title: 'Answered minimally', category: 'economy' })).body as { id: string };
    const events = [
      stance(aa.id, p4.id, { effectiveAt: '2025-12-10' }),
      // back-dated: recorded, but the cell's current event stays the first one
      stance(aa.id, p4.id, { position: 'reject', effectiveAt: '2025-12-01' }),
      stance(bb.id, p4.id),
    ];
    const minimal = await t.post(`${base}/stances/batch`, { events }, { Prefer: 'respond-async, RETURN = "minimal"', 'Idempotency-Key': 'minimal-batch' });
    expect(minimal.status).toBe(201);
    expect(minimal.headers.get('preference-applied')).toBe('return=minimal');
    const results = minimal.body.results as { eventId: string; seq: number; partyId: string; pointId: string; version: number; currentEventId: string | null }[];
    expect(results.map((r) => [r.partyId, r.pointId, r.version])).toEqual([
      [aa.id, p4.id, 1],
      [aa.id, p4.id, 2],
      [bb.id, p4.id, 1],
    ]);
    expect(results[1].seq).toBe(results[0].seq + 1);
    expect(results.map((r) => r.currentEventId)).toEqual([results[0].eventId, results[0].eventId, results[2].eventId]);
    for (const r of results) expect(Object.keys(r).sort()).toEqual(['currentEventId', 'eventId', 'partyId', 'pointId', 'seq', 'version']);
    // The summary names the stored events.
    const stored = await t.get(`/api/stance-events/${results[1].eventId}`);
    expect(stored.body).toMatchObject({ seq: results[1].seq, position: 'reject', partyId: aa.id, pointId: p4.id });

    // The same key without the preference replays the whole answer, and with it the same summary.
    const full = await t.post(`${base}/stances/batch`, { events }, { 'Idempotency-Key': 'minimal-batch' });
    expect(full.headers.get('idempotent-replayed')).toBe('true');
    expect(full.headers.get('preference-applied')).toBeNull();
    expect(full.body.results.map((r: { event: { id: string } }) => r.event.id)).toEqual(results.map((r) => r.eventId));
    expect(full.body.results[1].cell.current.id).toBe(results[0].eventId);
    const again = await t.post(`${base}/stances/batch`, { events }, { Prefer: 'return=minimal', 'Idempotency-Key': 'minimal-batch' });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(minimal.body);

    // Other preferences change nothing.
    const other = await t.post(`${base}/stances/batch`, { events: [stance(bb.id, p4.id, { position: 'amend' })] }, { Prefer: 'return=representation' });
    expect(other.status).toBe(201);
    expect(other.body.results[0].event.position).toBe('amend');
    expect(other.headers.get('preference-applied')).toBeNull();
  });

  it('keeps the current stance when a late report is back-dated before it, but shows it as of its own date', async () => {
    const [, , cc] = s.parties;
    const [, , p3] = s.points;
    await t.post(`${base}/stances`, stance(cc.id, p3.id, { position: 'accept', effectiveAt: '2025-12-10' }));
    const late = await t.post(`${base}/stances`, stance(cc.id, p3.id, { position: 'red_line', effectiveAt: '2025-12-01' }));
    expect(late.status).toBe(201);
    expect(late.body.cell.current.position).toBe('accept');
    const asOf = await t.get(`${base}/matrix?asOf=2025-12-05`);
    const cell = asOf.body.rows.find((r: { point: { id: string } }) => r.point.id === p3.id).cells[cc.id];
    expect(cell.stance.position).toBe('red_line');
  });

  it('gives 200 concurrent writes of every kind gap-free, unique sequence numbers, and a projection equal to a rebuild', async () => {
    const writes = Array.from({ length: 200 }, (_, i) => {
      const party = s.parties[i % 3];
      const point = s.points[(i * 7) % 4];
      if (i % 25 === 0) return t.patch(`${base}/points/${point.id}`, { description: `edit ${i}` });
      const day = String(1 + (i % 28)).padStart(2, '0');
      return t.post(`${base}/stances`, stance(party.id, point.id, { position: ['accept', 'reject', 'amend'][i % 3], effectiveAt: `2025-12-${day}` }));
    });
    const results = await Promise.all(writes);
    expect(results.filter((r) => r.status >= 300)).toEqual([]);

    await expectConsistent(s.negotiationId);
  });

  it('answers concurrent single writes that share a commit each with its own event and cell; a refused one among them changes nothing', async () => {
    const [party, point] = [s.parties[2], s.points[0]];
    const first = await t.post(`${base}/stances`, stance(party.id, point.id, { effectiveAt: '2025-12-31' }));
    const version = first.body.cell.version as number;
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        t.post(
          `${base}/stances`,
          // Every 6th expects a version the cell never reaches: refused, whatever the order.
          stance(party.id, point.id, { position: 'reject', effectiveAt: `2025-12-${String(1 + (i % 28)).padStart(2, '0')}`, note: `w${i}`, ...(i % 6 === 0 ? { expectedVersion: version + 100 } : {}) }),
        ),
      ),
    );
    const ok = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 409);
    expect(ok.length + refused.length).toBe(24);
    expect(refused).toHaveLength(4);
    for (const r of refused) expect(r.body.code).toBe('VERSION_CONFLICT');
    // Each answer carries its own event (own note, own number) and a distinct cell version.
    expect(new Set(ok.map((r) => r.body.event.note)).size).toBe(ok.length);
    expect(new Set(ok.map((r) => r.body.event.seq)).size).toBe(ok.length);
    expect(new Set(ok.map((r) => r.body.cell.version)).size).toBe(ok.length);
    // Back-dated writes (all before 2025-12-31) leave the first event current.
    for (const r of ok) expect(r.body.cell.current.id).toBe(first.body.event.id);
    await expectConsistent(s.negotiationId);
  });

  it('keeps cell versions exact across retractions, refused batches and concurrent writes of every kind', async () => {
    const [aa, bb, cc] = s.parties;
    const point = (await t.post(`${base}/points`, { title: 'Versions', category: 'military' })).body as { id: string };
    const first = await t.post(`${base}/stances`, stance(aa.id, point.id));
    expect(first.body.cell.version).toBe(1);
    // A retraction changes the cell outside the stance writes: later writes see its version, also
    // after a write to another cell came in between.
    expect((await t.post(`/api/stance-events/${first.body.event.id}/retract`, { reason: 'misreported' })).body.cell.version).toBe(2);
    expect((await t.post(`${base}/stances`, stance(bb.id, point.id, { expectedVersion: 0 }))).status).toBe(201);
    const second = await t.post(`${base}/stances`, stance(aa.id, point.id, { expectedVersion: 2 }));
    expect(second.status).toBe(201);
    expect(second.body.cell.version).toBe(3);
    // A batch refused after it recorded two items leaves no trace in what later writes see.
    const refused = await t.post(`${base}/stances/batch`, { events: [stance(aa.id, point.id), stance(bb.id, point.id), stance(cc.id, point.id, { expectedVersion: 7 })] });
    expect(refused.status).toBe(409);
    expect((await t.post(`${base}/stances`, stance(aa.id, point.id, { expectedVersion: 3 }))).status).toBe(201);
    expect((await t.post(`${base}/stances`, stance(bb.id, point.id, { expectedVersion: 1 }))).status).toBe(201);

    // Batches (one in three refused), single writes and retractions at once, then each cell's
    // answered versions are distinct and the projection equals a rebuild.
    const events = [first, second].map((r) => r.body.event.id as string);
    const writes = Array.from({ length: 30 }, (_, i) => {
      const party = s.parties[i % 3];
      if (i % 10 === 9) return t.post(`/api/stance-events/${events[i % 2]}/retract`, { reason: `retry ${i}` });
      if (i % 3 === 0) {
        const stale = i % 9 === 0 ? { expectedVersion: 1000 } : {};
        return t.post(`${base}/stances/batch`, { events: [stance(party.id, point.id, { note: `b${i}` }), stance(cc.id, point.id, { note: `c${i}`, ...stale })] });
      }
      return t.post(`${base}/stances`, stance(party.id, point.id, { note: `s${i}`, effectiveAt: `2025-12-${String(1 + i).padStart(2, '0')}` }));
    });
    const results = await Promise.all(writes);
    expect(results.every((r) => [201, 409].includes(r.status))).toBe(true);
    const answered = results.filter((r) => r.status === 201).flatMap((r) => (r.body.results ?? [r.body]) as { cell: { partyId: string; version: number } }[]);
    for (const party of s.parties) {
      const versions = answered.filter((a) => a.cell.partyId === party.id).map((a) => a.cell.version);
      expect(new Set(versions).size).toBe(versions.length);
    }
    await expectConsistent(s.negotiationId);
  });

  it('imports a CSV over more cells than one statement reads: every row recorded in order, numbers gap-free, projection equal to a rebuild', async () => {
    const n = await t.post('/api/negotiations', { title: 'Wide import' });
    const wide = `/api/negotiations/${n.body.id}`;
    for (let i = 0; i < 30; i++) expect((await t.post(`${wide}/parties`, { code: `Q${i}`, name: `Party ${i}` })).status).toBe(201);
    const points = ['code,title,category', ...Array.from({ length: 40 }, (_, i) => `w${i},Point ${i},military`)].join('\n');
    expect((await t.post(`/api/negotiations/import?negotiation=${n.body.id}&kind=points`, points, { 'content-type': 'text/csv' })).status).toBe(200);
    // 1,200 cells, two rows each; the second is back-dated on every third cell.
    const rows: string[] = [];
    for (let round = 0; round < 2; round++) {
      for (let c = 0; c < 1200; c++) {
        const day = round === 0 ? '2025-06-15' : c % 3 === 0 ? '2025-01-15' : '2025-09-15';
        rows.push(`Q${c % 30},w${Math.floor(c / 30)},${round === 0 ? 'accept' : 'reject'},reported,${day},Src ${round}-${c}`);
      }
    }
    const csv = ['party,point,position,confidence,effectiveAt,sourceOutlet', ...rows].join('\n');
    const res = await t.post(`/api/negotiations/import?negotiation=${n.body.id}&kind=stances`, csv, { 'content-type': 'text/csv' });
    expect(res.status).toBe(200);
    expect(res.body.counts.stanceEvents.created).toBe(2400);
    const matrix = await t.get(`${wide}/matrix`);
    expect(matrix.status).toBe(200);
    await expectConsistent(n.body.id);
  });

  /** Sequence numbers gap-free and the projection equal to a rebuild from the events. */
  async function expectConsistent(negotiationId: string): Promise<void> {
    const changes: { seq: number | string }[] = await t.db.read.query(
      t.db.driver === 'postgres' ? 'SELECT seq FROM change_log WHERE negotiation_id = $1 ORDER BY seq' : 'SELECT seq FROM change_log WHERE negotiation_id = ? ORDER BY seq',
      [negotiationId],
    );
    const seqs = changes.map((c) => Number(c.seq));
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    const negotiation = await t.get(`/api/negotiations/${negotiationId}`);
    expect(negotiation.body.seq).toBe(seqs.length);

    // Rebuild the projection from the append-only events and compare with the stored one.
    const facts: StanceFact[] = (
      await t.db.read.query(
        `SELECT e.id, e.party_id, e.point_id, e.position, e.effective_at, e.recorded_at, e.seq, r.recorded_at AS retracted_at
           FROM stance_events e LEFT JOIN stance_retractions r ON r.event_id = e.id WHERE e.negotiation_id = ${t.db.driver === 'postgres' ? '$1' : '?'}`,
        [negotiationId],
      )
    ).map((r: Record<string, string | number | null>) => ({
      id: String(r['id']),
      partyId: String(r['party_id']),
      pointId: String(r['point_id']),
      position: r['position'] as StanceFact['position'],
      effectiveAt: Number(r['effective_at']),
      recordedAt: Number(r['recorded_at']),
      seq: Number(r['seq']),
      retractedAt: r['retracted_at'] === null ? null : Number(r['retracted_at']),
    }));
    const rebuilt = currentStances(facts, {});
    const versions = cellVersions(facts);
    const stored: { party_id: string; point_id: string; event_id: string | null; version: number | string }[] = await t.db.read.query(
      `SELECT party_id, point_id, event_id, version FROM current_stances WHERE negotiation_id = ${t.db.driver === 'postgres' ? '$1' : '?'}`,
      [negotiationId],
    );
    expect(stored.length).toBe(versions.size);
    for (const row of stored) {
      const key = cellKey(row.party_id, row.point_id);
      expect({ key, event: row.event_id, version: Number(row.version) }).toEqual({ key, event: rebuilt.get(key)?.id ?? null, version: versions.get(key) });
    }
  }
});
