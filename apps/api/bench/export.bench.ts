import '../src/register-paths';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createApp } from '../src/bootstrap';
import { loadConfig } from '../src/config/app-config';
import { Db } from '../src/database/db.service';
import { ENTITIES } from '../src/entities';
import { HISTORY_DAYS, HISTORY_START, writeSynthetic } from './synthetic';

/**
 * Every export format over HTTP on histories of 10,000 and 1,000,000 stance events (200 points ×
 * 50 parties): time to the last byte, size, and the process's peak RSS above its level before the
 * export (sampled every 10 ms), to show which formats stream in bounded memory.
 */
const FORMATS: { name: string; path: (asOf: string, since: string) => string }[] = [
  { name: 'json (dump)', path: () => 'export.json' },
  { name: 'csv (change log)', path: () => 'export.csv?table=changes' },
  { name: 'csv (matrix)', path: (asOf) => `export.csv?asOf=${asOf}` },
  { name: 'xlsx', path: (asOf) => `export.xlsx?asOf=${asOf}` },
  { name: 'pdf', path: (asOf, since) => `export.pdf?asOf=${asOf}&since=${since}` },
  { name: 'md', path: (asOf, since) => `export.md?asOf=${asOf}&since=${since}` },
];

async function main(): Promise<void> {
  const sizes = (process.env['BENCH_SIZES'] ?? '10000,1000000').split(',').map(Number);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-export-'));
  console.log(`machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.cpus()[0]?.model ?? ''}; node ${process.version}`);
  console.log('events | format | time (s) | size (MB) | peak RSS over baseline (MB)');
  const rows: string[] = [];
  for (const size of sizes) {
    const database = { driver: 'sqlite' as const, path: path.join(dir, `e-${size}.sqlite`), synchronous: 'NORMAL' as const };
    const seedDb = await Db.open(database, ENTITIES);
    const synthetic = await writeSynthetic(seedDb, { events: size, points: 200, parties: 50 });
    await seedDb.close();
    const app = await createApp({ ...loadConfig({ LOG_LEVEL: 'silent', LOAD_DEMO: 'never', DATA_DIR: dir, VIEW_ACCESS: 'public', ADMIN_EMAIL: 'bench@example.org', ADMIN_PASSWORD: 'bench-password-1' }), database });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const end = HISTORY_START + HISTORY_DAYS * 86_400_000;
    const asOf = new Date(end).toISOString().slice(0, 10);
    const since = new Date(end - 7 * 86_400_000).toISOString().slice(0, 10);
    for (const format of FORMATS) {
      global.gc?.();
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 10);
      const started = performance.now();
      const res = await fetch(`http://127.0.0.1:${port}/api/negotiations/${synthetic.slug}/${format.path(asOf, since)}`);
      let bytes = 0;
      if (!res.body) throw new Error('no body');
      for await (const chunk of res.body) bytes += (chunk as Uint8Array).byteLength;
      const seconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      if (res.status !== 200) throw new Error(`${format.name}: HTTP ${res.status}`);
      const row = `${size.toLocaleString('en-US')} | ${format.name} | ${seconds.toFixed(2)} s | ${(bytes / 2 ** 20).toFixed(1)} MB | ${((peak - baseline) / 2 ** 20).toFixed(0)} MB`;
      console.log(row);
      rows.push(`| ${row} |`);
    }
    await app.close();
  }
  fs.rmSync(dir, { recursive: true, force: true });
  // The machine-readable summary for `npm run bench` (see tools/bench.mjs).
  const markdown = ['| events | format | time | size | peak RSS over baseline |', '|---:|---|---:|---:|---:|', ...rows].join('\n');
  console.log(`BENCH_RESULT ${JSON.stringify({ scenario: 'export', markdown })}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
