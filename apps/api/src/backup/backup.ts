import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { PRIVATE_FILE_MODE, ensurePrivateDir, ensurePrivateFile } from '../common/private-files';
import type { DatabaseConfig } from '../config/app-config';
import { Db } from '../database/db.service';
import { fileReaderOptions } from '../database/data-source-options';
import { databaseFile, databasePlace, dialectOf } from '../database/dialect';
import { ENTITIES } from '../entities';

/** A JSON backup: every table of the schema, read in one consistent snapshot. */
interface JsonBackup {
  format: 'parley-backup';
  version: 1;
  createdAt: string;
  migrations: string[];
  tables: Record<string, Record<string, unknown>[]>;
}

/** The first bytes of every SQLite database file. */
const SQLITE_MAGIC = 'SQLite format 3\0';
const PAGE = 5_000;

export class BackupError extends Error {}

/** What a backup or restore did, for the command's report. */
export interface BackupSummary {
  kind: 'sqlite' | 'json';
  file: string;
  bytes: number;
  rows: Record<string, number>;
}

/**
 * An online backup: the server may keep running and writing.
 * SQLite: `VACUUM INTO` writes a consistent, compact copy of the database file (a read transaction,
 * so writers are not blocked). PostgreSQL: a JSON dump of every table read in one REPEATABLE READ
 * snapshot.
 */
export async function backup(config: DatabaseConfig, file: string, format: 'native' | 'json' = 'native'): Promise<BackupSummary> {
  const target = path.resolve(file);
  if (fs.existsSync(target)) throw new BackupError(`${target} already exists; choose a new file name (a backup never overwrites one).`);
  const databasePath = databaseFile(config);
  if (databasePath !== null && !fs.existsSync(databasePath)) throw new BackupError(`There is no database at ${databasePath} to back up.`);
  const kind = databasePath !== null && format === 'native' ? 'sqlite' : 'json';
  const db = await Db.open(config, ENTITIES, { migrate: false });
  let rows: Record<string, number>;
  try {
    rows = kind === 'sqlite' ? await vacuumInto(db.writerDataSource, target) : await dumpJson(db.writerDataSource, target);
  } catch (err) {
    fs.rmSync(target, { force: true });
    throw err;
  } finally {
    await db.close();
  }
  return { kind, file: target, bytes: fs.statSync(target).size, rows };
}

async function vacuumInto(ds: DataSource, target: string): Promise<Record<string, number>> {
  // VACUUM INTO writes into an empty file, which keeps the mode given here.
  ensurePrivateFile(target);
  await ds.query('VACUUM INTO ?', [target]);
  // Count what the copy holds (read-only: the backup file is left exactly as written).
  const copy = new DataSource({ ...fileReaderOptions(target, ENTITIES), migrations: [] });
  await copy.initialize();
  try {
    return await countRows(copy, await tablesInOrder(ds));
  } finally {
    await copy.destroy();
  }
}

/**
 * Restores a backup into an empty installation (no rows in any table). A SQLite backup file is
 * copied into place and migrated forward if it is older; a JSON backup is loaded into the migrated
 * schema in one transaction (all or nothing), on SQLite or PostgreSQL.
 */
export async function restore(config: DatabaseConfig, file: string): Promise<BackupSummary> {
  const source = path.resolve(file);
  if (!fs.existsSync(source)) throw new BackupError(`No backup at ${source}.`);
  const isSqlite = readMagic(source) === SQLITE_MAGIC;
  const databasePath = databaseFile(config);
  if (isSqlite && databasePath === null) {
    throw new BackupError('This is a SQLite backup; it restores only into the SQLite mode (unset DATABASE_URL). Back up to JSON from PostgreSQL instead.');
  }
  await refuseNonEmpty(config);
  if (isSqlite && databasePath !== null) {
    // The target holds no data (checked above): replace it, with its WAL, by the backup.
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(databasePath + suffix, { force: true });
    ensurePrivateDir(path.dirname(databasePath));
    const partial = `${databasePath}.restoring`;
    fs.copyFileSync(source, partial);
    fs.chmodSync(partial, PRIVATE_FILE_MODE); // the copy took the backup file's mode
    fs.renameSync(partial, databasePath);
    const db = await Db.open(config, ENTITIES);
    await db.close();
  } else {
    const parsed = parseJson(source);
    const db = await Db.open(config, ENTITIES);
    try {
      await load(db, parsed);
    } finally {
      await db.close();
    }
  }
  return { kind: isSqlite ? 'sqlite' : 'json', file: source, bytes: fs.statSync(source).size, rows: await countRowsOf(config) };
}

function readMagic(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(16);
    const n = fs.readSync(fd, buf, 0, 16, 0);
    return buf.subarray(0, n).toString('latin1');
  } finally {
    fs.closeSync(fd);
  }
}

function parseJson(file: string): JsonBackup {
  let parsed: Partial<JsonBackup>;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<JsonBackup>;
  } catch (err) {
    throw new BackupError(`${file} is neither a SQLite backup nor valid JSON (${(err as Error).message}).`);
  }
  if (parsed.format !== 'parley-backup' || parsed.version !== 1 || !parsed.tables || !Array.isArray(parsed.migrations)) {
    throw new BackupError(`${file} is not a Parley backup (format parley-backup, version 1).`);
  }
  return parsed as JsonBackup;
}

interface TableInfo {
  name: string;
  columns: string[];
  primary: string[];
  /** Columns that reference another row of the same table (a party's parent). */
  selfRefs: string[];
}

/**
 * Every entity table, parents before children, so foreign keys hold while loading. The foreign keys
 * are read from the database (the migrations declare them; the entities do not).
 */
async function tablesInOrder(ds: DataSource): Promise<TableInfo[]> {
  const metas = new Map(ds.entityMetadatas.map((m) => [m.tableName, m]));
  const runner = ds.createQueryRunner();
  let parents: Map<string, { refs: string[]; selfRefs: string[] }>;
  try {
    const tables = await runner.getTables([...metas.keys()]);
    parents = new Map(
      tables.map((t) => {
        const name = t.name.split('.').pop() ?? t.name;
        const refs = t.foreignKeys.map((fk) => ({ table: fk.referencedTableName.split('.').pop() ?? '', columns: fk.columnNames }));
        return [name, { refs: refs.filter((r) => r.table !== name).map((r) => r.table), selfRefs: refs.filter((r) => r.table === name).flatMap((r) => r.columns) }];
      }),
    );
  } finally {
    await runner.release();
  }
  const ordered: TableInfo[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    const meta = metas.get(name);
    if (seen.has(name) || !meta) return;
    seen.add(name);
    for (const parent of parents.get(name)?.refs ?? []) visit(parent);
    ordered.push({
      name,
      columns: meta.columns.map((c) => c.databaseName),
      primary: meta.primaryColumns.map((c) => c.databaseName),
      selfRefs: parents.get(name)?.selfRefs ?? [],
    });
  };
  [...metas.keys()].sort().forEach(visit);
  return ordered;
}

/** Rows of a self-referencing table, each after the row it references. */
function parentsFirst(rows: Record<string, unknown>[], selfRefs: string[]): Record<string, unknown>[] {
  if (selfRefs.length === 0) return rows;
  const byId = new Map(rows.map((r) => [String(r['id']), r]));
  const out: Record<string, unknown>[] = [];
  const placed = new Set<string>();
  const place = (row: Record<string, unknown>, depth: number) => {
    const id = String(row['id']);
    if (placed.has(id) || depth > rows.length) return;
    for (const column of selfRefs) {
      const parent = row[column] === null || row[column] === undefined ? undefined : byId.get(String(row[column]));
      if (parent) place(parent, depth + 1);
    }
    placed.add(id);
    out.push(row);
  };
  for (const row of rows) place(row, 0);
  return out;
}

async function migrationNames(ds: DataSource): Promise<string[]> {
  const rows: { name: string }[] = await ds.query('SELECT name FROM migrations ORDER BY timestamp');
  return rows.map((r) => r.name);
}

async function dumpJson(ds: DataSource, target: string): Promise<Record<string, number>> {
  const runner = ds.createQueryRunner();
  const fd = fs.openSync(target, 'wx', PRIVATE_FILE_MODE);
  const counts: Record<string, number> = {};
  try {
    await runner.connect();
    // One snapshot for every table: the dump is consistent while writes go on. (SQLite: a read
    // transaction sees one snapshot from its first read on.)
    await runner.query(dialectOf(ds.manager).beginSnapshot);
    const migrations = (await runner.query('SELECT name FROM migrations ORDER BY timestamp')) as { name: string }[];
    fs.writeSync(fd, `{"format":"parley-backup","version":1,"createdAt":${JSON.stringify(new Date().toISOString())},"migrations":${JSON.stringify(migrations.map((m) => m.name))},"tables":{`);
    for (const [t, table] of (await tablesInOrder(ds)).entries()) {
      fs.writeSync(fd, `${t ? ',' : ''}${JSON.stringify(table.name)}:[`);
      const order = table.primary.map((c) => `"${c}"`).join(', ');
      for (let offset = 0, first = true; ; offset += PAGE) {
        // The entities' columns: a column the database derives (PostgreSQL's stored search vector) is not data.
        const rows = (await runner.query(`SELECT ${table.columns.map((c) => `"${c}"`).join(', ')} FROM "${table.name}" ORDER BY ${order} LIMIT ${PAGE} OFFSET ${offset}`)) as Record<string, unknown>[];
        for (const row of rows) {
          fs.writeSync(fd, `${first ? '' : ','}${JSON.stringify(row)}`);
          first = false;
        }
        counts[table.name] = offset + rows.length;
        if (rows.length < PAGE) break;
      }
      fs.writeSync(fd, ']');
    }
    fs.writeSync(fd, '}}\n');
    fs.fsyncSync(fd);
    await runner.query('COMMIT');
  } finally {
    fs.closeSync(fd);
    await runner.release();
  }
  return counts;
}

async function load(db: Db, backupData: JsonBackup): Promise<void> {
  const ds = db.writerDataSource;
  const here = await migrationNames(ds);
  if (here.join('\n') !== backupData.migrations.join('\n')) {
    throw new BackupError(
      `The backup was made at another schema version (${backupData.migrations.length} migrations, this installation has ${here.length}); restore it with the Parley version that made it.`,
    );
  }
  const quote = (name: string) => `"${name}"`;
  await db.write(async ({ manager }) => {
    for (const table of await tablesInOrder(ds)) {
      const rows = parentsFirst(backupData.tables[table.name] ?? [], table.selfRefs);
      const columns = table.columns;
      // Keep each statement under PostgreSQL's 65,535 and SQLite's 32,766 bound parameters.
      const perStatement = Math.max(1, Math.floor(30_000 / columns.length));
      for (let i = 0; i < rows.length; i += perStatement) {
        const chunk = rows.slice(i, i + perStatement);
        const params: unknown[] = [];
        const tuples = chunk.map((row) => {
          for (const column of columns) params.push(row[column] ?? null);
          return `(${columns.map(() => '?').join(', ')})`;
        });
        await manager.query(dialectOf(manager).placeholders(`INSERT INTO ${quote(table.name)} (${columns.map(quote).join(', ')}) VALUES ${tuples.join(', ')}`), params);
      }
    }
  });
}

async function refuseNonEmpty(config: DatabaseConfig): Promise<void> {
  const databasePath = databaseFile(config);
  if (databasePath !== null && !fs.existsSync(databasePath)) return;
  const rows = await countRowsOf(config);
  const filled = Object.entries(rows).filter(([, n]) => n > 0);
  if (filled.length > 0) {
    const where = databasePlace(config);
    throw new BackupError(
      `Refusing to restore into a non-empty installation (${where} holds ${filled.map(([t, n]) => `${n} ${t}`).join(', ')}). Restore into an empty one: a new DB_PATH, or an empty PostgreSQL schema.`,
    );
  }
}

/** Rows per entity table (a table the schema does not have yet counts 0). */
export async function countRowsOf(config: DatabaseConfig): Promise<Record<string, number>> {
  const db = await Db.open(config, ENTITIES, { migrate: false });
  try {
    return await countRows(db.writerDataSource, await tablesInOrder(db.writerDataSource));
  } finally {
    await db.close();
  }
}

async function countRows(ds: DataSource, tables: TableInfo[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of tables) {
    const rows = (await ds.query(`SELECT COUNT(*) AS n FROM "${table.name}"`).catch(() => [{ n: 0 }])) as { n: number | string }[];
    out[table.name] = Number(rows[0]?.n ?? 0);
  }
  return out;
}
