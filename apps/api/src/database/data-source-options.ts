import * as sqlite3 from 'sqlite3';
import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '@parley/migrations';
import type { DatabaseConfig } from '../config/app-config';
import { SnakeNamingStrategy } from './naming-strategy';

/** The entity classes TypeORM maps (the app's list is src/entities.ts). */
export type EntityList = NonNullable<DataSourceOptions['entities']>;

/** One options object for the app, the CLI and the tests. `synchronize` is never on: migrations own the schema. */
export function dataSourceOptions(db: DatabaseConfig, entities: EntityList, role: 'writer' | 'reader' = 'writer'): DataSourceOptions {
  const common = {
    entities,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'all' as const,
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    logging: false,
  };
  if (db.driver === 'sqlite') {
    return {
      ...common,
      type: 'sqlite',
      database: db.path,
      // TypeORM calls driver.verbose(), which wraps every sqlite3 call to capture a stack trace: a
      // measurable cost on the write path. Hand it the module with verbose() as a no-op.
      driver: { ...sqlite3, verbose: () => sqlite3 },
      busyTimeout: 10_000,
      // The writer switches the file to WAL once; the reader never writes, and opening it
      // read-only makes that a guarantee.
      ...(role === 'reader' ? { flags: 0x00000001 /* SQLITE_OPEN_READONLY */ } : { enableWAL: true }),
    };
  }
  return {
    ...common,
    type: 'postgres',
    url: db.url,
    schema: db.schema,
    poolSize: 10,
    extra: {
      ...(db.schema ? { options: `-c search_path=${db.schema}` } : {}),
      connectionTimeoutMillis: 5_000,
    },
  };
}

/** A read-only connection to a SQLite file of this schema (a backup copy being counted). */
export function fileReaderOptions(file: string, entities: EntityList): DataSourceOptions {
  return dataSourceOptions({ driver: 'sqlite', path: file, synchronous: 'FULL' }, entities, 'reader');
}
