import type { MigrationInterface, QueryRunner } from 'typeorm';

// A stance's quote keeps its original language beside an optional translation: three nullable
// columns of stance_events, added with plain ALTER TABLE … ADD COLUMN, which both databases run in
// place (QueryRunner.addColumn rebuilds the table on SQLite). Existing quotes get no language: it was
// never recorded, and guessing it would put words in an analyst's mouth.

export class QuoteTranslation1765152000000 implements MigrationInterface {
  name = 'QuoteTranslation1765152000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE stance_events ADD COLUMN quote_language varchar(35)');
    await q.query('ALTER TABLE stance_events ADD COLUMN translation text');
    await q.query('ALTER TABLE stance_events ADD COLUMN translation_language varchar(35)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE stance_events DROP COLUMN translation_language');
    await q.query('ALTER TABLE stance_events DROP COLUMN translation');
    await q.query('ALTER TABLE stance_events DROP COLUMN quote_language');
  }
}
