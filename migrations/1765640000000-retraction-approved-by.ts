import type { MigrationInterface, QueryRunner } from 'typeorm';

// Review before publish (issue 17): an approved retraction records its approver, as an approved
// stance event does (`stance_events.approved_by`). Null: retracted as saved (no review). A plain
// ALTER TABLE … ADD COLUMN, which both databases run in place (QueryRunner.addColumn rebuilds the
// table on SQLite).

export class RetractionApprovedBy1765640000000 implements MigrationInterface {
  name = 'RetractionApprovedBy1765640000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE stance_retractions ADD COLUMN approved_by varchar(200)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE stance_retractions DROP COLUMN approved_by');
  }
}
