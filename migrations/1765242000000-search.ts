import type { MigrationInterface, QueryRunner } from 'typeorm';

// Full-text search over a negotiation's texts, kept by the database itself so that every writer
// (the API, imports, the demo loader, other nodes) is covered without a line of their code.
//
// - SQLite: one FTS5 table per searched kind (`search_*`), tokenizer `unicode61 remove_diacritics 2`
//   (Unicode letters and digits; case folded in every script; Latin diacritics removed), filled by
//   triggers. Stance events are insert-only: one trigger, and only events with text get a row.
//   Points, provisions and sources are inserted, updated (provisions also deleted): their rows are
//   replaced. Rows of existing data are copied in here.
// - PostgreSQL: a GIN index on a tsvector expression per kind (`ix_search_*`), built over existing
//   rows by CREATE INDEX. The expression, `parley_search_vector(text)`, folds as SQLite does:
//   lower case; a Latin letter followed by combining diacritics (U+0300–U+036F, once decomposed)
//   becomes the bare letter; every run of characters other than letters and digits a space. Text
//   without a Latin letter beyond ASCII or a combining mark skips the two normalizations (most
//   text: 3 times cheaper; a translate() table of the 488 letters was 10 times dearer). No
//   extension: `unaccent` needs rights to install and folds more than SQLite (ł, ß, ø, Cyrillic ё),
//   which would make the two modes answer differently.
// The API (src/search/search-kinds.ts) repeats each kind's table, columns and expression: a
// migration imports no application code.

interface Kind {
  fts: string;
  table: string;
  columns: string[];
  /** UNINDEXED columns of the FTS5 table: negotiation_id and the row's key, as values of `new.`/`old.` rows. */
  keys: Record<string, (row: string) => string>;
  /** Insert-only (no update or delete trigger). */
  appendOnly?: boolean;
  /** PostgreSQL: a partial index (only rows with text). */
  where?: string;
}

const KINDS: Kind[] = [
  {
    fts: 'search_stances',
    table: 'stance_events',
    columns: ['quote', 'translation', 'note'],
    keys: { negotiation_id: (r) => `${r}.negotiation_id`, event_id: (r) => `${r}.id` },
    appendOnly: true,
    where: 'quote IS NOT NULL OR translation IS NOT NULL OR note IS NOT NULL',
  },
  { fts: 'search_points', table: 'points', columns: ['title', 'description'], keys: { negotiation_id: (r) => `${r}.negotiation_id`, point_id: (r) => `${r}.id` } },
  {
    fts: 'search_provisions',
    table: 'provisions',
    columns: ['text'],
    keys: {
      negotiation_id: (r) => `(SELECT d.negotiation_id FROM documents d WHERE d.id = ${r}.document_id)`,
      document_id: (r) => `${r}.document_id`,
      point_id: (r) => `${r}.point_id`,
    },
  },
  {
    fts: 'search_sources',
    table: 'sources',
    columns: ['outlet', 'title', 'description'],
    keys: { negotiation_id: (r) => `${r}.negotiation_id`, source_id: (r) => `${r}.id` },
  },
];

/** The PostgreSQL index expression of a kind's columns (src/search/search-kinds.ts writes the same). */
const vectorOf = (columns: string[]) => `parley_search_vector(${columns.map((c) => `coalesce(${c}, '')`).join(` || ' ' || `)})`;

export class Search1765242000000 implements MigrationInterface {
  name = 'Search1765242000000';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'postgres') {
      await q.query(
        `CREATE FUNCTION parley_search_vector(t text) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ ` +
          `SELECT to_tsvector('simple'::regconfig, regexp_replace(CASE WHEN t ~ '[\\u00c0-\\u024f\\u1e00-\\u1eff\\u0300-\\u036f]' ` +
          `THEN normalize(regexp_replace(normalize(lower(t), NFD), '([a-z])[\\u0300-\\u036f]+', '\\1', 'g'), NFC) ELSE lower(t) END, '[^[:alnum:]]+', ' ', 'g')) $$`,
      );
      for (const k of KINDS) {
        await q.query(`CREATE INDEX ix_${k.fts} ON ${k.table} USING gin (${vectorOf(k.columns)})${k.where ? ` WHERE ${k.where}` : ''}`);
      }
      return;
    }
    for (const k of KINDS) {
      const keys = Object.keys(k.keys);
      await q.query(`CREATE VIRTUAL TABLE ${k.fts} USING fts5(${[...k.columns, ...keys.map((c) => `${c} UNINDEXED`)].join(', ')}, tokenize = 'unicode61 remove_diacritics 2')`);
      const hasText = (r: string) => k.columns.map((c) => `${r}.${c} IS NOT NULL`).join(' OR ');
      const insert = (r: string) =>
        `INSERT INTO ${k.fts} (${[...k.columns, ...keys].join(', ')}) SELECT ${[...k.columns.map((c) => `${r}.${c}`), ...keys.map((c) => k.keys[c](r))].join(', ')} WHERE ${hasText(r)};`;
      const own = keys.filter((c) => c !== 'negotiation_id');
      const remove = `DELETE FROM ${k.fts} WHERE ${own.map((c) => `${c} = ${k.keys[c]('old')}`).join(' AND ')};`;
      await q.query(`CREATE TRIGGER ${k.fts}_insert AFTER INSERT ON ${k.table} WHEN ${hasText('new')} BEGIN ${insert('new')} END`);
      if (!k.appendOnly) {
        const changed = k.columns.map((c) => `old.${c} IS NOT new.${c}`).join(' OR ');
        await q.query(`CREATE TRIGGER ${k.fts}_update AFTER UPDATE ON ${k.table} WHEN ${changed} BEGIN ${remove} ${insert('new')} END`);
        await q.query(`CREATE TRIGGER ${k.fts}_delete AFTER DELETE ON ${k.table} BEGIN ${remove} END`);
      }
      // Existing rows, oldest first (an event's FTS rowid follows its sequence number: newest last).
      const order = k.table === 'stance_events' ? ' ORDER BY negotiation_id, seq' : '';
      await q.query(
        `INSERT INTO ${k.fts} (${[...k.columns, ...keys].join(', ')}) SELECT ${[...k.columns, ...keys.map((c) => k.keys[c](k.table))].join(', ')} FROM ${k.table} WHERE ${hasText(k.table)}${order}`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'postgres') {
      for (const k of KINDS) await q.query(`DROP INDEX ix_${k.fts}`);
      await q.query('DROP FUNCTION parley_search_vector(text)');
      return;
    }
    for (const k of KINDS) {
      for (const t of ['insert', 'update', 'delete']) await q.query(`DROP TRIGGER IF EXISTS ${k.fts}_${t}`);
      await q.query(`DROP TABLE ${k.fts}`);
    }
  }
}
