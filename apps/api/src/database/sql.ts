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
