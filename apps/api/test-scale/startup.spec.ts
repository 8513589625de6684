import { UKRAINE_2025 } from '../src/demo/ukraine-2025';
import { ADMIN, ApiNode, clusterEnv, freePort } from './cluster';

/**
 * The README's several-nodes commands start every node at once on an empty database with the
 * default LOAD_DEMO=auto: each finds the database empty and would load the demo negotiation.
 */
describe('nodes started together on an empty PostgreSQL database with LOAD_DEMO=auto', () => {
  let nodes: ApiNode[] = [];
  let drop: () => Promise<void>;

  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await drop?.();
  });

  it('all start, and the demo negotiation is loaded once, whole', async () => {
    // No Redis needed here: the demo loader and the migrations only share the database.
    const cluster = await clusterEnv('redis://unused');
    drop = cluster.drop;
    const env = Object.fromEntries(Object.entries(cluster.env).filter(([name]) => name !== 'REDIS_URL'));
    // Migrated beforehand (as by `npm run migrate`), so no node waits for another's migrations and
    // all of them find the database empty at about the same moment.
    const migrator = new ApiNode('migrator', await freePort(), { ...env, LOAD_DEMO: 'never' });
    await migrator.start();
    await migrator.stop();
    nodes = await Promise.all(['A', 'B', 'C'].map(async (name) => new ApiNode(`node ${name}`, await freePort(), { ...env, LOAD_DEMO: 'auto' })));
    // The nodes that find the demo being loaded wait for it before they answer.
    const started = await Promise.allSettled(nodes.map((n) => n.start(120_000)));
    expect(started.map((r) => (r.status === 'rejected' ? String(r.reason).slice(0, 500) : 'started'))).toEqual(['started', 'started', 'started']);

    const login = await fetch(`${nodes[1].url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
    const { token } = (await login.json()) as { token: string };
    const negotiations = (await (await fetch(`${nodes[2].url}/api/negotiations`, { headers: { authorization: `Bearer ${token}` } })).json()) as { slug: string; seq: number }[];
    expect(negotiations.map((n) => n.slug)).toEqual([UKRAINE_2025.negotiation.slug]);
    // Loaded whole, by one node: one change for the negotiation and each of its records and events,
    // each distinct source its stances cite (created by the first stance citing it), and each
    // archived copy attached.
    const d = UKRAINE_2025;
    const sources = (await (await fetch(`${nodes[0].url}/api/negotiations/${d.negotiation.slug}/sources`, { headers: { authorization: `Bearer ${token}` } })).json()) as unknown[];
    expect(sources.length).toBeGreaterThan(0);
    expect(negotiations[0].seq).toBe(1 + d.parties.length + d.points.length + d.documents.length + d.milestones.length + sources.length + d.stances.length + d.retractions.length + (d.archives?.length ?? 0));
  });
});
