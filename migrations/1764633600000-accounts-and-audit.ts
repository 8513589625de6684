import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import type { TableColumnOptions } from 'typeorm/schema-builder/options/TableColumnOptions';

// Accounts, sessions, API tokens, share links and the audit log. Same rules as the first migration:
// QueryRunner schema API only, BIGINT epoch milliseconds, nothing cascades.

const id = (): TableColumnOptions => ({ name: 'id', type: 'varchar', length: '36', isPrimary: true });
const ref = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: '36', isNullable: nullable });
const str = (name: string, length: number, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const text = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });
const int = (name: string): TableColumnOptions => ({ name, type: 'integer' });
const ms = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });
const fk = (column: string, table: string, name: string) =>
  new TableForeignKey({ name, columnNames: [column], referencedTableName: table, referencedColumnNames: ['id'] });

export class AccountsAndAudit1764633600000 implements MigrationInterface {
  name = 'AccountsAndAudit1764633600000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'users',
        columns: [
          id(),
          str('email', 320),
          str('name', 200),
          str('role', 16),
          str('password_hash', 300),
          int('failed_logins'),
          ms('locked_until', true),
          ms('disabled_at', true),
          ms('created_at'),
          ms('updated_at'),
        ],
        indices: [new TableIndex({ name: 'uq_users_email', columnNames: ['email'], isUnique: true })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'sessions',
        columns: [id(), ref('user_id'), ms('created_at'), ms('expires_at'), ms('revoked_at', true)],
        foreignKeys: [fk('user_id', 'users', 'fk_sessions_user')],
        indices: [new TableIndex({ name: 'ix_sessions_user', columnNames: ['user_id'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'api_tokens',
        columns: [id(), ref('user_id'), str('name', 200), str('token_hash', 64), str('prefix', 16), ms('created_at'), ms('expires_at', true), ms('last_used_at', true), ms('revoked_at', true)],
        foreignKeys: [fk('user_id', 'users', 'fk_tokens_user')],
        indices: [
          new TableIndex({ name: 'uq_tokens_hash', columnNames: ['token_hash'], isUnique: true }),
          new TableIndex({ name: 'ix_tokens_user', columnNames: ['user_id'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'share_links',
        columns: [id(), ref('negotiation_id'), str('label', 200), str('token_hash', 64), str('prefix', 16), str('created_by', 320), ms('created_at'), ms('expires_at', true), ms('revoked_at', true)],
        foreignKeys: [fk('negotiation_id', 'negotiations', 'fk_share_links_negotiation')],
        indices: [
          new TableIndex({ name: 'uq_share_links_hash', columnNames: ['token_hash'], isUnique: true }),
          new TableIndex({ name: 'ix_share_links_negotiation', columnNames: ['negotiation_id'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          id(),
          ms('at'),
          str('actor', 320),
          str('action', 60),
          str('entity_type', 40),
          ref('entity_id'),
          ref('negotiation_id', true),
          text('before', true),
          text('after', true),
        ],
        indices: [
          new TableIndex({ name: 'ix_audit_at', columnNames: ['at'] }),
          new TableIndex({ name: 'ix_audit_negotiation', columnNames: ['negotiation_id', 'at'] }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['audit_log', 'share_links', 'api_tokens', 'sessions', 'users']) await q.dropTable(table, true, true, true);
  }
}
