import type { EntityManager } from 'typeorm';
import { dialectOf } from './dialect';
import { sql } from './sql';

/**
 * Full-text candidates on either database: the one place that knows SQLite's FTS5 tables and
 * PostgreSQL's tsvector indexes (migrations/1765242000000-search.ts makes both). A searched kind is
 * described once (`SearchIndex`); the query is what the user typed as clauses of words (letters and
 * digits only, already folded: src/search/fold.ts), so no user character reaches either query
 * language as syntax.
 */
export interface SearchIndex {
  /** SQLite: the FTS5 table. Its UNINDEXED columns: negotiation_id and the keys below. */
  fts: string;
  /** The searched table as `t`, with any join the selected columns need. */
  from: string;
  /** The negotiation of a row of `from`. */
  negotiation: string;
  /** The FTS5 table's key columns and the columns of `from` they equal. */
  keys: Record<string, string>;
  /** The text columns of `t`, in the order of the PostgreSQL index expression. */
  columns: readonly string[];
  /**
   * PostgreSQL: the indexed text when it is not the columns joined by spaces (e.g. a long text cut
   * with left(…), since a tsvector holds at most 1 MB), exactly as in the index's expression.
   */
  text?: string;
  /** PostgreSQL: the partial index's predicate (on `t`'s columns), repeated so the planner uses it. */
  where?: string;
  /**
   * PostgreSQL: a stored tsvector column of `t` that the GIN index is on (NULL for a row without
   * text), used instead of computing the texts' vector (the index's expression) for each row.
   */
  vector?: string;
  /** PostgreSQL: newest first (SQLite: the FTS5 row order, newest last, is insertion order). */
  newest: string;
  /** The columns read from `from`. */
  select: string;
}

export interface SearchClause {
  words: readonly string[];
  prefix: boolean;
}

/** FTS5: each clause a quoted phrase (`"a b"`, `"abc" *`), all of them required. */
function ftsMatch(clauses: readonly SearchClause[]): string {
  return clauses.map((c) => `"${c.words.join(' ')}"${c.prefix ? ' *' : ''}`).join(' ');
}

/** tsquery: each clause its words in a row (`'a' <-> 'b'`, `'abc':*`), all of them required. */
function tsQuery(clauses: readonly SearchClause[]): string {
  return clauses.map((c) => c.words.map((w, i) => `'${w}'${c.prefix && i === c.words.length - 1 ? ':*' : ''}`).join(' <-> ')).join(' & ');
}

/**
 * The newest `limit` rows of one kind in a negotiation whose text matches every clause, as the
 * database's index sees it (a superset of what the ranking keeps: it checks each clause again in
 * the rows' fields).
 */
export async function searchCandidates<Row>(manager: EntityManager, index: SearchIndex, negotiationId: string, clauses: readonly SearchClause[], limit: number): Promise<Row[]> {
  for (const c of clauses) for (const w of c.words) if (!/^[\p{L}\p{N}\p{M}]+$/u.test(w)) throw new Error(`search word ${JSON.stringify(w)} is not letters, marks and digits`);
  if (dialectOf(manager).textSearch === 'tsvector') {
    const vector = index.vector ?? `parley_search_vector(${index.text ?? index.columns.map((c) => `coalesce(t.${c}, '')`).join(` || ' ' || `)})`;
    const where = index.where && !index.vector ? `(${index.where.replace(/\b(\w+) IS NOT NULL/g, 't.$1 IS NOT NULL')}) AND ` : '';
    const { rows } = await sql<Row>(
      manager,
      `SELECT ${index.select} FROM ${index.from} WHERE ${index.negotiation} = ? AND ${where}${vector} @@ to_tsquery('simple', ?) ORDER BY ${index.newest} LIMIT ?`,
      [negotiationId, tsQuery(clauses), limit],
    );
    return rows;
  }
  // CROSS JOIN: SQLite walks the FTS5 matches (newest first) and looks each row up, never the other way.
  const on = Object.entries(index.keys)
    .map(([key, column]) => `${column} = f.${key}`)
    .join(' AND ');
  const { rows } = await sql<Row>(
    manager,
    `SELECT ${index.select} FROM ${index.fts} f CROSS JOIN ${index.from} WHERE f.${index.fts} MATCH ? AND f.negotiation_id = ? AND ${on} AND ${index.negotiation} = ? ORDER BY f.rowid DESC LIMIT ?`,
    [ftsMatch(clauses), negotiationId, negotiationId, limit],
  );
  return rows;
}
