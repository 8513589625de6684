import type { ChangeEntry } from '@parley/contracts';
import { LiveClient } from '@parley/live-client';
import { record } from './figures';
import {
  ApiNode,
  RedisProcess,
  call,
  changeLogSeqs,
  freePort,
  installation,
  login,
  sleep,
  stage,
  stanceBody,
  until,
  type Installation,
} from './harness';

/**
 * Two nodes on PostgreSQL with a Redis of the test's own (so stopping it disturbs nothing else on
 * the machine): viewers on both nodes through node kills and Redis outages.
 */
describe('viewers through crashes, restarts and Redis outages (two nodes, PostgreSQL + Redis)', () => {
  let redis: RedisProcess;
  let inst: Installation;
  let nodes: ApiNode[];

  beforeAll(async () => {
    redis = new RedisProcess(await freePort());
    await redis.start();
    inst = await installation('postgres', { REDIS_URL: redis.url });
    nodes = [new ApiNode('node A', await freePort(), inst.env), new ApiNode('node B', await freePort(), inst.env)];
    await Promise.all(nodes.map((n) => n.start()));
  });

  afterAll(async () => {
    await Promise.all(nodes?.map((n) => n.stop('SIGKILL')) ?? []);
    await redis?.stop();
    await inst?.drop();
  });

  it('end with exactly the server’s change list, in order, never going backwards', async () => {
    const s = await stage(nodes[0]);
    const head0 = (await call(nodes[0].url, 'GET', `/api/negotiations/${s.negotiationId}`, { token: s.token })).body.seq as number;
    const viewers = Array.from({ length: 6 }, (_, i) => {
      const node = nodes[i % 2];
      const client = new LiveClient({ url: node.url, negotiationId: s.negotiationId, sinceSeq: head0, token: s.token, gapTimeoutMs: 300 });
      const seen: ChangeEntry[] = [];
      let backwards = 0;
      client.on('change', (e) => {
        if (seen.length > 0 && e.seq !== seen[seen.length - 1].seq + 1) backwards++;
        seen.push(e);
      });
      client.start();
      return { client, seen, node: node.name, backwards: () => backwards };
    });
    await until('viewers live', () => viewers.every((v) => v.client.state === 'live'));

    let stop = false;
    let acknowledged = 0;
    const writer = async (w: number) => {
      for (let n = 0; !stop; n++) {
        const node = nodes[(w + n) % 2];
        const res = await call(node.url, 'POST', `/api/negotiations/${s.negotiationId}/stances`, {
          token: s.token,
          body: stanceBody(s.parties[w % 4], s.points[n % 6], `viewers:${w}:${n}`),
        });
        if (res.status === 201) acknowledged++;
        else await sleep(50);
      }
    };
    const writers = Array.from({ length: 8 }, (_, w) => writer(w));

    let kills = 0;
    let redisOutages = 0;
    const kill = async (node: ApiNode) => {
      await sleep(700);
      await node.stop('SIGKILL');
      kills++;
      await sleep(200);
      await node.start();
    };
    const outage = async () => {
      await sleep(700);
      await redis.stop();
      redisOutages++;
      await sleep(1_000);
      await redis.start();
    };
    await kill(nodes[0]);
    await outage();
    await kill(nodes[1]);
    await Promise.all([outage(), kill(nodes[0])]);
    await kill(nodes[1]);
    await sleep(700);
    stop = true;
    await Promise.all(writers);

    const token = await login(nodes[1].url);
    const head = (await call(nodes[1].url, 'GET', `/api/negotiations/${s.negotiationId}`, { token })).body.seq as number;
    const probe = await inst.probe();
    try {
      const log = await changeLogSeqs(probe, s.negotiationId);
      expect(log.map((l) => l.seq)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
      await until('viewers caught up', () => viewers.every((v) => v.client.lastSeq === head)).catch((err: Error) => {
        throw new Error(`${err.message} to ${head}: ${viewers.map((v) => `${v.node} ${v.client.state} at ${v.client.lastSeq}`).join(', ')}`);
      });
      const expected = log.filter((l) => l.seq > head0).map((l) => `${l.seq}:${l.kind}:${l.entityId}`);
      for (const v of viewers) {
        expect(v.backwards()).toBe(0);
        expect(v.seen.map((e) => `${e.seq}:${e.kind}:${e.entityId}`)).toEqual(expected);
      }
      record('viewers, two nodes + Redis', {
        kills,
        redisOutages,
        writesAcknowledged: acknowledged,
        viewerChangesChecked: viewers.reduce((n, v) => n + v.seen.length, 0),
        lost: 0,
      });
    } finally {
      await probe.close();
      await Promise.all(viewers.map((v) => v.client.close()));
    }
  });
});
