import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { record } from './figures';
import {
  ADMIN,
  ApiNode,
  allChanges,
  call,
  changeLogSeqs,
  freePort,
  installation,
  ownRoleDatabase,
  loggedErrors,
  projectionMismatches,
  sleep,
  stage,
  stanceBody,
  startNode,
  type Answer,
  type Installation,
  type OwnRoleDatabase,
  type Stage,
} from './harness';

/** Fills the file system holding `dir` until the kernel says it is full. */
function fill(dir: string): string {
  const file = path.join(dir, 'filler');
  const fd = fs.openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  }
  // The last partial chunk: byte by byte, so not even a page is left.
  try {
    for (;;) fs.writeSync(fd, chunk.subarray(0, 512));
  } catch {
    /* full */
  }
  fs.closeSync(fd);
  return file;
}

const ok = (a: Answer) => a.status >= 200 && a.status < 300;

describe('disk full (SQLite on a size-limited tmpfs)', () => {
  let dir: string;
  let inst: Installation;
  let s: Stage;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-tmpfs-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', dir]);
    inst = await installation('sqlite', {}, dir);
    s = await stage(await startNode(inst, 'api-diskfull'));
  });

  afterAll(async () => {
    await s?.node.stop('SIGKILL');
    if (dir) execFileSync('umount', ['-l', dir]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses writes with a clear 503 while the disk is full, keeps serving reads and the live socket, and takes writes again once space is freed', async () => {
    const base = `/api/negotiations/${s.negotiationId}`;
    const write = (note: string) => call(s.node.url, 'POST', `${base}/stances`, { token: s.token, body: stanceBody(s.parties[0], s.points[0], note) });
    const acknowledged: string[] = [];
    const refused: string[] = [];
    expect((await write('before-full')).status).toBe(201);
    acknowledged.push('before-full');

    const me = await call(s.node.url, 'GET', '/api/auth/me', { token: s.token });
    const adminId = (me.body as { user: { id: string } }).user.id;
    const created = await call(s.node.url, 'POST', '/api/auth/tokens', { token: s.token, body: { name: 'disk-full' } });
    expect(created.status).toBe(201);
    const apiToken = created.body as { id: string; token: string };

    const filler = fill(dir);
    // The WAL still has room for a few frames in its last pages; write until the disk says no.
    let first503: Answer | null = null;
    for (let i = 0; i < 500 && !first503; i++) {
      const res = await write(`full-${i}`);
      if (ok(res)) acknowledged.push(`full-${i}`);
      else {
        first503 = res;
        refused.push(`full-${i}`);
      }
    }
    expect(first503).toMatchObject({ status: 503, body: { statusCode: 503, error: 'Service Unavailable', code: 'UNAVAILABLE' } });
    expect(first503!.body.message).toMatch(/disk is full; nothing was changed/);
    expect(first503!.headers?.get('retry-after')).toBe('5');

    // The account writes while full: a sign-in counts its attempt before the password is checked, and
    // an admin revokes a user's API token. Each is done whole or answered 503 with nothing done.
    const login = await call(s.node.url, 'POST', '/api/auth/login', { body: { email: ADMIN.email, password: 'not-the-password' } });
    expect([401, 503]).toContain(login.status);
    const revokeWhileFull = await call(s.node.url, 'DELETE', `/api/users/${adminId}/tokens/${apiToken.id}`, { token: s.token });
    expect([200, 503]).toContain(revokeWhileFull.status);
    if (revokeWhileFull.status === 503) expect(revokeWhileFull.body).toMatchObject({ code: 'UNAVAILABLE' });
    const tokenWorks = (await call(s.node.url, 'GET', '/api/auth/me', { token: apiToken.token })).status;
    expect(tokenWorks).toBe(revokeWhileFull.status === 200 ? 401 : 200);

    // A burst while full: group commits that fail as a whole, every write told so.
    const burst = await Promise.all(Array.from({ length: 32 }, (_, i) => write(`burst-${i}`).then((r) => ({ note: `burst-${i}`, r }))));
    for (const { note, r } of burst) {
      expect([201, 503]).toContain(r.status);
      (ok(r) ? acknowledged : refused).push(note);
    }
    expect(refused.length).toBeGreaterThan(1);
    // A batch while full: all or nothing.
    const batch = await call(s.node.url, 'POST', `${base}/stances/batch`, {
      token: s.token,
      body: { events: [0, 1, 2].map((i) => stanceBody(s.parties[1], s.points[i], `batch-full-${i}`)) },
    });
    expect(batch.status).toBe(503);

    // Reads go on: the matrix, the changes, health, and a live viewer can join.
    expect((await call(s.node.url, 'GET', `${base}/matrix`, { token: s.token })).status).toBe(200);
    expect((await call(s.node.url, 'GET', `${base}/changes?sinceSeq=0`, { token: s.token })).status).toBe(200);
    expect((await call(s.node.url, 'GET', '/api/health')).status).toBe(200);
    expect(s.node.alive).toBe(true);

    fs.rmSync(filler);
    const after = await write('after-free');
    expect(after.status).toBe(201);
    // A revocation refused while full is made now; the token is revoked for good.
    expect((await call(s.node.url, 'DELETE', `/api/users/${adminId}/tokens/${apiToken.id}`, { token: s.token })).status).toBe(200);
    expect((await call(s.node.url, 'GET', '/api/auth/me', { token: apiToken.token })).status).toBe(401);
    acknowledged.push('after-free');

    const notes = (await allChanges(s.node.url, s.negotiationId, s.token)).map((c) => c.event.note ?? '');
    expect(notes.filter((n) => acknowledged.includes(n)).sort()).toEqual([...acknowledged].sort());
    expect(notes.filter((n) => (refused.includes(n) || n.startsWith('batch-full-')))).toEqual([]);
    const probe = await inst.probe();
    try {
      const log = await changeLogSeqs(probe, s.negotiationId);
      expect(log.map((l) => l.seq)).toEqual(Array.from({ length: log.length }, (_, i) => i + 1));
      expect(await projectionMismatches(probe)).toEqual([]);
      expect(await probe.query('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    } finally {
      await probe.close();
    }
    record('disk full (sqlite)', { diskFaults: 1, writesRefused503: refused.length + 1, writesChecked: acknowledged.length + refused.length + 3, lost: 0 });
  });

  it('stops with a message naming the database when the data folder is read-only at start-up, and starts again once it is writable', async () => {
    const exit = await s.node.stop('SIGTERM');
    expect(exit.code).toBe(0);
    execFileSync('mount', ['-o', 'remount,ro', dir]);
    const node = new ApiNode('api-readonly', await freePort(), inst.env);
    try {
      await expect(node.start()).rejects.toThrow(/cannot open the database .*parley\.sqlite.* for writing/i);
    } finally {
      await node.stop('SIGKILL');
      execFileSync('mount', ['-o', 'remount,rw', dir]);
    }
    await s.node.start();
    expect((await call(s.node.url, 'POST', `/api/negotiations/${s.negotiationId}/stances`, { token: s.token, body: stanceBody(s.parties[2], s.points[2], 'after-ro') })).status).toBe(201);
    record('read-only data folder (sqlite)', { diskFaults: 1, lost: 0 });
  });
});

describe('PostgreSQL connections dropped (terminated, then refused, then back)', () => {
  let db: OwnRoleDatabase;
  let s: Stage;

  beforeAll(async () => {
    db = await ownRoleDatabase('parley_faults');
    s = await stage(await startNode(db.installation, 'api-pgdrop'));
  });

  afterAll(async () => {
    await s?.node.stop('SIGKILL');
    await db?.drop();
  });

  it('answers 503 (never 500) while the database refuses the node, does not crash, and writes resume when it is back', async () => {
    const base = `/api/negotiations/${s.negotiationId}`;
    const acknowledged: string[] = [];
    const refused: string[] = [];
    let n = 0;
    let stop = false;
    const answers: number[] = [];
    const writer = async () => {
      while (!stop) {
        const note = `pg-${n++}`;
        const res = await call(s.node.url, 'POST', `${base}/stances`, { token: s.token, body: stanceBody(s.parties[n % 4], s.points[n % 6], note) });
        answers.push(res.status);
        (ok(res) ? acknowledged : refused).push(note);
        if (!ok(res)) await sleep(20);
      }
    };
    const writers = Array.from({ length: 16 }, () => writer());
    await sleep(500);
    expect(await db.refuse()).toBeGreaterThan(0);
    // While refused: a write and a read both get the one error shape with a 503.
    let down: Answer = { status: 0, body: undefined };
    for (let i = 0; i < 100 && down.status !== 503; i++) {
      down = await call(s.node.url, 'POST', `${base}/stances`, { token: s.token, body: stanceBody(s.parties[0], s.points[0], `down-${i}`) });
      if (ok(down)) acknowledged.push(`down-${i}`);
      else refused.push(`down-${i}`);
    }
    expect(down).toMatchObject({ status: 503, body: { code: 'UNAVAILABLE', message: expect.stringMatching(/database is unavailable/) } });
    expect((await call(s.node.url, 'GET', `${base}/matrix`, { token: s.token })).status).toBe(503);
    expect((await call(s.node.url, 'GET', '/api/health')).status).toBe(503);
    await sleep(500);
    expect(s.node.alive).toBe(true);

    await db.allow();
    let back: Answer = { status: 0, body: undefined };
    for (let i = 0; i < 100 && !ok(back); i++) {
      back = await call(s.node.url, 'POST', `${base}/stances`, { token: s.token, body: stanceBody(s.parties[1], s.points[1], `back-${i}`) });
      (ok(back) ? acknowledged : refused).push(`back-${i}`);
      if (!ok(back)) await sleep(100);
    }
    expect(back.status).toBe(201);
    await sleep(300);
    stop = true;
    await Promise.all(writers);

    const odd = answers.filter((a) => a !== 201 && a !== 503);
    expect({ odd, errors: odd.length > 0 ? loggedErrors(s.node) : [] }).toEqual({ odd: [], errors: [] });
    expect(answers.filter((a) => a === 503).length).toBeGreaterThan(0);
    const notes = new Set((await allChanges(s.node.url, s.negotiationId, s.token)).map((c) => c.event.note));
    expect(acknowledged.filter((note) => !notes.has(note))).toEqual([]);
    const probe = await db.installation.probe();
    try {
      const log = await changeLogSeqs(probe, s.negotiationId);
      expect(log.map((l) => l.seq)).toEqual(Array.from({ length: log.length }, (_, i) => i + 1));
      expect(await projectionMismatches(probe)).toEqual([]);
    } finally {
      await probe.close();
    }
    record('PostgreSQL connections dropped', { dbFaults: 1, writesRefused503: refused.length, writesChecked: acknowledged.length + refused.length, lost: 0 });
  });
});
