import type { ChangeEntry } from '@parley/contracts';
import { LiveClient } from '@parley/live-client';
import { record } from './figures';
import {
  POSITIONS,
  allChanges,
  call,
  changeLogSeqs,
  installation,
  projectionMismatches,
  rng,
  sleep,
  stage,
  stanceBody,
  startNode,
  until,
  type Answer,
  type Driver,
  type Installation,
  type Stage,
} from './harness';

const WRITERS = 32;
const KILLS = 12;

/** One logical write: a stance or a batch, each item carrying a note that names it. */
interface Op {
  key: string;
  notes: string[];
  batch: boolean;
  /** The last answer: 2xx = acknowledged; anything else (or 0 = no answer) = not. */
  final: Answer;
  /** Event ids the acknowledgement returned. */
  eventIds: string[];
  retries: number;
  /** The URL of the new source its items cite inline (created in the same transaction), if any. */
  sourceUrl: string | null;
}

describe.each<Driver>(['sqlite', 'postgres'])('SIGKILL during a write burst (%s)', (driver) => {
  let inst: Installation;
  let s: Stage;

  beforeAll(async () => {
    inst = await installation(driver);
    s = await stage(await startNode(inst, `api-${driver}`));
  });

  afterAll(async () => {
    await s?.node.stop('SIGKILL');
    await inst?.drop();
  });

  it(`loses no acknowledged write and half-writes nothing across ${KILLS} kills of ${WRITERS} concurrent writers; viewers end with the exact history`, async () => {
    const random = rng(driver === 'sqlite' ? 0x5eed1 : 0x5eed2);
    const base = `/api/negotiations/${s.negotiationId}`;
    const head0 = (await call(s.node.url, 'GET', base, { token: s.token })).body.seq as number;

    // Viewers stay connected through every kill and restart (the node comes back on the same port).
    const viewers = Array.from({ length: 3 }, () => {
      const client = new LiveClient({ url: s.node.url, negotiationId: s.negotiationId, sinceSeq: head0, token: s.token, gapTimeoutMs: 300 });
      const seen: ChangeEntry[] = [];
      let backwards = 0;
      client.on('change', (e) => {
        if (seen.length > 0 && e.seq !== seen[seen.length - 1].seq + 1) backwards++;
        seen.push(e);
      });
      client.start();
      return { client, seen, backwards: () => backwards };
    });
    await until('viewers live', () => viewers.every((v) => v.client.state === 'live'));

    const ops: Op[] = [];
    let stop = false;
    const writer = async (w: number) => {
      for (let n = 0; !stop; n++) {
        const key = `w${w}-${n}`;
        const batch = random() < 0.3;
        const size = batch ? 2 + Math.floor(random() * 4) : 1;
        const notes = Array.from({ length: size }, (_, i) => `fault:${driver}:${key}:${i}`);
        // A fifth of the writes cite a source not seen before: it is created in the stance write's transaction.
        const sourceUrl = random() < 0.2 ? `https://faults.example/${driver}/${key}` : null;
        const items = notes.map((note) =>
          stanceBody(s.parties[Math.floor(random() * s.parties.length)], s.points[Math.floor(random() * s.points.length)], note, {
            position: POSITIONS[Math.floor(random() * POSITIONS.length)],
            effectiveAt: `2025-12-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`,
            ...(sourceUrl ? { source: { outlet: 'Faults', url: sourceUrl } } : {}),
          }),
        );
        const op: Op = { key, notes, batch, final: { status: 0, body: undefined }, eventIds: [], retries: 0, sourceUrl };
        ops.push(op);
        // Half of the unanswered writes are retried with the same Idempotency-Key once the node is
        // back (as a careful client would); the others are abandoned.
        const retryUnanswered = random() < 0.5;
        for (;;) {
          op.final = batch
            ? await call(s.node.url, 'POST', `${base}/stances/batch`, { token: s.token, body: { events: items }, headers: { 'idempotency-key': key } })
            : await call(s.node.url, 'POST', `${base}/stances`, { token: s.token, body: items[0], headers: { 'idempotency-key': key } });
          if (op.final.status !== 0 || !retryUnanswered || stop) break;
          op.retries++;
          await sleep(50);
        }
        if (op.final.status >= 200 && op.final.status < 300) {
          op.eventIds = batch ? op.final.body.results.map((r: { event: { id: string } }) => r.event.id) : [op.final.body.event.id];
        } else if (op.final.status === 0) {
          await sleep(20);
        }
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));

    let kills = 0;
    for (let k = 0; k < KILLS; k++) {
      await sleep(300 + Math.floor(random() * 1200));
      const exit = await s.node.stop('SIGKILL');
      expect(exit.signal).toBe('SIGKILL');
      kills++;
      await sleep(Math.floor(random() * 200));
      await s.node.start();
    }
    await sleep(500);
    stop = true;
    await Promise.all(writers);

    // Every answer was a success or no answer at all: a kill must never surface as a 5xx or a 4xx.
    const odd = ops.filter((o) => o.final.status !== 0 && (o.final.status < 200 || o.final.status >= 300));
    expect(odd.map((o) => `${o.key}: ${o.final.status} ${JSON.stringify(o.final.body)}`)).toEqual([]);

    const changes = await allChanges(s.node.url, s.negotiationId, s.token);
    const byNote = new Map<string, string[]>();
    for (const c of changes) {
      const note = c.event.note ?? '';
      byNote.set(note, [...(byNote.get(note) ?? []), c.event.id]);
    }
    const acked = ops.filter((o) => o.final.status >= 200 && o.final.status < 300);
    const problems: string[] = [];
    for (const op of ops) {
      const present = op.notes.map((note) => byNote.get(note) ?? []);
      if (present.some((ids) => ids.length > 1)) problems.push(`${op.key}: recorded more than once`);
      if (op.final.status >= 200 && op.final.status < 300) {
        if (present.some((ids) => ids.length !== 1)) problems.push(`${op.key}: acknowledged but missing`);
        else if (present.map((ids) => ids[0]).join() !== op.eventIds.join()) problems.push(`${op.key}: other event ids than acknowledged`);
      } else {
        const count = present.filter((ids) => ids.length > 0).length;
        if (count !== 0 && count !== op.notes.length) problems.push(`${op.key}: half-written (${count} of ${op.notes.length})`);
      }
    }
    const known = new Set(ops.flatMap((o) => o.notes));
    for (const note of byNote.keys()) if (!known.has(note)) problems.push(`unknown event with note ${note}`);
    // A source created by a write exists exactly when its events do, once, and they cite it.
    const sources = (await call(s.node.url, 'GET', `${base}/sources`, { token: s.token })).body as { id: string; url: string | null }[];
    const citing = new Map(changes.map((c) => [c.event.id, (c.event as { source?: { id: string | null } }).source?.id ?? null]));
    for (const op of ops.filter((o) => o.sourceUrl !== null)) {
      const made = sources.filter((x) => x.url === op.sourceUrl);
      const events = op.notes.flatMap((note) => byNote.get(note) ?? []);
      if (made.length !== (events.length > 0 ? 1 : 0)) problems.push(`${op.key}: ${made.length} sources for ${events.length} events`);
      else if (events.some((id) => citing.get(id) !== made[0]?.id)) problems.push(`${op.key}: its events do not cite its source`);
    }
    expect(problems).toEqual([]);

    // Sequence numbers: gap-free from 1 in the change log, and the stance changes from the API follow
    // the set-up changes without a gap (only stances were written after the set-up).
    const probe = await inst.probe();
    try {
      const log = await changeLogSeqs(probe, s.negotiationId);
      expect(log.map((l) => l.seq)).toEqual(Array.from({ length: log.length }, (_, i) => i + 1));
      const head = (await call(s.node.url, 'GET', base, { token: s.token })).body.seq as number;
      expect(head).toBe(log.length);
      // The stance changes, and the sources their writes created, follow the set-up without a gap.
      expect(log.filter((l) => l.seq > head0).map((l) => l.kind).filter((k) => !k.startsWith('stance.') && k !== 'source.created')).toEqual([]);
      expect(changes.map((c) => c.seq)).toEqual(log.filter((l) => l.seq > head0 && l.kind.startsWith('stance.')).map((l) => l.seq));
      expect(log.at(-1)?.seq).toBe(head);
      expect(await projectionMismatches(probe)).toEqual([]);
      if (driver === 'sqlite') expect(await probe.query('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);

      // Viewers: exactly the server's list after their snapshot, in order, never a step back.
      await until('viewers caught up', () => viewers.every((v) => v.client.lastSeq === head)).catch((err: Error) => {
        throw new Error(`${err.message} to ${head}: ${viewers.map((v) => `${v.client.state} at ${v.client.lastSeq}`).join(', ')}`);
      });
      for (const v of viewers) {
        expect(v.backwards()).toBe(0);
        expect(v.seen.map((e) => `${e.seq}:${e.entityId}`)).toEqual(log.filter((l) => l.seq > head0).map((l) => `${l.seq}:${l.entityId}`));
      }
      record(`crash during writes (${driver})`, {
        kills,
        writesChecked: ops.length,
        writesAcknowledged: acked.length,
        eventsChecked: changes.length,
        unansweredRetried: ops.filter((o) => o.retries > 0).length,
        viewerChangesChecked: viewers.reduce((n, v) => n + v.seen.length, 0),
        lost: 0,
      });
    } finally {
      await probe.close();
      await Promise.all(viewers.map((v) => v.client.close()));
    }
  });

  it('lets exactly one of 50 racing writers with the same expectedVersion win (the rest 409, no 5xx), and turns 20 racing retries of one Idempotency-Key into one event', async () => {
    const base = `/api/negotiations/${s.negotiationId}`;
    const [party] = s.parties;
    const point = s.points[s.points.length - 1];
    const cell = await call(s.node.url, 'GET', `${base}/matrix`, { token: s.token });
    const row = cell.body.rows.find((r: { point: { id: string } }) => r.point.id === point);
    const version = (row.cells[party]?.version ?? 0) as number;
    const racers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        call(s.node.url, 'POST', `${base}/stances`, { token: s.token, body: stanceBody(party, point, `race:${driver}:${i}`, { expectedVersion: version }) }),
      ),
    );
    const statuses = racers.map((r) => r.status);
    expect(statuses.filter((x) => x === 201)).toHaveLength(1);
    expect(statuses.filter((x) => x === 409)).toHaveLength(49);
    for (const loser of racers.filter((r) => r.status === 409)) expect(loser.body.code).toBe('VERSION_CONFLICT');

    const key = `race-key-${driver}`;
    const retries = await Promise.all(
      Array.from({ length: 20 }, () =>
        call(s.node.url, 'POST', `${base}/stances`, { token: s.token, body: stanceBody(party, point, `idem:${driver}`), headers: { 'idempotency-key': key } }),
      ),
    );
    expect(retries.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(retries.map((r) => r.body.event.id)).size).toBe(1);
    const changes = await allChanges(s.node.url, s.negotiationId, s.token);
    expect(changes.filter((c) => c.event.note === `idem:${driver}`)).toHaveLength(1);
    expect(changes.filter((c) => c.event.note?.startsWith(`race:${driver}:`))).toHaveLength(1);
    record(`races (${driver})`, { racingWrites: 70, lost: 0 });
  });
});
