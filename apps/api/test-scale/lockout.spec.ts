import { mostPasswordChecks } from '../test/lockout';
import { ADMIN, ApiNode, clusterEnv, freePort } from './cluster';

async function post(base: string, path: string, body: unknown, token?: string) {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as any };
}

/** The sign-in lockout is kept in the database: guesses spread over several nodes share one count. */
describe('the sign-in lockout across three nodes on PostgreSQL', () => {
  let nodes: ApiNode[] = [];
  let drop: () => Promise<void>;

  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await drop?.();
  });

  it('checks at most the allowed number of passwords when 100 tries arrive at once at three nodes', async () => {
    // No Redis needed: the count lives in the database. The per-address limit is per node and high
    // here: what is tested is the account's lockout.
    const cluster = await clusterEnv('redis://unused');
    drop = cluster.drop;
    const env = { ...Object.fromEntries(Object.entries(cluster.env).filter(([name]) => name !== 'REDIS_URL')), LOGIN_LIMIT_PER_MINUTE: '100000' };
    nodes = [new ApiNode('node A', await freePort(), env)];
    await nodes[0].start();
    nodes.push(new ApiNode('node B', await freePort(), env), new ApiNode('node C', await freePort(), env));
    await Promise.all(nodes.slice(1).map((n) => n.start()));

    const admin = (await post(nodes[0].url, '/api/auth/login', ADMIN)).body.token as string;
    const victim = { email: 'victim@scale.local', password: 'victim-password-1' };
    expect((await post(nodes[0].url, '/api/users', { ...victim, name: 'Victim', role: 'analyst' }, admin)).status).toBe(201);

    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => post(nodes[i % 3].url, '/api/auth/login', { email: victim.email, password: `guess-${i}` })));
    const ms = Date.now() - started;
    const checked = answers.filter((a) => a.status !== 429);
    expect(checked.map((a) => a.status)).toEqual(checked.map(() => 401));
    expect(checked.length).toBeGreaterThanOrEqual(1);
    expect(checked.length).toBeLessThanOrEqual(mostPasswordChecks(0, ms));
    expect(answers.filter((a) => a.status === 429).every((a) => a.body.code === 'RATE_LIMITED')).toBe(true);
  });
});
