import '../src/register-paths';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Position } from '@parley/contracts';
import { convergenceSeries, dateRange, parseBound, type StanceFact } from '@parley/domain';
import { createApp } from '../src/bootstrap';
import { loadConfig } from '../src/config/app-config';
import { Db } from '../src/database/db.service';
import { num, numOrNull, sql } from '../src/database/sql';
import { MatrixService } from '../src/matrix/matrix.service';
import { StanceIndexes } from '../src/matrix/stance-indexes.service';
import { history, machine, memoryMb } from './histories';
import { HISTORY_DAYS, HISTORY_START, prng } from './synthetic';
import { ms, summary } from './stats';

const RANGE_DAYS = 90;
const round = (x: number) => Math.round(x * 10) / 10;

/** The series as it was computed before the index: every event of the negotiation loaded, then one sweep. */
async function seriesFromAllEvents(db: Db, negotiationId: string, partyIds: string[], pointIds: string[], from: string, to: string): Promise<number> {
  const { rows } = await sql<Record<string, string | number | null>>(
    db.read,
    `SELECT e.id, e.party_id, e.point_id, e.position, e.effective_at, e.recorded_at, e.seq, r.recorded_at AS retracted_at
       FROM stance_events e LEFT JOIN stance_retractions r ON r.event_id = e.id WHERE e.negotiation_id = ?`,
    [negotiationId],
  );
  const facts: StanceFact[] = rows.map((r) => ({
    id: String(r['id']),
    partyId: String(r['party_id']),
    pointId: String(r['point_id']),
    position: r['position'] as Position,
    effectiveAt: num(r['effective_at']),
    recordedAt: num(r['recorded_at']),
    seq: num(r['seq']),
    retractedAt: numOrNull(r['retracted_at']),
  }));
  return convergenceSeries(facts, { partyIds, pointIds, dates: dateRange(parseBound(from), parseBound(to), 'day') }).length;
}

/** Peak RSS above the level before `work`, sampled every 10 ms. */
async function peakRss<T>(work: () => Promise<T>): Promise<{ value: T; peakMb: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, peakMb: Math.round((peak - base) / 2 ** 20) };
  } finally {
    clearInterval(timer);
  }
}

/**
 * The convergence series over a 90-day range (GET …/metrics?from&to, with the per-point metrics
 * and party distances of the same answer) at random ranges of a synthetic history, cold (the first
 * request after start-up, which builds the negotiation's index) and warm, in-process and over HTTP.
 * Baseline, same run: the series as computed before the index (every event loaded, then
 * convergenceSeries), with its peak memory.
 */
async function main(): Promise<void> {
  const sizes = (process.env['BENCH_METRICS_SIZES'] ?? '1000000').split(',').map(Number);
  const queries = Number(process.env['BENCH_QUERIES'] ?? 30);
  const baselineQueries = Number(process.env['BENCH_BASELINE_QUERIES'] ?? 2);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-data-'));
  const m = machine();
  console.log(`machine: ${m.cores} cores, ${m.memoryGiB} GiB, ${m.cpu}; load average ${m.load.join(' ')} (absolute numbers vary between machines)`);
  console.log(`events | write (s) | cold (builds the index) | warm p50 / p95 | HTTP p50 / p95 | all events + convergenceSeries p50 (peak RSS) | ratio`);
  const runs = [];
  for (const size of sizes) {
    const h = await history('sqlite', size);
    const app = await createApp({ ...loadConfig({ LOG_LEVEL: 'silent', LOAD_DEMO: 'never', DATA_DIR: dataDir }), database: h.database });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const matrix = app.get(MatrixService);
    const random = prng(11);
    const range = () => {
      const start = HISTORY_START + Math.floor(random() * (HISTORY_DAYS - RANGE_DAYS)) * 86_400_000;
      const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
      return { from: day(start), to: day(start + (RANGE_DAYS - 1) * 86_400_000) };
    };
    const slug = h.synthetic.slug;
    const before = memoryMb();
    let t = performance.now();
    const cold = await peakRss(() => matrix.metrics(slug, range()));
    const coldMs = performance.now() - t;
    if (cold.value.series.length !== RANGE_DAYS) throw new Error(`expected ${RANGE_DAYS} days, got ${cold.value.series.length}`);
    const after = memoryMb();
    const time = async (n: number, work: () => Promise<unknown>): Promise<number[]> => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        t = performance.now();
        await work();
        out.push(performance.now() - t);
      }
      return out;
    };
    const warmPeak = await peakRss(() => time(queries, () => matrix.metrics(slug, range())));
    const warm = summary(warmPeak.value);
    const http = summary(
      await time(queries, async () => {
        const { from, to } = range();
        const res = await fetch(`http://127.0.0.1:${port}/api/negotiations/${slug}/metrics?from=${from}&to=${to}`);
        if (res.status !== 200) throw new Error(`metrics: ${res.status}`);
        await res.arrayBuffer();
      }),
    );
    const db = app.get(Db);
    const parties = (await sql<{ id: string }>(db.read, 'SELECT id FROM parties WHERE negotiation_id = ? ORDER BY sort_order', [h.synthetic.negotiationId])).rows.map((r) => r.id);
    const points = (await sql<{ id: string }>(db.read, 'SELECT id FROM points WHERE negotiation_id = ? ORDER BY sort_order', [h.synthetic.negotiationId])).rows.map((r) => r.id);
    const basePeak = await peakRss(() =>
      time(baselineQueries, () => {
        const { from, to } = range();
        return seriesFromAllEvents(db, h.synthetic.negotiationId, parties, points, from, to);
      }),
    );
    const baseline = summary(basePeak.value);
    const stats = app.get(StanceIndexes).stats();
    await app.close();
    await h.drop();
    const run = {
      driver: 'sqlite',
      events: size,
      rangeDays: RANGE_DAYS,
      writeSeconds: h.writeSeconds,
      coldMs: round(coldMs),
      coldPeakRssMb: cold.peakMb,
      warm: { p50: round(warm.p50), p95: round(warm.p95), peakRssMb: warmPeak.peakMb },
      http: { p50: round(http.p50), p95: round(http.p95) },
      baseline: { name: 'every event loaded + convergenceSeries', p50: round(baseline.p50), p95: round(baseline.p95), peakRssMb: basePeak.peakMb },
      ratio: Math.round((warm.p50 / baseline.p50) * 1000) / 1000,
      index: { mb: Math.round((stats.indexBytes + stats.detailBytes) / 2 ** 20), heapMbAfterBuild: after.heap - before.heap, externalMbAfterBuild: after.external - before.external },
    };
    runs.push(run);
    console.log(
      `${size} | ${h.writeSeconds.toFixed(1)} | ${ms(coldMs)} (+${cold.peakMb} MB RSS) | ${ms(warm.p50)} / ${ms(warm.p95)} (+${warmPeak.peakMb} MB) | ${ms(http.p50)} / ${ms(http.p95)} | ` +
        `${ms(baseline.p50)} (+${basePeak.peakMb} MB) | ${run.ratio}   (index + details: ${run.index.mb} MB)`,
    );
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  const markdown = [
    '| events | range | cold (builds the index) | warm p50 / p95 | HTTP p50 / p95 | every event loaded (baseline) p50 | warm / baseline |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...runs.map(
      (r) =>
        `| ${r.events.toLocaleString('en-US')} | ${r.rangeDays} days | ${r.coldMs} ms (+${r.coldPeakRssMb} MB RSS) | ${r.warm.p50} / ${r.warm.p95} ms (+${r.warm.peakRssMb} MB) | ` +
        `${r.http.p50} / ${r.http.p95} ms | ${r.baseline.p50} ms (+${r.baseline.peakRssMb} MB) | ${r.ratio} |`,
    ),
  ].join('\n');
  console.log(`BENCH_RESULT ${JSON.stringify({ scenario: 'metrics', machine: { ...m, loadAfter: machine().load }, markdown, runs })}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
