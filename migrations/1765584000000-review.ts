import type { MigrationInterface, QueryRunner } from 'typeorm';

// Review before publish (issue 17). A negotiation's review policy: `off` (every existing
// negotiation, and the default: today's behaviour) or `required`. Plain ALTER TABLE … ADD COLUMN,
// which both databases run in place (QueryRunner.addColumn rebuilds the table on SQLite, which
// would drop the search triggers).

export class Review1765584000000 implements MigrationInterface {
  name = 'Review1765584000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query("ALTER TABLE negotiations ADD COLUMN review_policy varchar(16) NOT NULL DEFAULT 'off'");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE negotiations DROP COLUMN review_policy');
  }
}
