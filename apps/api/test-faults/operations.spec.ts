import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LIVE_PATH, type ClosingNotice } from '@parley/contracts';
import { io } from 'socket.io-client';
import { record } from './figures';
import {
  allChanges,
  call,
  changeLogSeqs,
  fingerprint,
  installation,
  login,
  projectionMismatches,
  sleep,
  stage,
  stanceBody,
  startNode,
  type Answer,
  type Driver,
  type Installation,
  type Stage,
} from './harness';

const CLI = path.resolve(__dirname, '../../../dist/api/apps/api/src/cli.js');

/** The built command line (what `npm run parley -- …` runs after building). */
function cli(env: Record<string, string>, ...args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...env, LOG_LEVEL: 'warn' } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, output: stdout + stderr });
    });
  });
}

/** What a reader sees of a negotiation through the API: equal views = an equal installation. */
async function view(base: string, token: string, negotiationId: string): Promise<unknown> {
  const n = await call(base, 'GET', `/api/negotiations/${negotiationId}`, { token });
  const matrix = await call(base, 'GET', `/api/negotiations/${negotiationId}/matrix`, { token });
  const parties = await call(base, 'GET', `/api/negotiations/${negotiationId}/parties`, { token });
  return { negotiation: n.body, matrix: matrix.body, parties: parties.body, changes: await allChanges(base, negotiationId, token) };
}

describe.each<Driver>(['sqlite', 'postgres'])('operations (%s)', (driver) => {
  let inst: Installation;
  let s: Stage;

  beforeAll(async () => {
    inst = await installation(driver);
    s = await stage(await startNode(inst, `api-ops-${driver}`));
  });

  beforeEach(async () => {
    if (s.node.alive) return;
    await s.node.start();
    s.token = await login(s.node.url);
  });

  afterAll(async () => {
    await s?.node.stop('SIGKILL');
    await inst?.drop();
  });

  it('SIGTERM under write load: viewers are told why, in-flight writes finish, the process exits 0, and every acknowledged write is there after the restart', async () => {
    const base = `/api/negotiations/${s.negotiationId}`;
    const viewer = io(s.node.url, { path: LIVE_PATH, transports: ['websocket'], reconnection: false, auth: { token: s.token } });
    const notices: ClosingNotice[] = [];
    let disconnectedAfterNotice = false;
    viewer.on('closing', (n) => notices.push(n));
    viewer.on('disconnect', () => (disconnectedAfterNotice = notices.length > 0));
    await new Promise<void>((resolve) => viewer.once('connect', () => resolve()));

    const outcomes: { note: string; answer: Answer }[] = [];
    let unanswered = 0;
    const writer = async (w: number) => {
      for (let n = 0; unanswered < 64; n++) {
        const note = `term:${driver}:${w}:${n}`;
        const answer = await call(s.node.url, 'POST', `${base}/stances`, { token: s.token, body: stanceBody(s.parties[w % 4], s.points[n % 6], note) });
        outcomes.push({ note, answer });
        if (answer.status === 0) unanswered++;
      }
    };
    const writers = Array.from({ length: 32 }, (_, w) => writer(w));
    await sleep(1_000);
    const exit = await s.node.stop('SIGTERM');
    await Promise.all(writers);
    expect({ exit, output: exit.code === 0 ? '' : s.node.output.slice(-4000) }).toEqual({ exit: { code: 0, signal: null }, output: '' });
    expect(notices).toEqual([{ reason: 'shutdown', message: expect.stringMatching(/shutting down/) }]);
    expect(disconnectedAfterNotice).toBe(true);
    viewer.close();

    // During the shutdown a write is acknowledged, refused with a 503, or not answered: never a 500.
    expect(outcomes.filter((o) => ![0, 201, 503].includes(o.answer.status)).map((o) => `${o.answer.status} ${JSON.stringify(o.answer.body)}`)).toEqual([]);
    await s.node.start();
    s.token = await login(s.node.url);
    const notes = new Map<string, number>();
    for (const c of await allChanges(s.node.url, s.negotiationId, s.token)) notes.set(c.event.note ?? '', (notes.get(c.event.note ?? '') ?? 0) + 1);
    const acked = outcomes.filter((o) => o.answer.status === 201);
    expect(acked.length).toBeGreaterThan(0);
    expect(acked.filter((o) => notes.get(o.note) !== 1).map((o) => o.note)).toEqual([]);
    // A 503 means nothing was written.
    expect(outcomes.filter((o) => o.answer.status === 503 && notes.has(o.note)).map((o) => o.note)).toEqual([]);
    record(`graceful shutdown (${driver})`, { sigterms: 1, writesAcknowledged: acked.length, writesChecked: outcomes.length, lost: 0 });
  });

  it('backs up online, restores only into an empty installation, and the restored one reads the same', async () => {
    const dir = fs.mkdtempSync(path.join(inst.dir, 'backups-'));
    const quiet = path.join(dir, driver === 'sqlite' ? 'quiet.sqlite' : 'quiet.json');
    const base = `/api/negotiations/${s.negotiationId}`;
    const retract = await call(s.node.url, 'POST', `${base}/stances`, { token: s.token, body: stanceBody(s.parties[0], s.points[0], 'to be retracted') });
    expect((await call(s.node.url, 'POST', `/api/stance-events/${retract.body.event.id}/retract`, { token: s.token, body: { reason: 'wrong source' } })).status).toBe(201);

    // 1. A quiet backup, restored: the same rows and the same API reads.
    const made = await cli(inst.env, 'backup', quiet);
    expect(made).toMatchObject({ code: 0, output: expect.stringMatching(/^Backed up to .*stance_events/) });
    // It holds password and token hashes: readable by its owner only.
    expect((fs.statSync(quiet).mode & 0o777).toString(8)).toBe('600');
    const target = await installation(driver);
    try {
      const restored = await cli(target.env, 'restore', quiet);
      expect(restored).toMatchObject({ code: 0, output: expect.stringMatching(/^Restored from/) });
      const [a, b] = [await inst.probe(), await target.probe()];
      try {
        expect(await fingerprint(b, driver)).toEqual(await fingerprint(a, driver));
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
      const node = await startNode(target, `api-restored-${driver}`);
      try {
        expect(await view(node.url, await login(node.url), s.negotiationId)).toEqual(await view(s.node.url, s.token, s.negotiationId));
      } finally {
        await node.stop();
      }
      // A second restore into what is now a non-empty installation is refused and changes nothing.
      const again = await cli(target.env, 'restore', quiet);
      expect(again).toMatchObject({ code: 1, output: expect.stringMatching(/Refusing to restore into a non-empty installation/) });
    } finally {
      await target.drop();
    }

    // 2. A backup taken while 16 writers go on: consistent, and a prefix of the live history.
    let stop = false;
    let written = 0;
    const writers = Array.from({ length: 16 }, async (_, w) => {
      for (let n = 0; !stop; n++) {
        const res = await call(s.node.url, 'POST', `${base}/stances`, { token: s.token, body: stanceBody(s.parties[w % 4], s.points[n % 6], `online:${w}:${n}`) });
        if (res.status === 201) written++;
      }
    });
    await sleep(300);
    const busy = path.join(dir, driver === 'sqlite' ? 'busy.sqlite' : 'busy.json');
    const madeBusy = await cli(inst.env, 'backup', busy);
    stop = true;
    await Promise.all(writers);
    expect(madeBusy.code).toBe(0);
    const target2 = await installation(driver);
    try {
      expect((await cli(target2.env, 'restore', busy)).code).toBe(0);
      const probe = await target2.probe();
      let head: number;
      try {
        const log = await changeLogSeqs(probe, s.negotiationId);
        head = log.length;
        expect(log.map((l) => l.seq)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
        expect(await projectionMismatches(probe)).toEqual([]);
      } finally {
        await probe.close();
      }
      const node = await startNode(target2, `api-restored2-${driver}`);
      try {
        const restoredChanges = await allChanges(node.url, s.negotiationId, await login(node.url));
        const liveChanges = await allChanges(s.node.url, s.negotiationId, s.token);
        expect(restoredChanges).toEqual(liveChanges.filter((c) => c.seq <= head));
        expect(liveChanges.length).toBeGreaterThan(restoredChanges.length);
      } finally {
        await node.stop();
      }
    } finally {
      await target2.drop();
    }
    record(`backup and restore (${driver})`, { restores: 2, writesDuringBackup: written });
  });
});
