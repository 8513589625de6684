import '../src/register-paths';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createApp } from '../src/bootstrap';
import { loadConfig } from '../src/config/app-config';
import { Db } from '../src/database/db.service';
import { sql } from '../src/database/sql';
import { SearchService } from '../src/search/search.service';
import { history, machine } from './histories';
import { ms, summary } from './stats';

/**
 * Search (GET …/search?q=) over a synthetic history with texts (bench/synthetic.ts: quotes on 60% of
 * the events, translations, notes; place names in three scripts and a long tail of words) — in
 * process and over HTTP, on SQLite, and on PostgreSQL when DATABASE_URL is set. The queries mix a
 * rare word, a common one, a name in Cyrillic and one with a diacritic, two words, a phrase and a
 * prefix; each is asked BENCH_QUERIES times. Target: p50 under 50 ms at 1,000,000 events.
 * Baseline, same run: the same words found by `LIKE '%word%'` over the quotes (no index).
 */
const QUERIES = ['w4321', 'w3', 'Запорожье', 'geneve', 'Zaporizhzhia sanctions', '"w1 w2"', 'refer*', 'Donbas w17'];
const round = (x: number) => Math.round(x * 10) / 10;

async function main(): Promise<void> {
  const sizes = (process.env['BENCH_SEARCH_SIZES'] ?? process.env['BENCH_SIZES'] ?? '1000000').split(',').map(Number);
  const repeats = Number(process.env['BENCH_QUERIES'] ?? 10);
  const pgUrl = process.env['DATABASE_URL'];
  const drivers = (process.env['BENCH_DRIVERS'] ?? (pgUrl ? 'sqlite,postgres' : 'sqlite')).split(',') as ('sqlite' | 'postgres')[];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-data-'));
  const m = machine();
  console.log(`machine: ${m.cores} cores, ${m.memoryGiB} GiB, ${m.cpu}; load average ${m.load.join(' ')} (absolute numbers vary between machines)`);
  console.log('driver | events | write (s) | in process p50 / p95 | HTTP p50 / p95 | LIKE baseline p50 | hits per query');
  const runs = [];
  for (const driver of drivers) {
    for (const size of sizes) {
      const h = await history(driver, size, pgUrl, { texts: true });
      const app = await createApp({ ...loadConfig({ LOG_LEVEL: 'silent', LOAD_DEMO: 'never', DATA_DIR: dataDir, RATE_LIMIT_PER_MINUTE: '0' }), database: h.database });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.getHttpServer().address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const search = app.get(SearchService);
      const slug = h.synthetic.slug;
      const timed = async (work: (q: string) => Promise<unknown>): Promise<number[]> => {
        const out: number[] = [];
        for (let i = 0; i < repeats; i++) {
          for (const q of QUERIES) {
            const t = performance.now();
            await work(q);
            out.push(performance.now() - t);
          }
        }
        return out;
      };
      const totals = await Promise.all(QUERIES.map(async (q) => (await search.search(slug, { q })).total));
      const samples = await timed((q) => search.search(slug, { q }));
      const inProcess = summary(samples);
      // Per query (samples run query by query, `repeats` rounds): the slowest kind of query shows.
      const perQuery = QUERIES.map((q, i) => `${q} ${round(summary(samples.filter((_, k) => k % QUERIES.length === i)).p50)} ms`);
      console.log(`${driver} ${size}: p50 per query: ${perQuery.join(', ')}`);
      const http = summary(
        await timed(async (q) => {
          const res = await fetch(`http://127.0.0.1:${port}/api/negotiations/${slug}/search?q=${encodeURIComponent(q)}`);
          if (res.status !== 200) throw new Error(`search ${q}: ${res.status} ${await res.text()}`);
          await res.arrayBuffer();
        }),
      );
      const db = app.get(Db);
      const like: number[] = [];
      for (const word of ['w4321', 'Zaporizhzhia']) {
        const t = performance.now();
        await sql(db.read, 'SELECT id FROM stance_events WHERE negotiation_id = ? AND quote LIKE ? ORDER BY seq DESC LIMIT 500', [h.synthetic.negotiationId, `%${word}%`]);
        like.push(performance.now() - t);
      }
      const baseline = summary(like);
      await app.close();
      await h.drop();
      const run = { driver, events: size, perQuery, writeSeconds: round(h.writeSeconds), inProcess: { p50: round(inProcess.p50), p95: round(inProcess.p95) }, http: { p50: round(http.p50), p95: round(http.p95) }, likeP50: round(baseline.p50), totals };
      runs.push(run);
      console.log(`${driver} | ${size} | ${h.writeSeconds.toFixed(1)} | ${ms(inProcess.p50)} / ${ms(inProcess.p95)} | ${ms(http.p50)} / ${ms(http.p95)} | ${ms(baseline.p50)} | ${totals.join(', ')}`);
    }
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  const markdown = [
    `Queries: ${QUERIES.map((q) => `\`${q}\``).join(', ')}, each ${repeats} times.`,
    '',
    '| database | events | in process p50 / p95 | HTTP p50 / p95 | LIKE over quotes (baseline) p50 |',
    '|---|---:|---:|---:|---:|',
    ...runs.map((r) => `| ${r.driver} | ${r.events.toLocaleString('en-US')} | ${r.inProcess.p50} / ${r.inProcess.p95} ms | ${r.http.p50} / ${r.http.p95} ms | ${r.likeP50} ms |`),
  ].join('\n');
  const big = runs.filter((r) => r.events >= 1_000_000);
  const targets = big.map((r) => ({ what: `search p50 over HTTP, ${r.driver}, ${r.events.toLocaleString('en-US')} events`, target: '< 50 ms', value: `${r.http.p50} ms`, met: r.http.p50 < 50 }));
  console.log(`BENCH_RESULT ${JSON.stringify({ scenario: 'search', machine: { ...m, loadAfter: machine().load }, markdown, targets, runs })}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
