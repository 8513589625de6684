import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AuditLog } from '../src/audit/audit.service';
import { Db, DatabaseOpenError, type Outcome, type Tx } from '../src/database/db.service';
import { insertRows, sql } from '../src/database/sql';
import { ENTITIES } from '../src/entities';
import { DRIVER, freshDatabase, type TestDatabase } from './harness';

describe('Db.write', () => {
  let database: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    database = await freshDatabase();
    db = await Db.open(database.config, ENTITIES);
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  it('commits concurrent writes together, rolls back only the failing ones, and runs after-commit hooks for the committed', async () => {
    const audit = new AuditLog(db);
    const committed: number[] = [];
    const outcomes = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) =>
        db.write(async (tx) => {
          await audit.record(tx.manager, { actor: `writer-${i}`, action: 'test', entityType: 'test', entityId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` });
          tx.afterCommit(() => committed.push(i));
          if (i % 5 === 0) throw new Error(`refused ${i}`);
          return i;
        }),
      ),
    );
    const failed = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [i] : []));
    expect(failed).toEqual(Array.from({ length: 12 }, (_, k) => k * 5));
    expect(outcomes.filter((o) => o.status === 'fulfilled').map((o) => (o as PromiseFulfilledResult<number>).value)).toEqual(
      Array.from({ length: 60 }, (_, i) => i).filter((i) => i % 5 !== 0),
    );
    const rows: { actor: string }[] = await db.read.query("SELECT actor FROM audit_log WHERE action = 'test'");
    expect(rows.map((r) => r.actor).sort()).toEqual(
      Array.from({ length: 60 }, (_, i) => i).filter((i) => i % 5 !== 0).map((i) => `writer-${i}`).sort(),
    );
    expect(committed.sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i).filter((i) => i % 5 !== 0));
  });

  it('lets items of one key share a write that has not started, each with its own outcome; on unexpected data writes each alone', async () => {
    const calls: number[][] = [];
    const work = async (tx: Tx, items: number[]): Promise<Outcome<number>[]> => {
      calls.push(items);
      const id = (i: number) => `00000000-0000-4000-8000-${String(500 + i).padStart(12, '0')}`;
      // A NULL actor violates a NOT NULL constraint: unexpected data that fails the whole write.
      await insertRows(tx.manager, 'audit_log', ['id', 'at', 'actor', 'action', 'entity_type', 'entity_id', 'before', 'after'], items.map((i) => [
        id(i), Date.now(), i === 13 ? null : `together-${i}`, 'together', 'test', id(i), null, null,
      ]));
      return items.map((i) => (i % 4 === 0 ? { ok: false, error: new Error(`refused ${i}`) } : { ok: true, result: i * 10 }));
    };
    const first = await Promise.allSettled([1, 2, 3, 4, 5].map((i) => db.writeTogether('k', i, work)));
    expect(first.map((o) => (o.status === 'fulfilled' ? o.value : String((o.reason as Error).message)))).toEqual([10, 20, 30, 'refused 4', 50]);
    expect(calls).toEqual([[1, 2, 3, 4, 5]]);
    calls.length = 0;
    const second = await Promise.allSettled([11, 12, 13].map((i) => db.writeTogether('k', i, work)));
    expect(second.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect((second[1] as PromiseRejectedResult).reason).toEqual(new Error('refused 12'));
    // Then each alone: one after another on SQLite, side by side (in any order) on PostgreSQL.
    expect(calls[0]).toEqual([11, 12, 13]);
    expect(calls.slice(1).sort((a, b) => a[0]! - b[0]!)).toEqual([[11], [12], [13]]);
    const rows: { actor: string }[] = await db.read.query("SELECT actor FROM audit_log WHERE action = 'together' ORDER BY actor");
    // The refused items were inserted, then the work answered them refused: the outcome is the work's to give.
    expect(rows.map((r) => r.actor)).toEqual(['together-1', 'together-11', 'together-12', 'together-2', 'together-3', 'together-4', 'together-5']);
  });

  // PostgreSQL runs each write in its own transaction: there are no groups.
  (DRIVER === 'sqlite' ? it : it.skip)('groups waiting writes up to 1,000 events of weight beyond the first, so that a heavy write commits alone', async () => {
    const steps: string[] = [];
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let started = (): void => undefined;
    const running = new Promise<void>((resolve) => (started = resolve));
    const blocker = db.write(async () => {
      started();
      await held;
    });
    await running;
    const write = (name: string, weight: number) =>
      db.write(
        async (tx) => {
          steps.push(`run ${name}`);
          tx.afterCommit(() => steps.push(`commit ${name}`));
        },
        { weight },
      );
    // Queued while the blocker holds the writer: they form the next groups.
    const queued = [write('a', 600), write('b', 600), write('c', 300), write('d', 1), write('e', 200), write('f', 1)];
    release();
    await Promise.all([blocker, ...queued]);
    expect(steps).toEqual([
      'run a', 'commit a', // a + b would weigh 1,200
      'run b', 'run c', 'run d', 'commit b', 'commit c', 'commit d', // 901; with e it would be 1,101
      'run e', 'run f', 'commit e', 'commit f',
    ]);
  });

  it('finishes every accepted write before closing, and refuses writes after', async () => {
    const other = await Db.open(database.config, ENTITIES, { migrate: false });
    const pending = Array.from({ length: 20 }, (_, i) =>
      other.write((tx) => new AuditLog(other).record(tx.manager, { actor: 'closing', action: 'close-test', entityType: 't', entityId: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}` })),
    );
    await other.close();
    await expect(Promise.all(pending)).resolves.toHaveLength(20);
    const rows: unknown[] = await db.read.query("SELECT id FROM audit_log WHERE action = 'close-test'");
    expect(rows).toHaveLength(20);
    await expect(other.write(async () => 1)).rejects.toThrow('closed');
  });
});

describe('Db.open on SQLite', () => {
  // A SQLite setting: the PostgreSQL run (test:pg) has nothing to check here.
  (DRIVER === 'sqlite' ? it : it.skip)('sets the WAL checkpoint interval from the config (10,000 pages when unset) on the writer', async () => {
    const database = await freshDatabase();
    if (database.config.driver !== 'sqlite') throw new Error('SQLite only');
    try {
      for (const [walAutocheckpoint, expected] of [[undefined, 10_000], [2345, 2345]] as const) {
        const db = await Db.open({ ...database.config, walAutocheckpoint }, ENTITIES);
        try {
          const rows = await db.write((tx) => tx.manager.query('PRAGMA wal_autocheckpoint'));
          expect(rows).toEqual([{ wal_autocheckpoint: expected }]);
        } finally {
          await db.close();
        }
      }
    } finally {
      await database.drop();
    }
  });
});

describe('Db.open on a DB_PATH that cannot be a database file', () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-dbpath-'));
    file = path.join(dir, 'hostname');
    fs.writeFileSync(file, 'not a folder\n');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['a file where its folder should be', () => path.join(file, 'x.sqlite'), 'EEXIST'],
    ['a file further up its folder path', () => path.join(file, 'sub', 'x.sqlite'), 'ENOTDIR'],
  ])('%s: a clear message naming DB_PATH, not a file-system stack', async (_name, dbPath, code) => {
    const error = await Db.open({ driver: 'sqlite', path: dbPath(), synchronous: 'FULL' }, ENTITIES).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatabaseOpenError);
    expect((error as DatabaseOpenError).code).toBe(code);
    expect((error as DatabaseOpenError).message).toBe(
      `Cannot open the database DB_PATH=${dbPath()}: a part of its folder path is a file, not a folder (${file}) (${code}). Set DB_PATH to a file in a folder that exists or can be created, and is writable.`,
    );
    expect(fs.readFileSync(file, 'utf8')).toBe('not a folder\n');
  });
});

describe('insertRows', () => {
  let database: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    database = await freshDatabase();
    db = await Db.open(database.config, ENTITIES);
    await db.write((tx) => sql(tx.manager, 'CREATE TABLE scratch (k integer PRIMARY KEY, s varchar(50), t text, n bigint, b boolean)'));
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  const read = async () =>
    (await sql<{ k: number | string; s: string | null; t: string | null; n: number | string | null; b: unknown }>(db.read, 'SELECT k, s, t, n, b FROM scratch ORDER BY k')).rows.map((r) => [
      Number(r.k),
      r.s,
      r.t,
      r.n === null ? null : Number(r.n),
      r.b === null ? null : Boolean(r.b),
    ]);
  const COLUMNS = ['k', 's', 't', 'n', 'b'];

  it('stores every row as given, columns the same in every row or not, one row or thousands, with an upsert suffix', async () => {
    const rows = Array.from({ length: 5_003 }, (_, i) => [i, i % 2 ? 'same' : `it's "${i}" — ünï`, null, 1_764_547_200_000 + (i % 3), true]);
    await db.write((tx) => insertRows(tx.manager, 'scratch', COLUMNS, rows));
    // One row (every column "the same"), then three rows that differ only in their key.
    await db.write((tx) => insertRows(tx.manager, 'scratch', COLUMNS, [[10_000, 'one', 'a\nb', 2 ** 53 - 1, false]]));
    await db.write((tx) => insertRows(tx.manager, 'scratch', COLUMNS, [10_001, 10_002, 10_003].map((k) => [k, null, '[]', 0, null])));
    expect(await read()).toEqual([
      ...rows,
      [10_000, 'one', 'a\nb', 2 ** 53 - 1, false],
      ...[10_001, 10_002, 10_003].map((k) => [k, null, '[]', 0, null]),
    ]);
    // The suffix applies to every row (ON CONFLICT … DO UPDATE), constant values too.
    await db.write((tx) => insertRows(tx.manager, 'scratch', COLUMNS, [[1, 'updated', 'x', 5, false], [10_001, 'updated', 'x', 5, false]], 'ON CONFLICT (k) DO UPDATE SET s = excluded.s, n = excluded.n'));
    const after = await read();
    expect(after.find((r) => r[0] === 1)).toEqual([1, 'updated', null, 5, true]);
    expect(after.find((r) => r[0] === 10_001)).toEqual([10_001, 'updated', '[]', 5, null]);
    expect(after).toHaveLength(5_007);
  });
});
