import { seed, stance, startApp, type Seeded, type TestApp } from './harness';
import { until, watch, type Viewer } from './live-harness';

const TOKEN = 'a-metrics-token-for-this-suite';

/** The value of one series in a Prometheus text page (labels given as they are printed), or undefined. */
function valueOf(page: string, series: string): number | undefined {
  const line = page.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /api/metrics', () => {
  let t: TestApp;
  let s: Seeded;
  let n: string;
  let viewer: Viewer | undefined;
  const scrape = async () => {
    const res = await t.as(TOKEN).get<string>('/api/metrics');
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    t = await startApp({ METRICS_TOKEN: TOKEN });
    s = await seed(t);
    n = `/api/negotiations/${s.negotiationId}`;
  });
  afterAll(async () => {
    await viewer?.client.close();
    await t.close();
  });

  it('answers only the METRICS_TOKEN bearer, as Prometheus text that no cache keeps', async () => {
    for (const token of [null, t.adminToken, `${TOKEN}x`]) {
      const refused = await t.as(token).get('/api/metrics');
      expect([refused.status, refused.body.code]).toEqual([401, 'UNAUTHENTICATED']);
    }
    const res = await t.as(TOKEN).get<string>('/api/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    // prom-client's process metrics, event-loop lag among them.
    expect(res.body).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(res.body).toContain('# TYPE parley_http_request_duration_seconds histogram');
  });

  it('times requests by route template and status, never by raw URL', async () => {
    await t.get(`${n}/matrix`);
    await t.get(`${n}/points/00000000-0000-4000-8000-000000000000`);
    const page = await scrape();
    const matrix = `parley_http_request_duration_seconds_count{method="GET",route="/api/negotiations/:negotiationId/matrix",status_code="200"}`;
    expect(valueOf(page, matrix)).toBeGreaterThanOrEqual(1);
    const missing = `parley_http_request_duration_seconds_count{method="GET",route="/api/negotiations/:negotiationId/points/:pointId",status_code="404"}`;
    expect(valueOf(page, missing)).toBe(1);
    expect(page).not.toContain(s.negotiationId);
    // The first matrix read built the negotiation's as-of index.
    expect(valueOf(page, 'parley_matrix_index_build_seconds_count')).toBeGreaterThanOrEqual(1);
  });

  it('counts stance writes and changes by kind, the write groups they committed in, and the live messages they made', async () => {
    const before = await scrape();
    const head = (await t.get(n)).body.seq as number;
    viewer = watch(t, s.negotiationId, head);
    await until('the viewer joined', () => viewer?.states.includes('live') ?? false);
    const joined = await scrape();
    expect(valueOf(joined, 'parley_live_sockets')).toBe(1);
    expect(valueOf(joined, 'parley_live_joins_total{stream="public"}')).toBeGreaterThanOrEqual(1);

    const writes = await Promise.all([0, 1, 2].map((i) => t.post(`${n}/stances`, stance(s.parties[i]!.id, s.points[0]!.id))));
    expect(writes.map((w) => w.status)).toEqual([201, 201, 201]);
    await until('the viewer got the three changes', () => (viewer?.changes.length ?? 0) >= 3);
    const after = await scrape();

    const delta = (series: string) => (valueOf(after, series) ?? 0) - (valueOf(before, series) ?? 0);
    expect(delta('parley_stance_writes_total')).toBe(3);
    expect(delta('parley_changes_total{kind="stance.recorded"}')).toBe(3);
    expect(delta('parley_live_messages_total')).toBeGreaterThanOrEqual(1);
    // Three writes gathered or grouped: however they were shared, the histograms account for each.
    expect(delta('parley_db_gathered_writes_sum')).toBe(3);
    expect(valueOf(after, 'parley_db_write_queue')).toBe(0);
    if (t.db.driver === 'postgres') {
      expect(valueOf(after, 'parley_db_pool_connections{state="total"}')).toBeGreaterThanOrEqual(1);
    } else {
      // Gathered into fewer writes, which committed in one group or more.
      expect(delta('parley_db_commit_group_size_count')).toBeGreaterThanOrEqual(1);
      expect(delta('parley_db_commit_group_size_sum')).toBeLessThanOrEqual(3);
      expect(after).not.toContain('parley_db_pool_connections{');
    }
  });

  it('counts what a late joiner replays', async () => {
    const late = watch(t, s.negotiationId, 0);
    try {
      await until('the late viewer caught up', () => late.changes.length >= 3);
      expect(valueOf(await scrape(), 'parley_live_replayed_changes_total')).toBeGreaterThanOrEqual(3);
    } finally {
      await late.client.close();
    }
  });
});

describe('GET /api/metrics without METRICS_TOKEN', () => {
  it('is off: 404 naming the variable, whatever the credential', async () => {
    const t = await startApp();
    try {
      for (const token of [null, t.adminToken]) {
        const res = await t.as(token).get('/api/metrics');
        expect(res.status).toBe(404);
        expect(res.body.message).toContain('METRICS_TOKEN');
      }
    } finally {
      await t.close();
    }
  });
});
