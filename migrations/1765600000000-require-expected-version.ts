import type { MigrationInterface, QueryRunner } from 'typeorm';

// A negotiation's setting `requireExpectedVersion` (issue 18, item 3): 1 makes expectedVersion
// mandatory on every stance write. An integer 0/1, which both databases store alike (there is no
// boolean column anywhere else), and plain ALTER TABLE … ADD COLUMN, which keeps SQLite's search
// triggers (QueryRunner.addColumn rebuilds the table). Every existing negotiation: 0, as before.
// A one-step correction needs no schema: its retraction and its new event share the change's
// number (stance_retractions and stance_events each keep their own unique (negotiation_id, seq)),
// and a correction proposal is a `proposals` row of kind 'correction'.

export class RequireExpectedVersion1765600000000 implements MigrationInterface {
  name = 'RequireExpectedVersion1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE negotiations ADD COLUMN require_expected_version integer NOT NULL DEFAULT 0');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE negotiations DROP COLUMN require_expected_version');
  }
}
