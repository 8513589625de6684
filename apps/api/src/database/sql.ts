import type { EntityManager } from 'typeorm';
import { dialectOf } from './dialect';

export interface SqlResult<Row> {
  rows: Row[];
  affected: number;
}

/**
 * Runs hand-written SQL on either database. Write it with `?` placeholders and snake_case names;
 * for PostgreSQL the placeholders become $1, $2, …
 */
export async function sql<Row = Record<string, unknown>>(
  manager: EntityManager,
  text: string,
  params: unknown[] = [],
): Promise<SqlResult<Row>> {
  const query = dialectOf(manager).placeholders(text);
  // A transaction's manager has its own runner; a plain manager gets one for this query only.
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  let result: { records?: Row[]; raw?: unknown; affected?: number };
  try {
    result = (await runner.query(query, params, true)) as typeof result;
  } finally {
    if (!manager.queryRunner) await runner.release();
  }
  const rows = result.records ?? (Array.isArray(result.raw) ? (result.raw as Row[]) : []);
  return { rows, affected: result.affected ?? 0 };
}

/** BIGINT columns arrive as strings from PostgreSQL. */
export const num = (value: unknown): number => (typeof value === 'number' ? value : Number(value));
export const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : num(value));

/** Most bound parameters per statement (SQLite allows 32,766, PostgreSQL 65,535). */
const MAX_PARAMS = 30_000;
/** Rows per statement when SQLite reads them from one JSON parameter. */
const JSON_ROWS = 5_000;

/**
 * Multi-row INSERT of `rows` (values in `columns` order): one statement for many rows instead of one
 * per row.
 *
 * Where the dialect says so (SQLite) the rows go in as one JSON text parameter unpacked by
 * `json_each`: the driver binds each parameter on the main thread (about a microsecond apiece: a
 * batch of 1,000 events has 22,000), while SQLite parses the JSON on its own thread. Rows holding
 * anything but strings, finite numbers, booleans and nulls (which JSON would not carry unchanged)
 * take the parameter path, as does PostgreSQL, in statements under the drivers' parameter limits.
 */
export async function insertRows(manager: EntityManager, table: string, columns: readonly string[], rows: unknown[][], suffix = ''): Promise<void> {
  const head = `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) `;
  if (dialectOf(manager).jsonRows && rows.every(jsonSafe)) {
    for (let i = 0; i < rows.length; i += JSON_ROWS) {
      const chunk = rows.slice(i, i + JSON_ROWS);
      // A column with one value in every row (the negotiation, the author, the time, the many
      // nulls) is bound once instead of being written into and extracted from each row's JSON:
      // extraction is ~0.5 µs per value on SQLite's thread, half of a batch's INSERT.
      const same = columns.map((_, c) => chunk.every((row) => row[c] === chunk[0][c]));
      const varying = columns.map((_, c) => c).filter((c) => !same[c]);
      let k = 0;
      const select = columns.map((_, c) => (same[c] ? '?' : `value ->> ${k++}`)).join(', ');
      const json = varying.length > 0 ? JSON.stringify(chunk.map((row) => varying.map((c) => row[c]))) : `[${chunk.map(() => 0).join(',')}]`;
      // "WHERE true": without it SQLite would read an ON CONFLICT suffix as a join's ON clause.
      await sql(manager, `${head}SELECT ${select} FROM json_each(?) WHERE true${suffix ? ` ${suffix}` : ''}`, [
        ...columns.flatMap((_, c) => (same[c] ? [chunk[0][c]] : [])),
        json,
      ]);
    }
    return;
  }
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    await sql(manager, `${head}VALUES ${chunk.map(() => tuple).join(', ')}${suffix ? ` ${suffix}` : ''}`, chunk.flat());
  }
}

function jsonSafe(row: unknown[]): boolean {
  for (const value of row) {
    const type = typeof value;
    if (value !== null && type !== 'string' && type !== 'boolean' && !(type === 'number' && Number.isFinite(value))) return false;
  }
  return true;
}

/** Locks one row until the transaction ends where writers run side by side (PostgreSQL); nothing to do where one writer runs (SQLite). */
export async function lockRow(manager: EntityManager, table: string, id: string): Promise<void> {
  const { forUpdate } = dialectOf(manager);
  if (forUpdate) await sql(manager, `SELECT id FROM ${table} WHERE id = ?${forUpdate}`, [id]);
}

/**
 * Many rows of `columns` (their values in order) read by `select`. Where the dialect says so
 * (SQLite) they come back as one JSON value, made into rows by `fromTuple`: the sqlite3 driver's row
 * objects cost several times more than JSON.parse of the same data. Elsewhere the driver's rows
 * are returned as they are.
 */
export async function selectMany<Row, Tuple extends unknown[]>(
  manager: EntityManager,
  columns: readonly string[],
  select: string,
  params: unknown[],
  fromTuple: (tuple: Tuple) => Row,
): Promise<Row[]> {
  if (!dialectOf(manager).jsonRows) return (await sql<Row>(manager, select, params)).rows;
  const { rows } = await sql<{ j: string | null }>(manager, `SELECT json_group_array(json_array(${columns.join(', ')})) AS j FROM (${select})`, params);
  return (JSON.parse(rows[0]?.j ?? '[]') as Tuple[]).map(fromTuple);
}
