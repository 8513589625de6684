import type { PlanDocument } from '@parley/contracts';
import { record } from './figures';
import { call, changeLogSeqs, installation, rng, sleep, stage, startNode, type Answer, type Driver, type Installation, type Stage } from './harness';

const WRITERS = 8;
const KILLS = 5;
const DOCUMENTS = 3;

/** One write of a plan version: provisions edited in place, or a new version copied from one. */
interface Op {
  key: string;
  kind: 'edit' | 'copy';
  documentId: string;
  final: Answer;
}

describe.each<Driver>(['sqlite', 'postgres'])('SIGKILL while plan versions are copied and edited (%s)', (driver) => {
  let inst: Installation;
  let s: Stage;

  beforeAll(async () => {
    inst = await installation(driver);
    s = await stage(await startNode(inst, `api-documents-${driver}`));
  });

  afterAll(async () => {
    await s?.node.stop('SIGKILL');
    await inst?.drop();
  });

  it(`loses no acknowledged edit and half-writes none across ${KILLS} kills of ${WRITERS} writers`, async () => {
    const random = rng(driver === 'sqlite' ? 0xd0c1 : 0xd0c2);
    const base = `/api/negotiations/${s.negotiationId}`;
    const documentIds: string[] = [];
    for (let i = 0; i < DOCUMENTS; i++) {
      const made = await call(s.node.url, 'POST', `${base}/documents`, {
        token: s.token,
        body: { title: `Version ${i}`, publishedAt: '2025-11-20', provisions: s.points.map((pointId, k) => ({ pointId, number: String(k + 1), text: `start ${k}` })) },
      });
      expect(made.status).toBe(201);
      documentIds.push(made.body.id);
    }
    const head0 = (await call(s.node.url, 'GET', base, { token: s.token })).body.seq as number;

    const ops: Op[] = [];
    let stop = false;
    const writer = async (w: number) => {
      for (let n = 0; !stop; n++) {
        const key = `documents-${driver}-w${w}-${n}`;
        const documentId = documentIds[Math.floor(random() * DOCUMENTS)];
        const copy = random() < 0.1;
        const op: Op = { key, kind: copy ? 'copy' : 'edit', documentId, final: { status: 0, body: undefined } };
        ops.push(op);
        if (copy) {
          op.final = await call(s.node.url, 'POST', `${base}/documents`, { token: s.token, body: { title: key, publishedAt: '2025-12-01', basedOn: documentId } });
        } else {
          // Two provisions swap numbers and one is reworded: only the whole edit is a valid document.
          const [a, b] = [Math.floor(random() * s.points.length), Math.floor(random() * s.points.length)];
          const doc = (await call(s.node.url, 'GET', `${base}/documents/${documentId}`, { token: s.token })).body as PlanDocument | undefined;
          const numberOf = (pointId: string) => doc?.provisions.find((p) => p.pointId === pointId)?.number;
          const set =
            a === b || !doc
              ? [{ pointId: s.points[a], text: key }]
              : [
                  { pointId: s.points[a], number: numberOf(s.points[b]), text: key },
                  { pointId: s.points[b], number: numberOf(s.points[a]) },
                ];
          op.final = await call(s.node.url, 'PATCH', `${base}/documents/${documentId}/provisions`, { token: s.token, body: { set, ...(doc ? { expectedVersion: doc.version } : {}) } });
        }
        if (op.final.status === 0) await sleep(20);
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
    let kills = 0;
    for (let k = 0; k < KILLS; k++) {
      await sleep(400 + Math.floor(random() * 1200));
      expect((await s.node.stop('SIGKILL')).signal).toBe('SIGKILL');
      kills++;
      await sleep(Math.floor(random() * 200));
      await s.node.start();
    }
    await sleep(500);
    stop = true;
    await Promise.all(writers);

    // 409: another writer's edit came first (expectedVersion). Nothing else but no answer (killed).
    const odd = ops.filter((o) => ![0, 200, 201, 409].includes(o.final.status));
    expect(odd.map((o) => `${o.key}: ${o.final.status} ${JSON.stringify(o.final.body)}`)).toEqual([]);
    const acked = ops.filter((o) => o.final.status === 200 || o.final.status === 201);
    expect(acked.filter((o) => o.kind === 'edit').length).toBeGreaterThan(0);

    const probe = await inst.probe();
    try {
      const log = await changeLogSeqs(probe, s.negotiationId);
      expect(log.map((l) => l.seq)).toEqual(Array.from({ length: log.length }, (_, i) => i + 1));
      const after = log.filter((l) => l.seq > head0);
      expect(after.filter((l) => l.kind !== 'document.updated' && l.kind !== 'document.created')).toEqual([]);
      const problems: string[] = [];
      const documents = (await call(s.node.url, 'GET', `${base}/documents`, { token: s.token })).body as PlanDocument[];
      for (const doc of documents) {
        // A document's version counts its changes; its provisions are whole: every point once, numbers distinct.
        const changes = log.filter((l) => l.entityId === doc.id);
        if (doc.version !== changes.length) problems.push(`${doc.title}: version ${doc.version}, ${changes.length} changes`);
        const numbers = new Set(doc.provisions.map((p) => p.number));
        if (doc.provisions.length !== s.points.length || numbers.size !== s.points.length) problems.push(`${doc.title}: provisions ${JSON.stringify(doc.provisions)}`);
        const [last] = await probe.query<{ data: string }>('SELECT data FROM change_log WHERE negotiation_id = ? AND seq = ?', [s.negotiationId, changes.at(-1)?.seq ?? 0]);
        if (JSON.stringify((JSON.parse(last.data) as PlanDocument).provisions) !== JSON.stringify(doc.provisions)) problems.push(`${doc.title}: provisions differ from its last change`);
        // The plan's history: one version per change, written in its transaction, the last one the document as it is.
        const versions = await probe.query<{ seq: number | string; data: string }>('SELECT seq, data FROM plan_versions WHERE entity_id = ? ORDER BY seq', [doc.id]);
        const versionSeqs = versions.map((v) => Number(v.seq));
        if (JSON.stringify(versionSeqs) !== JSON.stringify(changes.map((c) => c.seq))) problems.push(`${doc.title}: versions at ${versionSeqs.join(',')}, changes at ${changes.map((c) => c.seq).join(',')}`);
        const latest = versions.at(-1);
        if (!latest || JSON.stringify((JSON.parse(latest.data) as PlanDocument).provisions) !== JSON.stringify(doc.provisions)) problems.push(`${doc.title}: provisions differ from its last version`);
      }
      // Every acknowledged edit is in the log (its text in the change it made, and in later ones until
      // reworded); every acknowledged copy exists.
      for (const op of acked) {
        if (op.kind === 'copy' && !documents.some((d) => d.title === op.key)) problems.push(`${op.key}: acknowledged copy missing`);
        if (op.kind === 'edit') {
          const found = await probe.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM change_log WHERE negotiation_id = ? AND kind = 'document.updated' AND data LIKE ?`, [s.negotiationId, `%"${op.key}"%`]);
          if (Number(found[0].n) === 0) problems.push(`${op.key}: acknowledged edit in no change`);
        }
      }
      expect(problems).toEqual([]);
      record(`crash while editing plan versions (${driver})`, { kills, writesSent: ops.length, writesAcknowledged: acked.length, conflicts: ops.filter((o) => o.final.status === 409).length, lost: 0 });
    } finally {
      await probe.close();
    }
  });
});
