import { DataSource } from 'typeorm';
import { MIGRATIONS } from '@parley/migrations';
import { dataSourceOptions } from '../src/database/data-source-options';
import { Db, runMigrations } from '../src/database/db.service';
import { freshDatabase, type TestDatabase } from './harness';

const TABLES = ['negotiations', 'parties', 'actors', 'points', 'point_lineage', 'documents', 'provisions', 'milestones', 'stance_events', 'stance_retractions', 'current_stances', 'change_log', 'idempotency_keys', 'users', 'sessions', 'api_tokens', 'share_links', 'audit_log'];

describe('migrations', () => {
  let database: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    database = await freshDatabase();
    ds = new DataSource(dataSourceOptions(database.config));
    await ds.initialize();
  });
  afterAll(async () => {
    await ds.destroy();
    await database.drop();
  });

  const tableExists = async (name: string) => {
    const runner = ds.createQueryRunner();
    try {
      return await runner.hasTable(name);
    } finally {
      await runner.release();
    }
  };

  it('run up from an empty database, are recorded, and a second run does nothing', async () => {
    for (const table of TABLES) expect(await tableExists(table)).toBe(false);
    await runMigrations(ds);
    for (const table of TABLES) expect(await tableExists(table)).toBe(true);
    const applied: { name: string }[] = await ds.query('SELECT name FROM migrations');
    expect(applied.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await ds.showMigrations()).toBe(false);
    await runMigrations(ds);
    expect(await ds.query('SELECT name FROM migrations')).toHaveLength(MIGRATIONS.length);
  });

  it('leave stance_events with the indexes its reads rely on, columns in order', async () => {
    const indexes: Record<string, string[]> =
      ds.options.type === 'postgres'
        ? Object.fromEntries(
            ((await ds.query(`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'stance_events' AND schemaname = current_schema()`)) as { indexname: string; indexdef: string }[]).map(
              (i) => [i.indexname, i.indexdef.replace(/^.*\((.*)\)$/, '$1').split(',').map((c) => c.trim().replace(/"/g, ''))],
            ),
          )
        : Object.fromEntries(
            await Promise.all(
              ((await ds.query(`PRAGMA index_list('stance_events')`)) as { name: string }[]).map(async (i) => [
                i.name,
                ((await ds.query(`PRAGMA index_info('${i.name}')`)) as { name: string }[]).map((c) => c.name),
              ]),
            ),
          );
    const primaryKey = Object.keys(indexes).find((name) => name.startsWith('sqlite_autoindex_') || name.startsWith('PK_')) as string;
    expect(primaryKey).toBeDefined();
    const { [primaryKey]: pk, ...named } = indexes;
    expect(pk).toEqual(['id']);
    expect(named).toEqual({
      // a cell's events by time (as-of SQL path, a retraction's fallback) and a point's history
      ix_events_point_party_time: ['point_id', 'party_id', 'effective_at', 'recorded_at', 'seq'],
      uq_events_seq: ['negotiation_id', 'seq'],
      ix_events_recorded: ['negotiation_id', 'recorded_at'],
    });
  });

  it('can be opened concurrently by several nodes (migrations under a lock) and report nothing pending', async () => {
    const nodes = await Promise.all([Db.open(database.config), Db.open(database.config)]);
    for (const node of nodes) expect(await node.pendingMigrations()).toEqual({ applied: MIGRATIONS.length, pending: 0 });
    await Promise.all(nodes.map((node) => node.close()));
  });

  it('go down again to an empty schema', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: 'all' });
    for (const table of TABLES) expect(await tableExists(table)).toBe(false);
    expect(await ds.query('SELECT name FROM migrations')).toHaveLength(0);
  });
});
