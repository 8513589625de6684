import { AuditLog } from '../src/audit/audit.service';
import { Db } from '../src/database/db.service';
import { freshDatabase, type TestDatabase } from './harness';

describe('Db.write', () => {
  let database: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    database = await freshDatabase();
    db = await Db.open(database.config);
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

  it('finishes every accepted write before closing, and refuses writes after', async () => {
    const other = await Db.open(database.config, { migrate: false });
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
