import type { ChangeEntry, ErrorBody, LiveConnectError, RefusedNotice } from '@parley/contracts';
import { LiveClient, type ConnectionState } from '@parley/live-client';
import { record } from './figures';
import { call, ownRoleDatabase, sleep, stage, stanceBody, startNode, until, type OwnRoleDatabase, type Stage } from './harness';

interface Watcher {
  client: LiveClient;
  changes: ChangeEntry[];
  states: ConnectionState[];
  errors: (ErrorBody | LiveConnectError | RefusedNotice)[];
}

function watch(url: string, negotiationId: string, sinceSeq: number, token?: string): Watcher {
  const client = new LiveClient({ url, negotiationId, sinceSeq, token, gapTimeoutMs: 300, retryDelayMs: 100, retryDelayMaxMs: 1_000 });
  const w: Watcher = { client, changes: [], states: [], errors: [] };
  client.on('change', (e) => w.changes.push(e));
  client.on('state', (s) => w.states.push(s));
  client.on('error', (e) => w.errors.push(e));
  client.start();
  return w;
}

/**
 * The database refuses the node while viewers connect and join: a handshake or a join it cannot
 * serve is a refusal the client retries (UNAVAILABLE / 503), never a final 401 or 404, and the
 * viewers end with every change once the database is back.
 */
describe('live viewers while PostgreSQL refuses the node', () => {
  let db: OwnRoleDatabase;
  let s: Stage;
  const watchers: Watcher[] = [];

  beforeAll(async () => {
    db = await ownRoleDatabase('parley_live');
    s = await stage(await startNode(db.installation, 'api-live-db'));
  });

  afterAll(async () => {
    await Promise.all(watchers.map((w) => w.client.close()));
    await s?.node.stop('SIGKILL');
    await db?.drop();
  });

  it('refuses handshakes and joins it cannot serve with a retryable answer, and every viewer is live again with every change', async () => {
    const base = `/api/negotiations/${s.negotiationId}`;
    const head0 = (await call(s.node.url, 'GET', base, { token: s.token })).body.seq as number;
    const early = watch(s.node.url, s.negotiationId, head0, s.token);
    watchers.push(early);
    await until('the first viewer live', () => early.client.state === 'live');

    await db.refuse();
    // Signed in: the handshake looks the session up. Anonymous (VIEW_ACCESS=public): the handshake
    // needs no database, the join does.
    const signedIn = watch(s.node.url, s.negotiationId, head0, s.token);
    const anonymous = watch(s.node.url, s.negotiationId, head0);
    watchers.push(signedIn, anonymous);
    await until('the handshake refused as unavailable', () => signedIn.errors.some((e) => e.code === 'UNAVAILABLE'));
    await until('the join answered 503', () => anonymous.errors.some((e) => 'statusCode' in e && e.statusCode === 503));
    expect(signedIn.errors.filter((e) => e.code !== 'UNAVAILABLE')).toEqual([]);
    expect(anonymous.errors.filter((e) => e.code !== 'UNAVAILABLE')).toEqual([]);
    expect(anonymous.errors[0]).toMatchObject({ statusCode: 503, error: 'Service Unavailable', code: 'UNAVAILABLE' });
    await sleep(500);
    for (const w of [signedIn, anonymous]) expect(w.client.state).toBe('reconnecting');
    expect(s.node.alive).toBe(true);

    await db.allow();
    await until('every viewer live again', () => [early, signedIn, anonymous].every((w) => w.client.state === 'live'), 60_000);
    const acknowledged: number[] = [];
    for (let i = 0; i < 3; i++) {
      let res = await call(s.node.url, 'POST', `${base}/stances`, { token: s.token, body: stanceBody(s.parties[i], s.points[i], `after-${i}`) });
      // The node's pool may still hand out a connection that died with the terminated backends.
      for (let tries = 0; res.status === 503 && tries < 20; tries++) {
        await sleep(100);
        res = await call(s.node.url, 'POST', `${base}/stances`, { token: s.token, body: stanceBody(s.parties[i], s.points[i], `after-${i}`) });
      }
      expect(res.status).toBe(201);
      acknowledged.push(res.body.event.seq as number);
    }
    const head = acknowledged[acknowledged.length - 1];
    await until('every viewer has every change', () => [early, signedIn, anonymous].every((w) => w.client.lastSeq === head));
    const expected = Array.from({ length: head - head0 }, (_, i) => head0 + 1 + i);
    for (const w of [early, signedIn, anonymous]) {
      expect(w.changes.map((c) => c.seq)).toEqual(expected);
      expect(w.states).not.toContain('offline');
    }
    record('live viewers, PostgreSQL refusing the node', { dbFaults: 1, viewerChangesChecked: 3 * expected.length, lost: 0 });
  });
});
