import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import type { TableColumnOptions } from 'typeorm/schema-builder/options/TableColumnOptions';

// Written with the QueryRunner schema API only, so the same migration runs on SQLite and PostgreSQL.
// Instants are BIGINT epoch milliseconds; JSON is TEXT. Nothing cascades: history is never deleted.

const id = (name = 'id'): TableColumnOptions => ({ name, type: 'varchar', length: '36', isPrimary: name === 'id' });
const ref = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: '36', isNullable: nullable });
const str = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
const text = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });
const int = (name: string): TableColumnOptions => ({ name, type: 'integer' });
const ms = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });
const fk = (column: string, table: string, name: string): TableForeignKey =>
  new TableForeignKey({ name, columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'] });

const TABLES = [
  'idempotency_keys',
  'change_log',
  'current_stances',
  'stance_retractions',
  'stance_events',
  'milestones',
  'provisions',
  'documents',
  'point_lineage',
  'points',
  'actors',
  'parties',
  'negotiations',
];

export class InitialSchema1764547200000 implements MigrationInterface {
  name = 'InitialSchema1764547200000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'negotiations',
        columns: [id(), str('slug', 40), str('title', 200), text('description'), str('status', 20), int('seq'), int('version'), ms('created_at'), ms('updated_at')],
        indices: [new TableIndex({ name: 'uq_negotiations_slug', columnNames: ['slug'], isUnique: true })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'parties',
        columns: [
          id(),
          ref('negotiation_id'),
          str('code', 40),
          str('name', 200),
          str('kind', 20),
          str('color', 7),
          ref('parent_id', true),
          text('description'),
          int('sort_order'),
          int('version'),
          ms('created_at'),
          ms('updated_at'),
        ],
        foreignKeys: [fk('negotiation_id', 'negotiations', 'fk_parties_negotiation'), fk('parent_id', 'parties', 'fk_parties_parent')],
        indices: [new TableIndex({ name: 'uq_parties_code', columnNames: ['negotiation_id', 'code'], isUnique: true })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'actors',
        columns: [id(), ref('party_id'), str('name', 200), str('role', 500), int('sort_order'), ms('retired_at', true)],
        foreignKeys: [fk('party_id', 'parties', 'fk_actors_party')],
        indices: [new TableIndex({ name: 'ix_actors_party', columnNames: ['party_id'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'points',
        columns: [
          id(),
          ref('negotiation_id'),
          str('code', 40),
          str('title', 200),
          str('category', 40),
          text('description'),
          int('sort_order'),
          int('version'),
          ms('created_at'),
          ms('updated_at'),
        ],
        foreignKeys: [fk('negotiation_id', 'negotiations', 'fk_points_negotiation')],
        indices: [new TableIndex({ name: 'uq_points_code', columnNames: ['negotiation_id', 'code'], isUnique: true })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'point_lineage',
        columns: [{ ...ref('point_id'), isPrimary: true }, { ...ref('derived_from_id'), isPrimary: true }, str('kind', 20)],
        foreignKeys: [fk('point_id', 'points', 'fk_lineage_point'), fk('derived_from_id', 'points', 'fk_lineage_from')],
        indices: [new TableIndex({ name: 'ix_lineage_from', columnNames: ['derived_from_id'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'documents',
        columns: [
          id(),
          ref('negotiation_id'),
          str('title', 200),
          str('short_title', 60),
          ref('author_party_id', true),
          ms('published_at'),
          str('published_precision', 4),
          text('description'),
          str('source_url', 2000, true),
          int('version'),
          ms('created_at'),
          ms('updated_at'),
        ],
        foreignKeys: [fk('negotiation_id', 'negotiations', 'fk_documents_negotiation'), fk('author_party_id', 'parties', 'fk_documents_author')],
        indices: [new TableIndex({ name: 'ix_documents_negotiation', columnNames: ['negotiation_id', 'published_at'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'provisions',
        columns: [{ ...ref('document_id'), isPrimary: true }, { ...ref('point_id'), isPrimary: true }, str('number', 20), text('text'), int('sort_order')],
        foreignKeys: [fk('document_id', 'documents', 'fk_provisions_document'), fk('point_id', 'points', 'fk_provisions_point')],
        indices: [new TableIndex({ name: 'ix_provisions_point', columnNames: ['point_id'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'milestones',
        columns: [
          id(),
          ref('negotiation_id'),
          str('title', 200),
          str('kind', 20),
          ms('starts_at'),
          str('starts_precision', 4),
          ms('ends_at', true),
          text('description'),
          str('source_url', 2000, true),
          text('party_ids'),
          int('version'),
          ms('created_at'),
          ms('updated_at'),
        ],
        foreignKeys: [fk('negotiation_id', 'negotiations', 'fk_milestones_negotiation')],
        indices: [new TableIndex({ name: 'ix_milestones_negotiation', columnNames: ['negotiation_id', 'starts_at'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'stance_events',
        columns: [
          id(),
          ref('negotiation_id'),
          int('seq'),
          ref('party_id'),
          ref('point_id'),
          str('position', 16),
          str('confidence', 16),
          ms('effective_at'),
          str('effective_precision', 4),
          ms('recorded_at'),
          str('recorded_by', 200),
          text('conditions_text', true),
          text('condition_point_ids'),
          text('note', true),
          text('quote', true),
          ref('actor_id', true),
          str('source_url', 2000, true),
          str('source_outlet', 200, true),
          str('source_title', 500, true),
          ms('source_published_at', true),
          ref('document_id', true),
          ref('milestone_id', true),
        ],
        foreignKeys: [
          fk('negotiation_id', 'negotiations', 'fk_events_negotiation'),
          fk('party_id', 'parties', 'fk_events_party'),
          fk('point_id', 'points', 'fk_events_point'),
          fk('actor_id', 'actors', 'fk_events_actor'),
          fk('document_id', 'documents', 'fk_events_document'),
          fk('milestone_id', 'milestones', 'fk_events_milestone'),
        ],
        indices: [
          // The as-of matrix seeks, per cell, the latest event at or before T: one index probe per cell.
          new TableIndex({
            name: 'ix_events_cell_time',
            columnNames: ['negotiation_id', 'party_id', 'point_id', 'effective_at', 'recorded_at', 'seq'],
          }),
          new TableIndex({ name: 'uq_events_seq', columnNames: ['negotiation_id', 'seq'], isUnique: true }),
          new TableIndex({ name: 'ix_events_point_time', columnNames: ['point_id', 'effective_at'] }),
          new TableIndex({ name: 'ix_events_recorded', columnNames: ['negotiation_id', 'recorded_at'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'stance_retractions',
        columns: [id(), ref('negotiation_id'), ref('event_id'), int('seq'), text('reason'), ms('recorded_at'), str('recorded_by', 200)],
        foreignKeys: [fk('negotiation_id', 'negotiations', 'fk_retractions_negotiation'), fk('event_id', 'stance_events', 'fk_retractions_event')],
        indices: [
          new TableIndex({ name: 'uq_retractions_event', columnNames: ['event_id'], isUnique: true }),
          new TableIndex({ name: 'uq_retractions_seq', columnNames: ['negotiation_id', 'seq'], isUnique: true }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'current_stances',
        columns: [
          { ...ref('negotiation_id'), isPrimary: true },
          { ...ref('party_id'), isPrimary: true },
          { ...ref('point_id'), isPrimary: true },
          ref('event_id', true),
          int('version'),
        ],
        foreignKeys: [
          fk('negotiation_id', 'negotiations', 'fk_current_negotiation'),
          fk('party_id', 'parties', 'fk_current_party'),
          fk('point_id', 'points', 'fk_current_point'),
          fk('event_id', 'stance_events', 'fk_current_event'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'change_log',
        columns: [
          { ...ref('negotiation_id'), isPrimary: true },
          { ...int('seq'), isPrimary: true },
          str('kind', 40),
          ref('entity_id'),
          text('data'),
          text('before', true),
          ms('recorded_at'),
          str('recorded_by', 200),
        ],
        foreignKeys: [fk('negotiation_id', 'negotiations', 'fk_changes_negotiation')],
        indices: [new TableIndex({ name: 'ix_changes_recorded', columnNames: ['negotiation_id', 'recorded_at'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'idempotency_keys',
        columns: [{ ...str('scoped_key', 300), isPrimary: true }, str('request_hash', 64), int('status_code'), text('response'), ms('created_at')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TABLES) await q.dropTable(table, true, true, true);
  }
}
