import type { MigrationInterface, QueryRunner } from 'typeorm';

// Review before publish (issue 17). A negotiation's review policy: `off` (every existing
// negotiation, and the default: today's behaviour) or `required`. Plain ALTER TABLE … ADD COLUMN,
// which both databases run in place (QueryRunner.addColumn rebuilds the table on SQLite, which
// would drop the search triggers). A proposal is a row of `proposals`, never a stance event: no
// public read (matrix, history, metrics, exports, search, live) ever sees the table.

export class Review1765584000000 implements MigrationInterface {
  name = 'Review1765584000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query("ALTER TABLE negotiations ADD COLUMN review_policy varchar(16) NOT NULL DEFAULT 'off'");
    await q.query('ALTER TABLE stance_events ADD COLUMN approved_by varchar(200)');
    await q.query(`CREATE TABLE proposals (
      id varchar(36) PRIMARY KEY,
      negotiation_id varchar(36) NOT NULL REFERENCES negotiations(id),
      kind varchar(16) NOT NULL,
      status varchar(20) NOT NULL,
      party_id varchar(36) NOT NULL,
      point_id varchar(36) NOT NULL,
      event_id varchar(36),
      base_version integer NOT NULL,
      payload text NOT NULL,
      author varchar(200) NOT NULL,
      created_at bigint NOT NULL,
      updated_at bigint NOT NULL,
      version integer NOT NULL,
      decision varchar(20),
      decided_by varchar(200),
      decided_at bigint,
      decision_note text,
      published_event_id varchar(36),
      published_seq integer
    )`);
    // The staff stream: proposal events, numbered per negotiation apart from the public seq.
    await q.query('ALTER TABLE negotiations ADD COLUMN review_seq integer NOT NULL DEFAULT 0');
    await q.query(`CREATE TABLE proposal_log (
      negotiation_id varchar(36) NOT NULL REFERENCES negotiations(id),
      seq integer NOT NULL,
      kind varchar(32) NOT NULL,
      proposal_id varchar(36) NOT NULL,
      data text NOT NULL,
      recorded_at bigint NOT NULL,
      recorded_by varchar(200) NOT NULL,
      PRIMARY KEY (negotiation_id, seq)
    )`);
    await q.query('CREATE INDEX ix_proposals_negotiation ON proposals (negotiation_id, status, id)');
    await q.query('CREATE INDEX ix_proposals_cell ON proposals (negotiation_id, party_id, point_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE proposal_log');
    await q.query('ALTER TABLE negotiations DROP COLUMN review_seq');
    await q.query('DROP TABLE proposals');
    await q.query('ALTER TABLE stance_events DROP COLUMN approved_by');
    await q.query('ALTER TABLE negotiations DROP COLUMN review_policy');
  }
}
