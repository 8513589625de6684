import { record } from './figures';
import {
  POSITIONS,
  call,
  changeLogSeqs,
  installation,
  projectionMismatches,
  rng,
  sleep,
  stage,
  stanceBody,
  startNode,
  type Answer,
  type Driver,
  type Installation,
  type Stage,
} from './harness';

const CORRECTIONS = 360;
const WRITERS = 8;
const KILLS = 6;

/** A cell a writer owns: the event in force and the version it was last told. */
interface Chain {
  partyId: string;
  pointId: string;
  eventId: string;
  version: number;
}

/** One correction sent, and what its writer was finally told. */
interface Sent {
  note: string;
  retracted: string;
  final: Answer;
  retries: number;
}

/*
 * Issue 18, item 3: SIGKILL while analysts correct stances under load. A correction retracts an
 * event and records the new one in one transaction and one change, so after any number of kills
 * every acknowledged correction is whole (its retraction and its new event both stored, at the
 * seq of one `stance.corrected` change) and no correction is half applied (a retraction without
 * its new event, or an event without its retraction). An unanswered correction is sent again with
 * the same Idempotency-Key: it either committed (the first answer, replayed) or did not (done now).
 */
describe.each<Driver>(['sqlite', 'postgres'])('SIGKILL during corrections (%s)', (driver) => {
  let inst: Installation;
  let s: Stage;

  beforeAll(async () => {
    inst = await installation(driver);
    s = await stage(await startNode(inst, `api-correct-${driver}`));
  });

  afterAll(async () => {
    await s?.node.stop('SIGKILL');
    await inst?.drop();
  });

  it(`keeps every acknowledged correction whole and none half applied across ${KILLS} kills of ${WRITERS} concurrent writers`, async () => {
    const random = rng(driver === 'sqlite' ? 0xc0e1 : 0xc0e2);
    const base = `/api/negotiations/${s.negotiationId}`;
    // One first event per cell; each writer then corrects its own cells, one after another.
    const cells = s.parties.flatMap((partyId) => s.points.map((pointId) => ({ partyId, pointId })));
    const first = await call(s.node.url, 'POST', `${base}/stances/batch`, { token: s.token, body: { events: cells.map((c, i) => stanceBody(c.partyId, c.pointId, `first:${i}`)) } });
    expect(first.status).toBe(201);
    const chains: Chain[] = first.body.results.map((r: { event: { id: string }; cell: { partyId: string; pointId: string; version: number } }) => ({
      partyId: r.cell.partyId, pointId: r.cell.pointId, eventId: r.event.id, version: r.cell.version,
    }));
    const head0 = (await call(s.node.url, 'GET', base, { token: s.token })).body.seq as number;

    const sent: Sent[] = [];
    let next = 0;
    let stop = false;
    const writer = async (w: number) => {
      const mine = chains.filter((_, i) => i % WRITERS === w);
      for (let step = 0; !stop; step++) {
        const i = next++;
        if (i >= CORRECTIONS) return;
        const chain = mine[step % mine.length];
        const note = `fix:${driver}:${i}`;
        const body = {
          ...stanceBody(chain.partyId, chain.pointId, note, { position: POSITIONS[i % POSITIONS.length] }),
          reason: `correction ${i}`,
          expectedVersion: chain.version,
        };
        const one: Sent = { note, retracted: chain.eventId, final: { status: 0, body: undefined }, retries: 0 };
        sent.push(one);
        for (;;) {
          one.final = await call(s.node.url, 'POST', `${base}/stances/${chain.eventId}/correct`, { token: s.token, body, headers: { 'idempotency-key': `k-${note}` } });
          if ((one.final.status !== 0 && one.final.status !== 503) || stop) break;
          one.retries++;
          await sleep(50);
        }
        if (one.final.status !== 201) return;
        chain.eventId = one.final.body.event.id;
        chain.version = one.final.body.cell.version;
      }
    };
    const running = Array.from({ length: WRITERS }, (_, w) => writer(w));
    let kills = 0;
    for (let k = 0; k < KILLS && next < CORRECTIONS; k++) {
      await sleep(50 + Math.floor(random() * 200));
      const exit = await s.node.stop('SIGKILL');
      expect(exit.signal).toBe('SIGKILL');
      kills++;
      await sleep(Math.floor(random() * 200));
      await s.node.start();
    }
    await Promise.all(running);
    stop = true;
    expect(kills).toBeGreaterThan(0);

    // Every correction answered 201 in the end (a retry after a kill: the first answer, replayed, or done now).
    const odd = sent.filter((x) => x.final.status !== 201);
    expect(odd.map((x) => `${x.note}: ${x.final.status} ${JSON.stringify(x.final.body)}`)).toEqual([]);
    expect(sent).toHaveLength(CORRECTIONS);

    const probe = await inst.probe();
    try {
      const log = await changeLogSeqs(probe, s.negotiationId);
      expect(log.map((l) => l.seq)).toEqual(Array.from({ length: log.length }, (_, i) => i + 1));
      const corrected = log.filter((l) => l.seq > head0);
      expect(corrected.map((l) => l.kind).every((k) => k === 'stance.corrected')).toBe(true);
      expect(corrected).toHaveLength(CORRECTIONS);
      const events = await probe.query<{ id: string; seq: number | string; note: string | null }>(
        'SELECT id, seq, note FROM stance_events WHERE negotiation_id = ? AND seq > ?',
        [s.negotiationId, head0],
      );
      const retractions = await probe.query<{ event_id: string; seq: number | string }>(
        'SELECT event_id, seq FROM stance_retractions WHERE negotiation_id = ?',
        [s.negotiationId],
      );
      const eventAt = new Map(events.map((e) => [Number(e.seq), e]));
      const retractionAt = new Map(retractions.map((r) => [Number(r.seq), r]));
      const problems: string[] = [];
      // No half: each correction's change has both its new event and its retraction, at its seq; nothing else.
      for (const c of corrected) {
        if (eventAt.get(c.seq)?.id !== c.entityId) problems.push(`change ${c.seq}: its new event is not stored`);
        if (!retractionAt.has(c.seq)) problems.push(`change ${c.seq}: its retraction is not stored`);
      }
      if (events.length !== CORRECTIONS) problems.push(`${events.length} new events for ${CORRECTIONS} corrections`);
      if (retractions.length !== CORRECTIONS) problems.push(`${retractions.length} retractions for ${CORRECTIONS} corrections`);
      // Whole and once: each acknowledged correction's new event (its note, once) and its retraction of the event it named.
      const byNote = new Map<string, { id: string; seq: number }[]>();
      for (const e of events) byNote.set(e.note ?? '', [...(byNote.get(e.note ?? '') ?? []), { id: e.id, seq: Number(e.seq) }]);
      for (const x of sent) {
        const stored = byNote.get(x.note) ?? [];
        if (stored.length !== 1) {
          problems.push(`${x.note}: ${stored.length} events`);
          continue;
        }
        if (stored[0].id !== x.final.body.event.id) problems.push(`${x.note}: acknowledged another event`);
        if (retractionAt.get(stored[0].seq)?.event_id !== x.retracted) problems.push(`${x.note}: the event it corrects is not retracted with it`);
      }
      expect(problems).toEqual([]);
      expect(await projectionMismatches(probe)).toEqual([]);
      if (driver === 'sqlite') expect(await probe.query('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    } finally {
      await probe.close();
    }
    record(`crash during corrections (${driver})`, {
      kills,
      correctionsChecked: sent.length,
      unansweredRetried: sent.filter((x) => x.retries > 0).length,
      lost: 0,
      halfApplied: 0,
    });
  });
});
