import type { MigrationInterface, QueryRunner } from 'typeorm';

// Search over the text of sources' archived copies, as migrations/1765242000000-search.ts does for
// the other kinds: on SQLite an FTS5 table filled by a trigger (copies are insert-only) and from the
// copies already there; on PostgreSQL a GIN index on the same expression the API queries
// (src/search/search-kinds.ts), the text cut at 500,000 characters since a tsvector holds at most
// 1 MB. Every copy is indexed; the API shows a source's latest.

const CUT = 500_000;

export class SearchArchives1765411200000 implements MigrationInterface {
  name = 'SearchArchives1765411200000';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'postgres') {
      await q.query(`CREATE INDEX ix_search_archives ON source_archives USING gin (parley_search_vector(left(coalesce(text, ''), ${CUT})))`);
      return;
    }
    await q.query(
      `CREATE VIRTUAL TABLE search_archives USING fts5(text, negotiation_id UNINDEXED, archive_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')`,
    );
    await q.query(
      `CREATE TRIGGER search_archives_insert AFTER INSERT ON source_archives BEGIN
         INSERT INTO search_archives (text, negotiation_id, archive_id) VALUES (substr(new.text, 1, ${CUT}), new.negotiation_id, new.id);
       END`,
    );
    await q.query(
      `INSERT INTO search_archives (text, negotiation_id, archive_id) SELECT substr(text, 1, ${CUT}), negotiation_id, id FROM source_archives ORDER BY archived_at, id`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'postgres') {
      await q.query('DROP INDEX ix_search_archives');
      return;
    }
    await q.query('DROP TRIGGER IF EXISTS search_archives_insert');
    await q.query('DROP TABLE search_archives');
  }
}
