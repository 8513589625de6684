import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import type { DatabaseConfig } from '../src/config/app-config';
import { Db } from '../src/database/db.service';
import { sql } from '../src/database/sql';
import { ENTITIES } from '../src/entities';
import { writeSynthetic, type Synthetic } from './synthetic';

export interface History {
  database: DatabaseConfig;
  synthetic: Synthetic;
  /** Seconds spent writing it (0 when an earlier run's file was reused). */
  writeSeconds: number;
  drop(): Promise<void>;
}

/**
 * A synthetic history of `events` (200 points × 50 parties) on SQLite or PostgreSQL. SQLite files go
 * to BENCH_DB_DIR when set and are reused by later runs (a million events take 1–2 minutes to
 * write); otherwise to a temp folder removed by drop(). PostgreSQL gets its own schema, dropped
 * (kept as bench_<events> and reused when BENCH_DB_DIR is set).
 */
export async function history(driver: 'sqlite' | 'postgres', events: number, pgUrl?: string, { texts = false }: { texts?: boolean } = {}): Promise<History> {
  const kind = texts ? 'text-' : '';
  let database: DatabaseConfig;
  let drop: () => Promise<void>;
  const keep = process.env['BENCH_DB_DIR'];
  if (driver === 'sqlite') {
    const dir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-'));
    fs.mkdirSync(dir, { recursive: true });
    database = { driver: 'sqlite', path: path.join(dir, `history-${kind}${events}.sqlite`), synchronous: 'NORMAL' };
    drop = async () => {
      if (!keep) fs.rmSync(dir, { recursive: true, force: true });
    };
  } else {
    if (!pgUrl) throw new Error('PostgreSQL needs DATABASE_URL');
    const schema = keep ? `bench_${kind.replace('-', '_')}${events}` : `bench_${kind.replace('-', '_')}${events}_${process.pid}`;
    const client = new Client({ connectionString: pgUrl });
    await client.connect();
    if (!keep) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.end();
    database = { driver: 'postgres', url: pgUrl, schema };
    drop = async () => {
      if (keep) return;
      const c = new Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    };
  }
  const started = Date.now();
  const db = await Db.open(database, ENTITIES);
  try {
    const slug = `bench-${kind}${events}`;
    const { rows } = await sql<{ id: string; seq: number | string }>(db.read, 'SELECT id, seq FROM negotiations WHERE slug = ?', [slug]);
    if (rows[0] && Number(rows[0].seq) === events) {
      return { database, synthetic: { negotiationId: rows[0].id, slug, events }, writeSeconds: 0, drop };
    }
    if (rows[0]) throw new Error(`${slug} in ${JSON.stringify(database)} is incomplete: remove the file`);
    const synthetic = await writeSynthetic(db, { events, points: 200, parties: 50, texts, slug });
    if (database.driver === 'postgres') await sql(db.read, 'ANALYZE');
    return { database, synthetic, writeSeconds: (Date.now() - started) / 1000, drop };
  } finally {
    await db.close();
  }
}

export function machine(): { cores: number; memoryGiB: number; cpu: string; load: number[] } {
  return { cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), cpu: os.cpus()[0]?.model ?? '', load: os.loadavg().map((x) => Math.round(x * 100) / 100) };
}

/** process.memoryUsage in MB, after a full GC when node runs with --expose-gc. */
export function memoryMb(): { rss: number; heap: number; external: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  const mb = (x: number) => Math.round(x / 2 ** 20);
  return { rss: mb(m.rss), heap: mb(m.heapUsed), external: mb(m.external) };
}
