import '../src/register-paths';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createApp } from '../src/bootstrap';
import { loadConfig } from '../src/config/app-config';
import { MatrixService } from '../src/matrix/matrix.service';
import { StanceIndexes } from '../src/matrix/stance-indexes.service';
import { history, machine, memoryMb } from './histories';
import { HISTORY_DAYS, HISTORY_START, prng } from './synthetic';
import { ms, summary } from './stats';

interface Run {
  driver: 'sqlite' | 'postgres';
  events: number;
  writeSeconds: number;
  cells: number;
  coldMs: number;
  warm: { p50: number; p95: number };
  http: { p50: number; p95: number };
  current: { p50: number; p95: number };
  baseline: { name: string; p50: number; p95: number };
  /** warm p50 / baseline p50. */
  ratio: number;
  /** The index and the events' details, built in the background after the first query. */
  index: { buildMs: number; indexBytesPerEvent: number; detailBytesPerEvent: number; mbPerMillionEvents: number; heapMbAfterBuild: number; externalMbAfterBuild: number };
}

const TARGET_MS = 50;
const round = (x: number) => Math.round(x * 10) / 10;

/**
 * The as-of matrix over growing histories (200 points × 50 parties), at random dates: cold (the
 * first query after start-up, which builds the negotiation's in-memory index) and warm, in-process
 * and over HTTP. Baseline, same run, same dates: the SQL path (one correlated index probe per cell
 * and the full event of each, `MatrixService.cellsFromTables`), which answered every as-of query
 * before the index. SQLite, and PostgreSQL too when DATABASE_URL is set (BENCH_DRIVERS=sqlite,postgres
 * chooses); each in its own database or schema.
 */
async function main(): Promise<void> {
  const sizes = (process.env['BENCH_SIZES'] ?? '10000,100000,1000000').split(',').map(Number);
  const pgSizes = (process.env['BENCH_PG_SIZES'] ?? process.env['BENCH_SIZES'] ?? '10000,100000,1000000').split(',').map(Number);
  const queries = Number(process.env['BENCH_QUERIES'] ?? 30);
  const baselineQueries = Number(process.env['BENCH_BASELINE_QUERIES'] ?? 10);
  const pgUrl = process.env['DATABASE_URL'];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-data-'));
  const m = machine();
  console.log(`machine: ${m.cores} cores, ${m.memoryGiB} GiB, ${m.cpu}; load average ${m.load.join(' ')} (absolute numbers vary between machines)`);
  console.log('db | events | write (s) | cold (first query, from the tables) | warm p50 / p95 | HTTP p50 / p95 | current p50 | SQL path p50 / p95 | ratio | index');
  const runs: Run[] = [];
  const drivers = (process.env['BENCH_DRIVERS'] ?? (pgUrl ? 'sqlite,postgres' : 'sqlite')).split(',');
  const plan: ['sqlite' | 'postgres', number][] = [
    ...(drivers.includes('sqlite') ? sizes.map((s) => ['sqlite', s] as ['sqlite', number]) : []),
    ...(drivers.includes('postgres') && pgUrl ? pgSizes.map((s) => ['postgres', s] as ['postgres', number]) : []),
  ];
  for (const [driver, size] of plan) {
    const h = await history(driver, size, pgUrl);
    const app = await createApp({ ...loadConfig({ LOG_LEVEL: 'silent', LOAD_DEMO: 'never', DATA_DIR: dataDir }), database: h.database });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const matrix = app.get(MatrixService);
    const indexes = app.get(StanceIndexes);
    const random = prng(7);
    const date = () => new Date(HISTORY_START + Math.floor(random() * HISTORY_DAYS * 86_400_000)).toISOString();
    const slug = h.synthetic.slug;

    const before = memoryMb();
    let t = performance.now();
    const cold = await matrix.matrix(slug, { asOf: date() });
    const coldMs = performance.now() - t;
    const cells = cold.rows.reduce((n, r) => n + Object.keys(r.cells).length, 0);
    // The first query started the index's build in the background and was answered from the tables.
    await indexes.at(h.synthetic.negotiationId, h.synthetic.events);
    const buildMs = performance.now() - t;
    const after = memoryMb(); // after a full GC (with --expose-gc): the build's garbage is not charged to the warm queries
    const stats = indexes.stats();

    const time = async (n: number, work: () => Promise<unknown>): Promise<number[]> => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        t = performance.now();
        await work();
        out.push(performance.now() - t);
      }
      return out;
    };
    const warm = summary(await time(queries, () => matrix.matrix(slug, { asOf: date() })));
    const http = summary(
      await time(queries, async () => {
        const res = await fetch(`http://127.0.0.1:${port}/api/negotiations/${slug}/matrix?asOf=${encodeURIComponent(date())}`);
        await res.arrayBuffer();
      }),
    );
    const current = summary(await time(queries, () => matrix.matrix(slug, {})));
    const sqlPath = summary(await time(baselineQueries, () => matrix.cellsFromTables(h.synthetic.negotiationId, Date.parse(date()))));
    await app.close();
    await h.drop();
    const run: Run = {
      driver,
      events: size,
      writeSeconds: h.writeSeconds,
      cells,
      coldMs: round(coldMs),
      warm: { p50: round(warm.p50), p95: round(warm.p95) },
      http: { p50: round(http.p50), p95: round(http.p95) },
      current: { p50: round(current.p50), p95: round(current.p95) },
      baseline: { name: 'SQL path: per-cell index probe + full rows', p50: round(sqlPath.p50), p95: round(sqlPath.p95) },
      ratio: Math.round((warm.p50 / sqlPath.p50) * 1000) / 1000,
      index: {
        buildMs: Math.round(buildMs),
        indexBytesPerEvent: Math.round((stats.indexBytes / Math.max(1, stats.events)) * 10) / 10,
        detailBytesPerEvent: Math.round((stats.detailBytes / Math.max(1, stats.events)) * 10) / 10,
        mbPerMillionEvents: Math.round((((stats.indexBytes + stats.detailBytes) / Math.max(1, stats.events)) * 1e6) / 2 ** 20),
        heapMbAfterBuild: after.heap - before.heap,
        externalMbAfterBuild: after.external - before.external,
      },
    };
    runs.push(run);
    console.log(
      `${driver} | ${size} | ${h.writeSeconds.toFixed(1)} | ${ms(coldMs)} | ${ms(warm.p50)} / ${ms(warm.p95)} | ${ms(http.p50)} / ${ms(http.p95)} | ${ms(current.p50)} | ` +
        `${ms(sqlPath.p50)} / ${ms(sqlPath.p95)} | ${run.ratio} | built in ${(buildMs / 1000).toFixed(1)} s; ${run.index.indexBytesPerEvent} + ${run.index.detailBytesPerEvent} B/event ` +
        `(index + details, ${run.index.mbPerMillionEvents} MB per million); heap +${run.index.heapMbAfterBuild} MB, external +${run.index.externalMbAfterBuild} MB   (cells: ${cells})`,
    );
  }
  const largest = runs.filter((r) => r.driver === 'sqlite').at(-1);
  const met = largest !== undefined && largest.events >= 1_000_000 ? largest.warm.p50 < TARGET_MS : null;
  const n = (x: number) => x.toLocaleString('en-US');
  const markdown = [
    '| db | events | cold | index built in | warm p50 / p95 | HTTP p50 / p95 | current p50 | SQL path p50 / p95 (baseline) | warm / baseline |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...runs.map(
      (r) =>
        `| ${r.driver === 'sqlite' ? 'SQLite' : 'PostgreSQL'} | ${n(r.events)} | ${r.coldMs} ms | ${(r.index.buildMs / 1000).toFixed(1)} s | ${r.warm.p50} / ${r.warm.p95} ms | ` +
        `${r.http.p50} / ${r.http.p95} ms | ${r.current.p50} ms | ${r.baseline.p50} / ${r.baseline.p95} ms | ${r.ratio} |`,
    ),
  ].join('\n');
  const result = {
    scenario: 'matrix',
    machine: { ...m, loadAfter: machine().load },
    markdown,
    targets: largest ? [{ what: `as-of matrix, warm p50 at ${n(largest.events)} events (SQLite, in-process)`, target: `< ${TARGET_MS} ms at 1,000,000`, value: `${largest.warm.p50} ms`, met: met ?? false }] : [],
    notes: runs.map((r) => `${r.driver} ${n(r.events)}: index + details ${r.index.indexBytesPerEvent} + ${r.index.detailBytesPerEvent} B per event (${r.index.mbPerMillionEvents} MB per million)`),
    target: { events: 1_000_000, warmP50Ms: TARGET_MS, met },
    runs,
  };
  fs.rmSync(dataDir, { recursive: true, force: true });
  console.log(`BENCH_RESULT ${JSON.stringify(result)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
