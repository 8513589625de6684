import '../src/register-paths';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createApp } from '../src/bootstrap';
import { loadConfig } from '../src/config/app-config';
import { Db } from '../src/database/db.service';
import { MatrixService } from '../src/matrix/matrix.service';
import { HISTORY_DAYS, HISTORY_START, prng, writeSynthetic } from './synthetic';
import { ms, summary } from './stats';

/**
 * The as-of matrix over growing histories (200 points × 50 parties): cold (first query after the
 * database is opened) and warm, at random dates, in-process and over HTTP.
 */
async function main(): Promise<void> {
  const sizes = (process.env['BENCH_SIZES'] ?? '10000,100000,1000000').split(',').map(Number);
  const queries = Number(process.env['BENCH_QUERIES'] ?? 30);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-matrix-'));
  console.log(`machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.cpus()[0]?.model ?? ''}`);
  console.log('size | write (s) | cold in-process | warm in-process p50 / p95 | over HTTP p50 / p95 | current (no asOf) p50');
  for (const size of sizes) {
    const dbPath = path.join(dir, `m-${size}.sqlite`);
    const database = { driver: 'sqlite' as const, path: dbPath, synchronous: 'NORMAL' as const };
    const started = Date.now();
    const seedDb = await Db.open(database);
    const synthetic = await writeSynthetic(seedDb, { events: size, points: 200, parties: 50 });
    await seedDb.close();
    const writeSeconds = (Date.now() - started) / 1000;

    const app = await createApp({ ...loadConfig({ LOG_LEVEL: 'silent', LOAD_DEMO: 'never' }), database });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const matrix = app.get(MatrixService);
    const random = prng(7);
    const date = () => new Date(HISTORY_START + Math.floor(random() * HISTORY_DAYS * 86_400_000)).toISOString();

    let t = performance.now();
    const cold = await matrix.matrix(synthetic.slug, { asOf: date() });
    const coldMs = performance.now() - t;
    const stated = cold.rows.reduce((n, r) => n + Object.keys(r.cells).length, 0);

    const warm: number[] = [];
    for (let i = 0; i < queries; i++) {
      t = performance.now();
      await matrix.matrix(synthetic.slug, { asOf: date() });
      warm.push(performance.now() - t);
    }
    const http: number[] = [];
    for (let i = 0; i < queries; i++) {
      t = performance.now();
      const res = await fetch(`http://127.0.0.1:${port}/api/negotiations/${synthetic.slug}/matrix?asOf=${encodeURIComponent(date())}`);
      await res.arrayBuffer();
      http.push(performance.now() - t);
    }
    const current: number[] = [];
    for (let i = 0; i < queries; i++) {
      t = performance.now();
      await matrix.matrix(synthetic.slug, {});
      current.push(performance.now() - t);
    }
    await app.close();
    const w = summary(warm);
    const h = summary(http);
    console.log(
      `${size} | ${writeSeconds.toFixed(1)} | ${ms(coldMs)} | ${ms(w.p50)} / ${ms(w.p95)} | ${ms(h.p50)} / ${ms(h.p95)} | ${ms(summary(current).p50)}   (cells: ${stated})`,
    );
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
