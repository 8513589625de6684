import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { DatabaseConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';

export interface Tx {
  manager: EntityManager;
  /** Runs after the transaction has committed; never for a rolled-back one. */
  afterCommit(fn: () => void): void;
}

/** Negative = KiB: 64 MiB of page cache per connection. */
const SQLITE_CACHE_KIB = -65_536;
const MIGRATION_LOCK_KEY = 7_301_552_019; // arbitrary, constant: one lock for every Parley node

/**
 * Owns the database connections.
 *
 * SQLite: TypeORM keeps one connection per DataSource, and overlapping transactions on it would
 * interleave. Writes therefore go through one writer connection, one transaction at a time (an
 * in-process queue), while reads use a second, read-only connection that sees only committed data
 * (WAL gives it a consistent snapshot per statement, concurrently with the writer).
 * PostgreSQL: a pool; transactions of one negotiation serialize on its row lock (see ChangeLog).
 */
@Injectable()
export class Db implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly config: DatabaseConfig,
    private readonly writer: DataSource,
    private readonly reader: DataSource,
  ) {}

  static async open(config: DatabaseConfig, options: { migrate?: boolean } = {}): Promise<Db> {
    const writer = new DataSource(dataSourceOptions(config, 'writer'));
    await writer.initialize();
    try {
      if (config.driver === 'sqlite') {
        // FULL: a commit is on disk before it is acknowledged (survives a power cut, not only a
        // process crash). NORMAL/EXTRA can be chosen with SQLITE_SYNCHRONOUS.
        await writer.query(`PRAGMA synchronous = ${config.synchronous}`);
        await writer.query(`PRAGMA cache_size = ${SQLITE_CACHE_KIB}`);
      }
      if (options.migrate !== false) await runMigrations(writer);
      const reader = config.driver === 'sqlite' ? new DataSource(dataSourceOptions(config, 'reader')) : writer;
      if (reader !== writer) {
        await reader.initialize();
        await reader.query('PRAGMA busy_timeout = 10000');
        // A large page cache keeps the as-of index probes of a long history in memory.
        await reader.query(`PRAGMA cache_size = ${SQLITE_CACHE_KIB}`);
      }
      return new Db(config, writer, reader);
    } catch (err) {
      await writer.destroy().catch(() => undefined);
      throw err;
    }
  }

  get driver(): 'sqlite' | 'postgres' {
    return this.config.driver;
  }

  /** For reads: sees committed data only. */
  get read(): EntityManager {
    return this.reader.manager;
  }

  get writerDataSource(): DataSource {
    return this.writer;
  }

  async write<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      const hooks: (() => void)[] = [];
      const result = await this.writer.transaction((manager) => work({ manager, afterCommit: (fn) => hooks.push(fn) }));
      for (const hook of hooks) {
        try {
          hook();
        } catch (err) {
          this.logger.error(`after-commit hook failed: ${String(err)}`);
        }
      }
      return result;
    };
    if (this.driver === 'postgres') return run();
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  async pendingMigrations(): Promise<{ applied: number; pending: number }> {
    const rows: unknown[] = await this.reader.query(`SELECT name FROM migrations`).catch(() => []);
    const applied = rows.length;
    return { applied, pending: Math.max(0, this.writer.migrations.length - applied) };
  }

  async ping(): Promise<boolean> {
    try {
      await this.reader.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue; // let queued writes finish: an acknowledged write is never cut off
    if (this.reader !== this.writer && this.reader.isInitialized) await this.reader.destroy();
    if (this.writer.isInitialized) await this.writer.destroy();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}

/** Runs pending migrations; on PostgreSQL under an advisory lock so several nodes can start at once. */
export async function runMigrations(ds: DataSource): Promise<void> {
  if (ds.options.type !== 'postgres') {
    await ds.runMigrations({ transaction: 'all' });
    return;
  }
  const runner = ds.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await ds.runMigrations({ transaction: 'all' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}
