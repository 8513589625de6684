import type { MigrationInterface, QueryRunner } from 'typeorm';

// A stance's quote keeps its original language beside an optional translation (and its language).
// Plain ALTER TABLE … ADD COLUMN, which both databases run in place: QueryRunner.addColumns would
// rebuild stance_events on SQLite (a copy of the whole history, and a DROP that the retractions'
// foreign keys refuse inside the migration's transaction). Existing events get nulls: the language
// of the quotes recorded so far is not known.

const COLUMNS = [
  ['quote_language', 'varchar(35)'],
  ['translation', 'text'],
  ['translation_language', 'varchar(35)'],
] as const;

export class QuoteLanguage1764979200000 implements MigrationInterface {
  name = 'QuoteLanguage1764979200000';

  async up(q: QueryRunner): Promise<void> {
    for (const [name, type] of COLUMNS) await q.query(`ALTER TABLE stance_events ADD COLUMN ${name} ${type}`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Both databases drop a column in place (SQLite since 3.35).
    for (const [name] of [...COLUMNS].reverse()) await q.query(`ALTER TABLE stance_events DROP COLUMN ${name}`);
  }
}
