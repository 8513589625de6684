import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

// Failed sign-ins counted per email address in a table of their own, for unknown addresses as for
// accounts: an unknown address then locks out exactly like a real one, and the lockout no longer
// tells which accounts exist. The counters move out of `users` (its failed_logins and locked_until
// columns go). Rows are forgotten a day after their last failure (ix_login_failures_last serves
// that clean-up). QueryRunner schema API, except for statements both databases read alike: the
// two that move counters, and in down() the two that add the columns back (see there).

const LAST = new TableIndex({ name: 'ix_login_failures_last', columnNames: ['last_failed_at'] });

export class LoginFailures1764892800000 implements MigrationInterface {
  name = 'LoginFailures1764892800000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'login_failures',
        columns: [
          { name: 'email', type: 'varchar', length: '320', isPrimary: true },
          { name: 'failures', type: 'integer' },
          { name: 'locked_until', type: 'bigint', isNullable: true },
          { name: 'last_failed_at', type: 'bigint' },
        ],
        indices: [LAST],
      }),
    );
    // The time of an account's last failure was not kept: counted from now.
    await q.query(
      `INSERT INTO login_failures (email, failures, locked_until, last_failed_at)
         SELECT email, failed_logins, locked_until, ${Date.now()} FROM users WHERE failed_logins > 0`,
    );
    await q.dropColumns('users', ['failed_logins', 'locked_until']);
  }

  async down(q: QueryRunner): Promise<void> {
    // Plain ALTER TABLE … ADD COLUMN, which both databases run in place. QueryRunner.addColumns
    // would rebuild users on SQLite, and inside the undo's transaction, where foreign keys cannot be
    // switched off, dropping the old table fails while sessions and tokens reference it.
    await q.query('ALTER TABLE users ADD COLUMN failed_logins integer NOT NULL DEFAULT 0');
    await q.query('ALTER TABLE users ADD COLUMN locked_until bigint');
    await q.query(
      `UPDATE users SET
         failed_logins = COALESCE((SELECT f.failures FROM login_failures f WHERE f.email = users.email), 0),
         locked_until = (SELECT f.locked_until FROM login_failures f WHERE f.email = users.email)`,
    );
    await q.dropTable('login_failures', true, true, true);
  }
}
