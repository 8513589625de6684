import type { CarryStancesResult } from '@parley/contracts';
import { record } from './figures';
import { call, changeLogSeqs, installation, rng, sleep, stage, startNode, stanceBody, type Answer, type Driver, type Installation, type Stage } from './harness';

const WRITERS = 6;
const KILLS = 4;
const MERGED = 60;

/**
 * Carrying stances to split and merged points (issue 18, item 6) while the node is SIGKILLed: a
 * carry is all or nothing (every party's stance on the point, or none), an acknowledged one is never
 * lost, and a carry asked again after a kill never records a stance twice.
 */
describe.each<Driver>(['sqlite', 'postgres'])('SIGKILL while parents\' stances are carried (%s)', (driver) => {
  let inst: Installation;
  let s: Stage;

  beforeAll(async () => {
    inst = await installation(driver);
    s = await stage(await startNode(inst, `api-lineage-${driver}`));
  });

  afterAll(async () => {
    await s?.node.stop('SIGKILL');
    await inst?.drop();
  });

  it(`carries every merged point exactly once across ${KILLS} kills of ${WRITERS} writers`, async () => {
    const random = rng(driver === 'sqlite' ? 0x11e1 : 0x11e2);
    const base = `/api/negotiations/${s.negotiationId}`;
    // Every party holds the same position on every parent point: no choice is needed.
    const batch = s.parties.flatMap((partyId) => s.points.map((pointId) => stanceBody(partyId, pointId, 'parent')));
    expect((await call(s.node.url, 'POST', `${base}/stances/batch`, { token: s.token, body: { events: batch } })).status).toBe(201);
    const merged: string[] = [];
    for (let i = 0; i < MERGED; i++) {
      const [a, b] = [s.points[i % s.points.length], s.points[(i + 1) % s.points.length]];
      const made = await call(s.node.url, 'POST', `${base}/points`, {
        token: s.token,
        body: { title: `Merged ${i}`, category: 'political', derivedFrom: [{ pointId: a, kind: 'merge' }, { pointId: b, kind: 'merge' }] },
      });
      expect(made.status).toBe(201);
      merged.push(made.body.id);
    }

    const answers: { pointId: string; final: Answer }[] = [];
    const queue = [...merged];
    let stop = false;
    const writer = async () => {
      while (!stop) {
        const pointId = queue.shift();
        if (pointId === undefined) {
          await sleep(20);
          continue;
        }
        const final = await call(s.node.url, 'POST', `${base}/points/${pointId}/carry-stances`, { token: s.token, body: {} });
        answers.push({ pointId, final });
        // No answer (killed): asked again later, as an analyst would.
        if (final.status === 0) {
          queue.push(pointId);
          await sleep(100);
        }
      }
    };
    const writers = Array.from({ length: WRITERS }, () => writer());
    let kills = 0;
    for (let k = 0; k < KILLS; k++) {
      await sleep(300 + Math.floor(random() * 900));
      expect((await s.node.stop('SIGKILL')).signal).toBe('SIGKILL');
      kills++;
      await sleep(Math.floor(random() * 200));
      await s.node.start();
    }
    while (queue.length > 0) await sleep(50);
    stop = true;
    await Promise.all(writers);

    const odd = answers.filter((a) => ![0, 201].includes(a.final.status));
    expect(odd.map((a) => `${a.pointId}: ${a.final.status} ${JSON.stringify(a.final.body)}`)).toEqual([]);
    const acked = answers.filter((a) => a.final.status === 201);
    const recordedIds = new Set(acked.flatMap((a) => (a.final.body as CarryStancesResult).items.flatMap((i) => (i.event ? [i.event.id] : []))));

    const probe = await inst.probe();
    try {
      const log = await changeLogSeqs(probe, s.negotiationId);
      expect(log.map((l) => l.seq)).toEqual(Array.from({ length: log.length }, (_, i) => i + 1));
      const problems: string[] = [];
      for (const pointId of merged) {
        // Every party carried once: never twice (a repeat is skipped), never some parties only.
        const rows = await probe.query<{ party_id: string; id: string; note: string }>('SELECT party_id, id, note FROM stance_events WHERE point_id = ?', [pointId]);
        const parties = rows.map((r) => r.party_id).sort();
        if (JSON.stringify(parties) !== JSON.stringify([...s.parties].sort())) problems.push(`${pointId}: parties ${JSON.stringify(parties)}`);
        if (rows.some((r) => !r.note.startsWith('Carried from '))) problems.push(`${pointId}: a note without its origin`);
      }
      // Every acknowledged carried event is stored.
      const stored = new Set((await probe.query<{ id: string }>('SELECT id FROM stance_events WHERE negotiation_id = ?', [s.negotiationId])).map((r) => r.id));
      for (const id of recordedIds) if (!stored.has(id)) problems.push(`acknowledged event ${id} lost`);
      expect(problems).toEqual([]);
      record(`crash while carrying stances (${driver})`, { kills, carriesSent: answers.length, carriesAcknowledged: acked.length, eventsAcknowledged: recordedIds.size, lost: 0 });
    } finally {
      await probe.close();
    }
  });
});
