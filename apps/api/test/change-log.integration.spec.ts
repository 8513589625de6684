import type { ChangeEntry, RecordStanceResult } from '@parley/contracts';
import { LiveClient } from '@parley/live-client';
import { sql } from '../src/database/sql';
import { seed, stance, startApp, type Seeded, type TestApp } from './harness';

/** Resolves when `predicate` holds, polling; fails with `what` after the timeout. */
async function until(what: string, predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every change of the negotiation after `sinceSeq` as a new viewer receives it (replayed from the database). */
async function replay(t: TestApp, negotiationId: string, upTo: number, sinceSeq = 0): Promise<ChangeEntry[]> {
  const client = new LiveClient({ url: t.url, negotiationId, sinceSeq });
  const changes: ChangeEntry[] = [];
  client.on('change', (c) => changes.push(c));
  client.start();
  try {
    await until(`replay up to ${upTo}`, () => (changes.at(-1)?.seq ?? 0) >= upTo);
  } finally {
    await client.close();
  }
  return changes.filter((c) => c.seq <= upTo);
}

/**
 * A recorded stance's change is stored as references to its events and rebuilt when the log is
 * read: what a viewer replays, and what a dump carries, must be exactly what was published.
 */
describe('change log storage', () => {
  let t: TestApp;
  let s: Seeded;
  let base: string;
  const published: ChangeEntry[] = [];
  let watcher: LiveClient;

  beforeAll(async () => {
    t = await startApp();
    s = await seed(t);
    base = `/api/negotiations/${s.negotiationId}`;
    const head = (await t.get(base)).body.seq as number;
    watcher = new LiveClient({ url: t.url, negotiationId: s.negotiationId, sinceSeq: head });
    watcher.on('change', (c) => published.push(c));
    watcher.start();
    await until('live', () => watcher.state === 'live');
  });
  afterAll(async () => {
    await watcher.close();
    await t.close();
  });

  it('replays recorded, back-dated, batched and retracted stances exactly as they were published', async () => {
    const [a, b] = s.parties;
    const [p1, p2] = s.points;
    const first = await t.post(`${base}/stances`, stance(a.id, p1.id, { effectiveAt: '2025-11-25', note: 'first', conditions: { text: 'if', pointIds: [p2.id] } }));
    expect(first.status).toBe(201);
    // Back-dated: recorded later, in force earlier, so the cell keeps the first event as current.
    const backDated = await t.post(`${base}/stances`, stance(a.id, p1.id, { effectiveAt: '2025-11-22', position: 'reject' }));
    expect(backDated.status).toBe(201);
    expect((backDated.body as RecordStanceResult).cell.current?.id).toBe(first.body.event.id);
    const batch = await t.post(`${base}/stances/batch`, { events: [stance(b.id, p1.id), stance(b.id, p2.id, { position: 'red_line' }), stance(b.id, p1.id, { position: 'amend', effectiveAt: '2025-11-23' })] });
    expect(batch.status).toBe(201);
    // A retraction after the fact must not show in the replayed recording of the event.
    expect((await t.post(`/api/stance-events/${first.body.event.id}/retract`, { reason: 'misreported' })).status).toBe(201);
    const party = (await t.get<{ version: number }>(`${base}/parties/${a.id}`)).body;
    expect((await t.patch(`${base}/parties/${a.id}`, { name: 'Renamed', expectedVersion: party.version })).status).toBe(200);

    const head = (await t.get(base)).body.seq as number;
    await until('every change published', () => published.at(-1)?.seq === head);
    const replayed = await replay(t, s.negotiationId, head, published[0].seq - 1);
    expect(replayed).toEqual(published);
    expect(replayed.filter((c) => c.kind === 'stance.recorded')).toHaveLength(5);
    const recordedFirst = replayed.find((c) => c.entityId === first.body.event.id && c.kind === 'stance.recorded');
    expect((recordedFirst?.data as RecordStanceResult).event.retraction).toBeNull();
  });

  it('keeps a recorded stance as references, not copies of its events', async () => {
    const { rows } = await sql<{ kind: string; data: string }>(t.db.read, 'SELECT kind, data FROM change_log WHERE negotiation_id = ?', [s.negotiationId]);
    const recorded = rows.filter((r) => r.kind === 'stance.recorded');
    expect(recorded.length).toBeGreaterThan(0);
    for (const row of recorded) {
      expect(Object.keys(JSON.parse(row.data) as object).sort()).toEqual(['currentId', 'ref', 'version']);
      expect(row.data.length).toBeLessThan(100);
    }
  });

  it('still reads changes stored in full by earlier versions', async () => {
    const change = published.find((c) => c.kind === 'stance.recorded') as ChangeEntry;
    await t.db.write((tx) =>
      sql(tx.manager, 'UPDATE change_log SET data = ? WHERE negotiation_id = ? AND seq = ?', [JSON.stringify(change.data), s.negotiationId, change.seq]),
    );
    const [replayed] = await replay(t, s.negotiationId, change.seq, change.seq - 1);
    expect(replayed).toEqual(change);
  });

  it('exports recorded stances in full in the dump, and refuses a dump whose recorded change names an event it lacks', async () => {
    const res = await fetch(`${t.url}${base}/export.json`, { headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(res.status).toBe(200);
    const dump = (await res.json()) as { negotiation: { id: string; slug: string }; changes: { seq: number; kind: string; data: unknown }[] };
    for (const c of dump.changes.filter((x) => x.kind === 'stance.recorded')) {
      expect(c.data).toEqual(published.find((p) => p.seq === c.seq)?.data ?? c.data);
    }
    const recordedIndex = dump.changes.findIndex((c) => c.kind === 'stance.recorded' && published.some((p) => p.seq === c.seq));
    expect(recordedIndex).toBeGreaterThanOrEqual(0);
    const broken = structuredClone(dump);
    (broken.changes[recordedIndex].data as RecordStanceResult).cell.current = { ...(broken.changes[recordedIndex].data as RecordStanceResult).event, id: '00000000-0000-4000-8000-000000000000' };
    const refused = await t.post('/api/negotiations/import?dryRun=true', broken);
    expect(refused.status).toBe(200);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ field: `changes.${recordedIndex}.data.cell.current.id`, message: expect.stringContaining('00000000-0000-4000-8000-000000000000') }),
    ]);
  });
});
