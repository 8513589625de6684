import type { DataSource, EntityManager } from 'typeorm';
import type { DatabaseConfig } from '../config/app-config';

/**
 * Every difference between SQLite and PostgreSQL that code outside database/ would otherwise have
 * to ask about: the SQL each one takes, what the installation is made of, and what a driver's
 * error means. Nothing outside database/ (and config/, which reads DATABASE_URL) asks which driver
 * runs; a test greps for it (dialect-boundary.spec.ts).
 */
export interface Dialect {
  /** `text` written with `?` placeholders, as the driver takes them (PostgreSQL: $1, $2, …). */
  placeholders(text: string): string;
  /**
   * Appended to a SELECT, locks the rows it reads until the transaction ends (PostgreSQL). Empty on
   * SQLite, whose one writer runs one transaction at a time.
   */
  readonly forUpdate: string;
  /** Whether this process is the only writer (SQLite), so what it wrote stays true until it writes again. */
  readonly singleWriter: boolean;
  /** `expr` is one of `values`, bound as one parameter however many there are. */
  inList(expr: string, values: readonly number[]): { where: string; params: unknown[] };
  /**
   * Whether many rows go faster through one JSON text (unpacked by json_each on insert, built by
   * json_group_array on read) than one parameter or row object each: SQLite's driver binds and
   * builds them one by one on the main thread, while SQLite handles JSON on its own thread.
   */
  readonly jsonRows: boolean;
  /** Opens a read-only transaction that sees one snapshot for all its statements. */
  readonly beginSnapshot: string;
  /** Full-text search: FTS5 tables (SQLite) or GIN indexes on tsvectors (PostgreSQL); see search-sql.ts. */
  readonly textSearch: 'fts5' | 'tsvector';
}

const SQLITE: Dialect = {
  placeholders: (text) => text,
  forUpdate: '',
  singleWriter: true,
  inList: (expr, values) => ({ where: `${expr} IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(values)] }),
  jsonRows: true,
  // A read transaction sees one snapshot from its first read on.
  beginSnapshot: 'BEGIN',
  textSearch: 'fts5',
};

const POSTGRES: Dialect = {
  placeholders: (text) => {
    let n = 0;
    return text.replace(/\?/g, () => `$${++n}`);
  },
  forUpdate: ' FOR UPDATE',
  singleWriter: false,
  inList: (expr, values) => ({ where: `${expr} = ANY(?::int[])`, params: [values] }),
  jsonRows: false,
  beginSnapshot: 'START TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY',
  textSearch: 'tsvector',
};

/** The dialect a manager (of a transaction, or of a data source) speaks. */
export function dialectOf(manager: EntityManager): Dialect {
  return manager.connection.options.type === 'postgres' ? POSTGRES : SQLITE;
}

/** The dialect of a configured database. */
export function dialectOfConfig(config: DatabaseConfig): Dialect {
  return config.driver === 'postgres' ? POSTGRES : SQLITE;
}

/** The database's file (SQLite); null for a database on a server (PostgreSQL). */
export function databaseFile(config: DatabaseConfig): string | null {
  return config.driver === 'sqlite' ? config.path : null;
}

/** Where the data lives, for messages: the SQLite file or the PostgreSQL schema. */
export function databasePlace(config: DatabaseConfig): string {
  return config.driver === 'sqlite' ? config.path : `schema ${config.schema ?? '(default)'}`;
}

/**
 * The connection pool's use (PostgreSQL: node-postgres's pool behind TypeORM); null for SQLite,
 * whose two connections are fixed and whose writes wait in Db's own queue instead.
 */
export function poolUse(source: DataSource): { total: number; idle: number; waiting: number } | null {
  if (source.options.type !== 'postgres') return null;
  const pool = (source.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number } }).master;
  return pool ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } : null;
}

// ---------- what a driver's error means ----------

/**
 * A database failure by whose fault it is. SQLite reports its primary result code (`SQLITE_FULL`…);
 * PostgreSQL an SQLSTATE, whose class says it.
 * - `storage`: the storage itself failed (SQLite: full, I/O error, read-only, busy…). The
 *   environment's fault, retryable (503); it may have ended the transaction, not just the statement.
 * - `corrupt`: the SQLite file is damaged. A storage failure too, but no retry helps (500).
 * - `unavailable`: the server or connection cannot serve now (503): SQLSTATE 08 connection
 *   exception, 53 insufficient resources (53100 disk full), 57P0x shutdown, 28 login refused; a
 *   network error; SQLITE_LOCKED; a write after the database closed for shutdown.
 * - `data`: a value the database refused (SQLSTATE class 22): the request's fault (400).
 * - `unique`: a unique constraint (23505). SQLite's SQLITE_CONSTRAINT counts here whatever the
 *   constraint: its primary result code does not tell which (409).
 * - `foreign-key`: a reference to a row that is not there (23503) (409).
 * - `constraint`: any other constraint (PostgreSQL class 23: not null, check…): refused for its
 *   data, but not a conflict the client can resolve (500).
 */
export type DbFailureKind = 'storage' | 'corrupt' | 'unavailable' | 'data' | 'unique' | 'foreign-key' | 'constraint';

export interface DbFailure {
  kind: DbFailureKind;
  /** The driver's code (SQLITE_…, an SQLSTATE, a network error's). */
  code: string | undefined;
  /**
   * What exactly, where a message says it: a full disk or a read-only database (`storage`,
   * `unavailable`); for `data`, the kind of value refused.
   */
  reason?: 'disk-full' | 'read-only' | 'bad-text' | 'too-long' | 'out-of-range' | 'bad-date';
}

const STORAGE_CODES = new Set(['SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_READONLY', 'SQLITE_CANTOPEN', 'SQLITE_NOMEM', 'SQLITE_BUSY', 'SQLITE_PROTOCOL']);
const UNAVAILABLE_CODES = new Set([
  'SQLITE_LOCKED',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'SHUTTING_DOWN', // a write that arrived after the database was closed for shutdown (DatabaseClosedError)
]);
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0|28)/;
/** TypeORM's own errors for a connection it lost mid-transaction (PostgreSQL backend terminated). */
const UNAVAILABLE_ERRORS = new Set(['QueryRunnerAlreadyReleasedError', 'ConnectionIsNotSetError']);
/**
 * pg's own errors for a lost or unobtainable connection carry no code, only these messages; so does
 * TypeORM's for a PostgreSQL pool already closed (a request that arrives during shutdown).
 */
const UNAVAILABLE_MESSAGE = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Driver not Connected/i;

const REASONS = new Map<string, DbFailure['reason']>([
  ['SQLITE_FULL', 'disk-full'],
  ['53100', 'disk-full'],
  ['SQLITE_READONLY', 'read-only'],
  ['22021', 'bad-text'], // a NUL, or an invalid byte sequence
  ['22001', 'too-long'],
  ['22003', 'out-of-range'],
  ['22007', 'bad-date'],
  ['22008', 'bad-date'],
]);

interface DriverError {
  name?: unknown;
  code?: unknown;
  message?: unknown;
}

/** What a thrown error says about the database, or null when it is not a database failure. */
export function dbFailureOf(err: unknown): DbFailure | null {
  if (typeof err !== 'object' || err === null) return null;
  // TypeORM wraps the driver's error (QueryFailedError.driverError) and copies its code.
  const outer = err as DriverError & { driverError?: DriverError };
  const e = outer.driverError ?? outer;
  const raw = outer.driverError?.code ?? outer.code;
  const code = typeof raw === 'string' ? raw : undefined;
  const reason = code === undefined ? undefined : REASONS.get(code);
  const failure = (kind: DbFailureKind): DbFailure => ({ kind, code, ...(reason ? { reason } : {}) });
  if (code !== undefined && STORAGE_CODES.has(code)) return failure('storage');
  if (code === 'SQLITE_CORRUPT') return failure('corrupt');
  if (typeof e.name === 'string' && UNAVAILABLE_ERRORS.has(e.name)) return failure('unavailable');
  if (code !== undefined && (UNAVAILABLE_CODES.has(code) || (/^[0-9A-Z]{5}$/.test(code) && UNAVAILABLE_SQLSTATE.test(code)))) return failure('unavailable');
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGE.test(e.message)) return failure('unavailable');
  if (code === undefined) return null;
  if (/^22[0-9A-Z]{3}$/.test(code)) return failure('data');
  if (code === '23505' || code === 'SQLITE_CONSTRAINT') return failure('unique');
  if (code === '23503') return failure('foreign-key');
  if (code.startsWith('SQLITE_CONSTRAINT') || /^23[0-9A-Z]{3}$/.test(code)) return failure('constraint');
  return null;
}

/** The environment's fault, not the request's: retryable (503). */
export const isUnavailable = (failure: DbFailure | null): boolean => failure?.kind === 'storage' || failure?.kind === 'unavailable';

/** The storage failed, not one statement's data: the transaction may have ended with it. */
export const isStorageFailure = (err: unknown): boolean => {
  const kind = dbFailureOf(err)?.kind;
  return kind === 'storage' || kind === 'corrupt';
};

/** The data conflicts with rows already there (409). */
export const isConflict = (failure: DbFailure | null): boolean => failure?.kind === 'unique' || failure?.kind === 'foreign-key';

/** A statement refused for its data (a value or a constraint), not for the database's state. */
export const isRefusedData = (err: unknown): boolean => {
  const kind = dbFailureOf(err)?.kind;
  return kind === 'data' || kind === 'unique' || kind === 'foreign-key' || kind === 'constraint';
};

/** A row whose unique key is taken (on SQLite: any constraint, see DbFailureKind). */
export const isUniqueViolation = (err: unknown): boolean => dbFailureOf(err)?.kind === 'unique';
