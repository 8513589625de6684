import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import type { Metrics } from '../common/metrics';
import { ensurePrivateDir, ensurePrivateFile } from '../common/private-files';
import type { DatabaseConfig } from '../config/app-config';
import { dataSourceOptions, type EntityList } from './data-source-options';
import { dialectOfConfig, isRefusedData, isStorageFailure, poolUse } from './dialect';

export interface Tx {
  manager: EntityManager;
  /** Runs after the transaction has committed; never for a rolled-back one. */
  afterCommit(fn: () => void): void;
}

/** What one item of a write shared by several callers came to. */
export type Outcome<R> = { ok: true; result: R } | { ok: false; error: unknown };

/** Items waiting to share one write (see writeTogether). */
interface Gathering {
  items: unknown[];
  settle: { resolve: (value: unknown) => void; reject: (reason: unknown) => void }[];
}

interface PendingWrite {
  work: (tx: Tx) => Promise<unknown>;
  /** Its size (the events it records; 1 for an ordinary write), bounding the group it joins. */
  weight: number;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

/** A write that arrives while the process is shutting down (mapped to a 503 by the error filter). */
export class DatabaseClosedError extends Error {
  readonly code = 'SHUTTING_DOWN';
  constructor() {
    super('The database is closed');
  }
}

/** Most writes one group commit takes; later ones wait for the next group. */
const MAX_GROUP = 256;
/**
 * Most weight (events) one group commit takes beyond its first write. Sharing a COMMIT saves one
 * fsync; past a few hundred events that saving is small against holding every earlier write's
 * answer until the later ones have run, which also kept the main thread (answers, validation) and
 * the writer from overlapping: four clients sending batches of 1,000 took 9.9 s with batches
 * grouped, 8.0 s one per group (100,000 events, same run).
 */
const MAX_GROUP_WEIGHT = 1_000;

/** WAL pages between automatic checkpoints when the config does not say (SQLITE_WAL_AUTOCHECKPOINT). */
const DEFAULT_WAL_AUTOCHECKPOINT = 10_000;

/** Negative = KiB: 64 MiB of page cache per connection. */
const SQLITE_CACHE_KIB = -65_536;
const MIGRATION_LOCK_KEY = 7_301_552_019; // arbitrary, constant: one lock for every Parley node

/** Cluster-wide locks (PostgreSQL advisory lock keys), for work that one node at a time must do. */
export const LOCKS = { demoLoad: 7_301_552_020 } as const;

/**
 * Owns the database connections.
 *
 * SQLite: TypeORM keeps one connection per DataSource, and overlapping transactions on it would
 * interleave. Writes therefore go through one writer connection, serialized by an in-process queue
 * and committed in groups (see flush), while reads use a second, read-only connection that sees
 * only committed data (WAL gives it a consistent snapshot per statement, concurrently with the writer).
 * PostgreSQL: a pool; transactions of one negotiation serialize on its row lock (see ChangeLog).
 */
@Injectable()
export class Db implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  /** The write queue (SQLite): run in order, committed in groups. */
  private pending: PendingWrite[] = [];
  /** Writes that later items of the same key may still join: not started yet (see writeTogether). */
  private readonly gathering = new Map<string, Gathering>();
  private flushing = false;
  private drained: Promise<void> = Promise.resolve();
  /** PostgreSQL transactions in progress (closing waits for them). */
  private readonly inflight = new Set<Promise<unknown>>();
  private closed = false;
  /** Where the write queue's figures go (the server's; the command line has none). */
  private metrics: Metrics | null = null;

  private constructor(
    readonly config: DatabaseConfig,
    private readonly writer: DataSource,
    private readonly reader: DataSource,
  ) {}

  static async open(config: DatabaseConfig, entities: EntityList, options: { migrate?: boolean } = {}): Promise<Db> {
    const writer = new DataSource(dataSourceOptions(config, entities, 'writer'));
    try {
      if (config.driver === 'sqlite') {
        // SQLite would create the file 0644 (and its -wal, -shm alike): it holds password and token hashes.
        ensurePrivateDir(path.dirname(config.path));
        ensurePrivateFile(config.path);
      }
      await writer.initialize();
    } catch (err) {
      throw openFailure(config, err);
    }
    try {
      if (config.driver === 'sqlite') {
        // FULL: a commit is on disk before it is acknowledged (survives a power cut, not only a
        // process crash). NORMAL/EXTRA can be chosen with SQLITE_SYNCHRONOUS.
        await writer.query(`PRAGMA synchronous = ${config.synchronous}`);
        await writer.query(`PRAGMA cache_size = ${SQLITE_CACHE_KIB}`);
        // A checkpoint copies the WAL's pages into the database file and fsyncs it. Every 10,000
        // pages (40 MB) instead of SQLite's 1,000, a hot index page written by many commits is
        // copied once, not once per few batches: ~10% off a 100,000-event batch load. Durability
        // is the WAL's fsync at each commit either way.
        await writer.query(`PRAGMA wal_autocheckpoint = ${config.walAutocheckpoint ?? DEFAULT_WAL_AUTOCHECKPOINT}`);
      }
      if (options.migrate !== false) await runMigrations(writer);
      const reader = config.driver === 'sqlite' ? new DataSource(dataSourceOptions(config, entities, 'reader')) : writer;
      if (reader !== writer) {
        await reader.initialize();
        await reader.query('PRAGMA busy_timeout = 10000');
        // A large page cache keeps the as-of index probes of a long history in memory.
        await reader.query(`PRAGMA cache_size = ${SQLITE_CACHE_KIB}`);
      }
      return new Db(config, writer, reader);
    } catch (err) {
      await writer.destroy().catch(() => undefined);
      throw openFailure(config, err);
    }
  }

  /** Records the write queue's figures into `metrics`: group sizes as they commit, queue and pool use when scraped. */
  attachMetrics(metrics: Metrics): void {
    this.metrics = metrics;
    metrics.gauge('parley_db_write_queue', 'Writes waiting for the SQLite writer (0 on PostgreSQL)', [], (set) => set({}, this.pending.length));
    metrics.gauge('parley_db_pool_connections', 'PostgreSQL pool connections by state (total, idle, waiting for a connection)', ['state'], (set) => {
      const use = poolUse(this.writer);
      if (use) for (const [state, value] of Object.entries(use)) set({ state }, value);
    });
  }

  get driver(): 'sqlite' | 'postgres' {
    return this.config.driver;
  }

  /** Which database this is, as /api/health reports it. Code outside database/ never branches on it: it asks the dialect. */
  get engine(): 'sqlite' | 'postgres' {
    return this.config.driver;
  }

  /** Whether this process is the only writer (SQLite), so a copy of what it wrote stays true until it writes again. */
  get singleWriter(): boolean {
    return dialectOfConfig(this.config).singleWriter;
  }

  /** For reads: sees committed data only. */
  get read(): EntityManager {
    return this.reader.manager;
  }

  get writerDataSource(): DataSource {
    return this.writer;
  }

  /** `weight`: the write's size in events (default 1); a heavy write commits in a group of its own. */
  async write<T>(work: (tx: Tx) => Promise<T>, { weight = 1 }: { weight?: number } = {}): Promise<T> {
    if (this.closed) throw new DatabaseClosedError();
    if (this.driver === 'postgres') {
      const run = (async () => {
        const hooks: (() => void)[] = [];
        const result = await this.writer.transaction((manager) => work({ manager, afterCommit: (fn) => hooks.push(fn) }));
        this.runHooks(hooks);
        return result;
      })();
      this.inflight.add(run);
      void run.then(
        () => this.inflight.delete(run),
        () => this.inflight.delete(run),
      );
      return run;
    }
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work: work as (tx: Tx) => Promise<unknown>, weight, resolve: resolve as (value: unknown) => void, reject });
      this.flush();
    });
  }

  /**
   * Items of the same kind and key (a negotiation's single stance writes) that arrive while an
   * earlier one waits to start share its write: `work` runs once with all of them, so N concurrent
   * items cost the statements of one and share its commit. Each is answered after that commit with
   * its own outcome; a refused one (409) changes nothing and does not hold up the others. If the
   * whole write fails on unexpected data, each item is written alone, so one bad item cannot fail
   * the others. On SQLite the shared write waits in the queue like any other; on PostgreSQL it
   * waits for its connection.
   */
  writeTogether<I, R>(key: string, item: I, work: (tx: Tx, items: I[]) => Promise<Outcome<R>[]>): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const settle = { resolve: resolve as (value: unknown) => void, reject };
      const open = this.gathering.get(key);
      if (open) {
        open.items.push(item);
        open.settle.push(settle);
        return;
      }
      const gathering: Gathering = { items: [item], settle: [settle] };
      this.gathering.set(key, gathering);
      const start = (): I[] => {
        // Closed from here on: later items start a write of their own.
        if (this.gathering.get(key) === gathering) this.gathering.delete(key);
        this.metrics?.gatheredWrites.observe(gathering.items.length);
        return gathering.items as I[];
      };
      this.write((tx) => work(tx, start())).then(
        (outcomes) => outcomes.forEach((o, i) => (o.ok ? gathering.settle[i].resolve(o.result) : gathering.settle[i].reject(o.error))),
        (error: unknown) => {
          start(); // refused before it started (shutting down)
          if (gathering.items.length > 1 && isRefusedData(error)) {
            gathering.items.forEach((one, i) => {
              this.write(async (tx) => (await work(tx, [one as I]))[0]).then(
                (o) => (o.ok ? gathering.settle[i].resolve(o.result) : gathering.settle[i].reject(o.error)),
                gathering.settle[i].reject,
              );
            });
            return;
          }
          for (const { reject: fail } of gathering.settle) fail(error);
        },
      );
    });
  }

  /**
   * Group commit (SQLite): the writes waiting in the queue run one after another inside one
   * transaction, each in its own savepoint, and one COMMIT (one fsync) makes them all durable. A
   * write that fails rolls back to its savepoint alone. Nobody hears "done" before the COMMIT; if the
   * COMMIT fails, every write of the group fails and none is acknowledged.
   */
  private flush(): void {
    if (this.flushing) return;
    this.flushing = true;
    this.drained = (async () => {
      try {
        while (this.pending.length > 0) await this.commitGroup(this.nextGroup());
      } finally {
        this.flushing = false;
      }
    })();
  }

  /** The first waiting write, and those after it while the group stays within MAX_GROUP and MAX_GROUP_WEIGHT. */
  private nextGroup(): PendingWrite[] {
    let size = 1;
    let weight = this.pending[0].weight;
    while (size < this.pending.length && size < MAX_GROUP && weight + this.pending[size].weight <= MAX_GROUP_WEIGHT) {
      weight += this.pending[size].weight;
      size += 1;
    }
    return this.pending.splice(0, size);
  }

  private async commitGroup(group: PendingWrite[]): Promise<void> {
    const runner = this.writer.createQueryRunner();
    const outcomes: ({ ok: true; value: unknown; hooks: (() => void)[] } | { ok: false; error: unknown })[] = [];
    try {
      await runner.startTransaction();
      for (const item of group) {
        const hooks: (() => void)[] = [];
        await runner.startTransaction();
        try {
          const value = await item.work({ manager: runner.manager, afterCommit: (fn) => hooks.push(fn) });
          await runner.commitTransaction();
          outcomes.push({ ok: true, value, hooks });
        } catch (error) {
          // A full disk or an I/O error may have rolled back the whole transaction, not just this
          // statement: the group cannot go on (later writes would run outside it), so it fails whole.
          if (isStorageFailure(error)) throw error;
          await runner.rollbackTransaction();
          outcomes.push({ ok: false, error });
        }
      }
      await runner.commitTransaction();
      this.metrics?.commitGroupSize.observe(group.length);
    } catch (error) {
      await resetAfterFailure(runner);
      for (const item of group) item.reject(error);
      return;
    } finally {
      await runner.release();
    }
    group.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) {
        this.runHooks(outcome.hooks);
        item.resolve(outcome.value);
      } else {
        item.reject(outcome.error);
      }
    });
  }

  private runHooks(hooks: (() => void)[]): void {
    for (const hook of hooks) {
      try {
        hook();
      } catch (err) {
        this.logger.error(`after-commit hook failed: ${String(err)}`);
      }
    }
  }

  /**
   * Runs `work` while holding a lock every node shares: on PostgreSQL a session advisory lock on a
   * connection of its own (released when `work` ends, or by the server if this process dies); on
   * SQLite, which one process serves, `work` just runs.
   */
  async exclusively<T>(key: (typeof LOCKS)[keyof typeof LOCKS], work: () => Promise<T>): Promise<T> {
    if (this.driver !== 'postgres') return work();
    const runner = this.writer.createQueryRunner();
    try {
      await runner.query('SELECT pg_advisory_lock($1)', [key]);
      try {
        return await work();
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => undefined);
      }
    } finally {
      await runner.release();
    }
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
    // Let queued writes finish: a write that was accepted is committed or refused, never cut off.
    while (this.flushing || this.pending.length > 0) await this.drained;
    await Promise.allSettled([...this.inflight]);
    if (this.reader !== this.writer && this.reader.isInitialized) await this.reader.destroy();
    if (this.writer.isInitialized) await this.writer.destroy();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}

/** Start-up on a data folder that cannot be written (read-only, full, missing, under a file): say so, naming DB_PATH. */
export class DatabaseOpenError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'DatabaseOpenError';
  }
}

/** Why the file system refused to create the database's folder or file (TypeORM creates the folder). */
const FILE_SYSTEM_REASONS: Record<string, string> = {
  EEXIST: 'a part of its folder path is a file, not a folder',
  ENOTDIR: 'a part of its folder path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  ENAMETOOLONG: 'the path is too long',
};

/** The first part of the folder path of `file` that exists and is not a folder, if any. */
function fileInFolderPath(file: string): string | undefined {
  const folders: string[] = [];
  for (let at = path.dirname(path.resolve(file)); ; at = path.dirname(at)) {
    folders.unshift(at);
    if (path.dirname(at) === at) break;
  }
  for (const folder of folders) {
    try {
      if (!fs.statSync(folder).isDirectory()) return folder;
    } catch {
      return undefined; // missing from here on: nothing in the way
    }
  }
  return undefined;
}

function openFailure(config: DatabaseConfig, err: unknown): unknown {
  if (config.driver !== 'sqlite') return err;
  const e = err as { code?: unknown; path?: unknown; driverError?: { code?: unknown } };
  const code = String(e.driverError?.code ?? e.code ?? '');
  const reason = FILE_SYSTEM_REASONS[code];
  if (reason) {
    const file = code === 'EEXIST' || code === 'ENOTDIR' ? fileInFolderPath(config.path) : undefined;
    const at = file ?? (typeof e.path === 'string' ? e.path : undefined);
    const where = at !== undefined && at !== config.path ? ` (${at})` : '';
    return new DatabaseOpenError(
      `Cannot open the database DB_PATH=${config.path}: ${reason}${where} (${code}). Set DB_PATH to a file in a folder that exists or can be created, and is writable.`,
      code,
    );
  }
  if (!isStorageFailure(err)) return err;
  return new DatabaseOpenError(
    `Cannot open the database DB_PATH=${config.path} for writing (${code}): check that its folder exists, is writable and has free space.`,
    code,
  );
}

/**
 * After a failed statement or COMMIT the writer must be usable again for the next group. TypeORM's
 * SQLite driver shares one query runner, which after a failed COMMIT still believes a transaction
 * is open (its next BEGIN would become a SAVEPOINT). Roll back whatever SQLite still holds and reset
 * the runner's bookkeeping.
 */
async function resetAfterFailure(runner: QueryRunner): Promise<void> {
  await runner.query('ROLLBACK').catch(() => undefined);
  const state = runner as unknown as { isTransactionActive: boolean; transactionDepth: number };
  state.isTransactionActive = false;
  state.transactionDepth = 0;
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
