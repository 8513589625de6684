import { createHash } from 'node:crypto';
import PDFDocument from 'pdfkit';
import { record } from './figures';
import { call, changeLogSeqs, installation, rng, sleep, stage, startNode, type Answer, type Driver, type Installation, type Stage } from './harness';

const WRITERS = 8;
const KILLS = 5;
const SOURCES = 6;

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function pdfOf(line: string): Promise<Buffer> {
  return new Promise((resolve) => {
    const doc = new PDFDocument({ size: 'A6' });
    const parts: Buffer[] = [];
    doc.on('data', (b: Buffer) => parts.push(b));
    doc.on('end', () => resolve(Buffer.concat(parts)));
    doc.text(line);
    doc.end();
  });
}

/** One archived copy sent: its bytes (unique, so its SHA-256 names it) and the last answer. */
interface Op {
  key: string;
  sourceId: string;
  body: Buffer;
  pdf: boolean;
  final: Answer;
}

describe.each<Driver>(['sqlite', 'postgres'])('SIGKILL while archived copies are attached (%s)', (driver) => {
  let inst: Installation;
  let s: Stage;

  beforeAll(async () => {
    inst = await installation(driver);
    s = await stage(await startNode(inst, `api-archive-${driver}`));
  });

  afterAll(async () => {
    await s?.node.stop('SIGKILL');
    await inst?.drop();
  });

  it(`loses no acknowledged copy and half-writes none across ${KILLS} kills of ${WRITERS} writers (the built app reads PDFs)`, async () => {
    const random = rng(driver === 'sqlite' ? 0xa4c1 : 0xa4c2);
    const base = `/api/negotiations/${s.negotiationId}`;
    const sourceIds: string[] = [];
    for (let i = 0; i < SOURCES; i++) {
      const made = await call(s.node.url, 'POST', `${base}/sources`, { token: s.token, body: { outlet: 'Faults', title: `Archived ${i}` } });
      expect(made.status).toBe(201);
      sourceIds.push(made.body.id);
    }
    const head0 = (await call(s.node.url, 'GET', base, { token: s.token })).body.seq as number;

    const ops: Op[] = [];
    let stop = false;
    const writer = async (w: number) => {
      for (let n = 0; !stop; n++) {
        const key = `archive:${driver}:w${w}-${n}`;
        const pdf = random() < 0.15;
        const body = pdf ? await pdfOf(key) : Buffer.from(`${key}\nЗапоріжжя — a copy\n`, 'utf8');
        const op: Op = { key, sourceId: sourceIds[Math.floor(random() * SOURCES)], body, pdf, final: { status: 0, body: undefined } };
        ops.push(op);
        op.final = await call(s.node.url, 'PUT', `${base}/sources/${op.sourceId}/archive`, { token: s.token, raw: body, headers: { 'content-type': pdf ? 'application/pdf' : 'text/plain; charset=utf-8' } });
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

    const odd = ops.filter((o) => o.final.status !== 0 && o.final.status !== 200);
    expect(odd.map((o) => `${o.key}: ${o.final.status} ${JSON.stringify(o.final.body)}`)).toEqual([]);
    const acked = ops.filter((o) => o.final.status === 200);
    expect(acked.some((o) => o.pdf)).toBe(true);

    const probe = await inst.probe();
    try {
      const rows = await probe.query<{ id: string; source_id: string; sha256: string; size: number | string; archived_at: number | string }>(
        'SELECT id, source_id, sha256, size, archived_at FROM source_archives WHERE negotiation_id = ? ORDER BY archived_at, id',
        [s.negotiationId],
      );
      const stored = new Map(rows.map((r) => [r.sha256, r]));
      const problems: string[] = [];
      for (const op of ops) {
        const row = stored.get(sha(op.body));
        if (op.final.status === 200 && !row) problems.push(`${op.key}: acknowledged but missing`);
        if (row && (row.source_id !== op.sourceId || Number(row.size) !== op.body.length)) problems.push(`${op.key}: stored for another source or size`);
        if (op.final.status === 200 && op.final.body.archive.sha256 !== sha(op.body)) problems.push(`${op.key}: acknowledged another copy`);
      }
      expect(rows.length).toBe(stored.size);
      const known = new Set(ops.map((o) => sha(o.body)));
      for (const r of rows) if (!known.has(r.sha256)) problems.push(`unknown copy ${r.sha256}`);
      expect(problems).toEqual([]);

      // Each stored copy has its change, and nothing else was written: the log is gap-free, and a
      // source's version is 1 + its copies.
      const log = await changeLogSeqs(probe, s.negotiationId);
      expect(log.map((l) => l.seq)).toEqual(Array.from({ length: log.length }, (_, i) => i + 1));
      const after = log.filter((l) => l.seq > head0);
      expect(after.every((l) => l.kind === 'source.updated')).toBe(true);
      expect(after.length).toBe(rows.length);
      for (const id of sourceIds) {
        const source = (await call(s.node.url, 'GET', `${base}/sources/${id}`, { token: s.token })).body;
        const mine = rows.filter((r) => r.source_id === id);
        expect({ id, version: source.version }).toEqual({ id, version: 1 + mine.length });
        if (mine.length === 0) continue;
        const latest = mine.at(-1)!;
        expect(source.archive.sha256).toBe(latest.sha256);
        // The text served is that of the latest copy (a PDF's read by pdf.js in the built app).
        const op = ops.find((o) => sha(o.body) === latest.sha256)!;
        const text = await fetch(`${s.node.url}${base}/sources/${id}/archive`, { headers: { authorization: `Bearer ${s.token}` } });
        expect(await text.text()).toContain(op.key);
      }
      record(`crash while archiving (${driver})`, { kills, copiesSent: ops.length, copiesAcknowledged: acked.length, pdfsAcknowledged: acked.filter((o) => o.pdf).length, lost: 0 });
    } finally {
      await probe.close();
    }
  });
});
