import type { EntityManager } from 'typeorm';

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
  let query = text;
  if (manager.connection.options.type === 'postgres') {
    let n = 0;
    query = text.replace(/\?/g, () => `$${++n}`);
  }
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

/**
 * Multi-row INSERT of `rows` (values in `columns` order), split into statements that stay under the
 * drivers' parameter limits: one statement for a few rows instead of one per row.
 */
export async function insertRows(manager: EntityManager, table: string, columns: readonly string[], rows: unknown[][], suffix = ''): Promise<void> {
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const head = `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES `;
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    await sql(manager, `${head}${chunk.map(() => tuple).join(', ')}${suffix ? ` ${suffix}` : ''}`, chunk.flat());
  }
}
