import { randomBytes } from 'node:crypto';
import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

// Sources become records: a negotiation's sources are created once and cited by many stances
// (`stance_events.source_id`). The inline source columns of stance_events stay as the citation as it
// was recorded (the table is append-only). Existing events' inline fields become sources, per
// negotiation, deduplicated by URL, else by outlet + title + publication date; kind `news_report`
// when there is an outlet, else `document`. The column is added with a plain ALTER TABLE … ADD
// COLUMN, which both databases run in place (QueryRunner.addColumn rebuilds the table on SQLite).

const BY_URL = new TableIndex({ name: 'ix_sources_url', columnNames: ['negotiation_id', 'url'] });
const BY_CITATION = new TableIndex({ name: 'ix_sources_citation', columnNames: ['negotiation_id', 'outlet', 'title', 'published_at'] });
const BY_SOURCE = new TableIndex({ name: 'ix_events_source', columnNames: ['source_id'] });
const ROWS_PER_INSERT = 200;
const COLUMNS = ['id', 'negotiation_id', 'kind', 'outlet', 'title', 'url', 'published_at', 'language', 'description', 'version', 'created_at', 'updated_at'] as const;

/** A time-ordered UUID (v7), as common/ids.ts makes them (a migration imports no application code). */
function orderedId(at: number): string {
  const r = randomBytes(10);
  const time = at.toString(16).padStart(12, '0');
  const hex = (from: number, to: number) => r.subarray(from, to).toString('hex');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${hex(0, 2).slice(1)}-${((r[2] & 0x3f) | 0x80).toString(16)}${hex(3, 4)}-${hex(4, 10)}`;
}

interface Citation {
  negotiation_id: string;
  source_url: string | null;
  source_outlet: string | null;
  source_title: string | null;
  source_published_at: number | string | null;
  first_at: number | string;
}

export class Sources1765065600000 implements MigrationInterface {
  name = 'Sources1765065600000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'sources',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'negotiation_id', type: 'varchar', length: '36' },
          { name: 'kind', type: 'varchar', length: '32' },
          { name: 'outlet', type: 'varchar', length: '200', isNullable: true },
          { name: 'title', type: 'varchar', length: '500', isNullable: true },
          { name: 'url', type: 'varchar', length: '2000', isNullable: true },
          { name: 'published_at', type: 'bigint', isNullable: true },
          { name: 'language', type: 'varchar', length: '35', isNullable: true },
          { name: 'description', type: 'text', isNullable: true },
          { name: 'version', type: 'integer' },
          { name: 'created_at', type: 'bigint' },
          { name: 'updated_at', type: 'bigint' },
        ],
        foreignKeys: [new TableForeignKey({ name: 'fk_sources_negotiation', columnNames: ['negotiation_id'], referencedTableName: 'negotiations', referencedColumnNames: ['id'] })],
        indices: [BY_URL, BY_CITATION],
      }),
    );
    await q.query('ALTER TABLE stance_events ADD COLUMN source_id varchar(36) REFERENCES sources (id)');
    await q.createIndex('stance_events', BY_SOURCE);

    // Every distinct citation, oldest first; the first one of a URL gives its source's fields.
    const citations = (await q.query(
      `SELECT negotiation_id, source_url, source_outlet, source_title, source_published_at, MIN(recorded_at) AS first_at
         FROM stance_events
        WHERE source_url IS NOT NULL OR source_outlet IS NOT NULL OR source_title IS NOT NULL OR source_published_at IS NOT NULL
        GROUP BY negotiation_id, source_url, source_outlet, source_title, source_published_at
        ORDER BY MIN(recorded_at), negotiation_id`,
    )) as Citation[];
    const sources = new Map<string, Record<(typeof COLUMNS)[number], unknown>>();
    for (const c of citations) {
      const key = c.source_url !== null ? JSON.stringify([c.negotiation_id, 'url', c.source_url]) : JSON.stringify([c.negotiation_id, c.source_outlet, c.source_title, c.source_published_at === null ? null : Number(c.source_published_at)]);
      if (sources.has(key)) continue;
      const at = Number(c.first_at);
      const published = c.source_published_at === null ? null : Number(c.source_published_at);
      sources.set(key, { id: orderedId(at), negotiation_id: c.negotiation_id, kind: c.source_outlet ? 'news_report' : 'document', outlet: c.source_outlet, title: c.source_title, url: c.source_url, published_at: published, language: null, description: null, version: 1, created_at: at, updated_at: at });
    }
    const rows = [...sources.values()];
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      const chunk = rows.slice(i, i + ROWS_PER_INSERT);
      const params: Record<string, unknown> = {};
      const tuples = chunk.map((row, j) => `(${COLUMNS.map((c) => ((params[`${c}_${j}`] = row[c]), `:${c}_${j}`)).join(', ')})`);
      // The driver writes its own placeholders for the named parameters.
      const [text, values] = q.connection.driver.escapeQueryWithParameters(`INSERT INTO sources (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`, params, {});
      await q.query(text, values);
    }
    // Null-safe equality written out: both databases read it alike.
    const same = (a: string, b: string) => `(${a} = ${b} OR (${a} IS NULL AND ${b} IS NULL))`;
    await q.query(
      `UPDATE stance_events SET source_id = (SELECT s.id FROM sources s WHERE s.negotiation_id = stance_events.negotiation_id AND s.url = stance_events.source_url)
        WHERE source_url IS NOT NULL`,
    );
    await q.query(
      `UPDATE stance_events SET source_id = (SELECT s.id FROM sources s WHERE s.negotiation_id = stance_events.negotiation_id AND s.url IS NULL
          AND ${same('s.outlet', 'stance_events.source_outlet')} AND ${same('s.title', 'stance_events.source_title')} AND ${same('s.published_at', 'stance_events.source_published_at')})
        WHERE source_url IS NULL AND (source_outlet IS NOT NULL OR source_title IS NOT NULL OR source_published_at IS NOT NULL)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('stance_events', BY_SOURCE.name as string);
    // The inline columns still hold every citation as recorded: only the reference goes.
    await q.query('ALTER TABLE stance_events DROP COLUMN source_id');
    await q.dropTable('sources', true, true, true);
  }
}
