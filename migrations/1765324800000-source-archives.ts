import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

// Archived copies of sources: a row per copy attached (append-only; the latest by archived_at, then
// id, is the one shown). The original bytes are kept as base64 text, which both databases store the
// same way (no blob/bytea difference to carry), beside their SHA-256, size and content type, and the
// plain text extracted from them.

const BY_SOURCE = new TableIndex({ name: 'ix_source_archives_source', columnNames: ['source_id', 'archived_at'] });

export class SourceArchives1765324800000 implements MigrationInterface {
  name = 'SourceArchives1765324800000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'source_archives',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'negotiation_id', type: 'varchar', length: '36' },
          { name: 'source_id', type: 'varchar', length: '36' },
          { name: 'sha256', type: 'varchar', length: '64' },
          { name: 'size', type: 'integer' },
          { name: 'content_type', type: 'varchar', length: '40' },
          { name: 'original', type: 'text' },
          { name: 'text', type: 'text' },
          { name: 'text_length', type: 'integer' },
          { name: 'archived_at', type: 'bigint' },
          { name: 'archived_by', type: 'varchar', length: '200' },
        ],
        foreignKeys: [
          new TableForeignKey({ name: 'fk_source_archives_negotiation', columnNames: ['negotiation_id'], referencedTableName: 'negotiations', referencedColumnNames: ['id'] }),
          new TableForeignKey({ name: 'fk_source_archives_source', columnNames: ['source_id'], referencedTableName: 'sources', referencedColumnNames: ['id'] }),
        ],
        indices: [BY_SOURCE],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('source_archives');
  }
}
