import type { MigrationInterface, QueryRunner } from 'typeorm';

// PostgreSQL only (SQLite's FTS5 table already stores what it matches): a stance event's search
// text becomes a stored column, `stance_events.search_vector`, computed once when the event is
// written (a trigger keeps it; events are never updated), and the GIN index of
// migrations/1765242000000-search.ts moves onto it. With the index on an expression, every
// candidate the index returned was computed again from its texts to check a phrase (3.6 s for a
// phrase of common words at a million events), and the expression had no statistics: the planner
// fetched all 230,000 events holding a common word to keep the newest 500. A column's statistics
// (its most common words and their frequencies) let it read a common word's newest events
// backwards along (negotiation_id, seq), stopping at the limit, and a rare word's through the index.
// The column is NULL for an event without text, as the old index was partial. Adding it rewrites
// the table once (about a minute at a million events).

/** The texts' vector of a row (`row` = '' for the table's own columns, 'NEW.' in the trigger). */
const vectorOf = (row: string) =>
  `CASE WHEN ${row}quote IS NULL AND ${row}translation IS NULL AND ${row}note IS NULL THEN NULL ` +
  `ELSE parley_search_vector(coalesce(${row}quote, '') || ' ' || coalesce(${row}translation, '') || ' ' || coalesce(${row}note, '')) END`;

export class SearchStoredVector1765540800000 implements MigrationInterface {
  name = 'SearchStoredVector1765540800000';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    await q.query('DROP INDEX ix_search_stances');
    // Filled for the rows already there in the one rewrite ADD COLUMN makes (an UPDATE would leave a
    // dead copy of every event behind), then made a plain column kept by a trigger: TypeORM cannot
    // read a table with a generated column it did not create itself (it looks for its own
    // `typeorm_metadata` table), and the JSON backup lists the tables through it.
    await q.query(`ALTER TABLE stance_events ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (${vectorOf('')}) STORED`);
    await q.query('ALTER TABLE stance_events ALTER COLUMN search_vector DROP EXPRESSION');
    await q.query(`CREATE FUNCTION parley_stance_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.search_vector := ${vectorOf('NEW.')}; RETURN NEW; END $$`);
    await q.query(
      'CREATE TRIGGER stance_events_search_vector BEFORE INSERT OR UPDATE OF quote, translation, note ON stance_events FOR EACH ROW EXECUTE FUNCTION parley_stance_search_vector()',
    );
    await q.query('CREATE INDEX ix_search_stances ON stance_events USING gin (search_vector) WHERE search_vector IS NOT NULL');
    // The statistics the planner needs: now, rather than at autovacuum's next pass.
    await q.query('ANALYZE stance_events');
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    await q.query('DROP INDEX ix_search_stances');
    await q.query('DROP TRIGGER stance_events_search_vector ON stance_events');
    await q.query('DROP FUNCTION parley_stance_search_vector()');
    await q.query('ALTER TABLE stance_events DROP COLUMN search_vector');
    await q.query(
      `CREATE INDEX ix_search_stances ON stance_events USING gin (parley_search_vector(coalesce(quote, '') || ' ' || coalesce(translation, '') || ' ' || coalesce(note, ''))) WHERE quote IS NOT NULL OR translation IS NOT NULL OR note IS NOT NULL`,
    );
  }
}
