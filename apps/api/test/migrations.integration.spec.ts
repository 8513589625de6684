import { DataSource } from 'typeorm';
import { MIGRATIONS } from '@parley/migrations';
import { dataSourceOptions } from '../src/database/data-source-options';
import { Db, runMigrations } from '../src/database/db.service';
import { sql } from '../src/database/sql';
import { ENTITIES } from '../src/entities';
import { searchCandidates } from '../src/database/search-sql';
import { SEARCHED } from '../src/search/search-kinds';
import { parseSearch } from '../src/search/search-query';
import { wordsOf } from '../src/search/fold';
import { freshDatabase, type TestDatabase } from './harness';

const TABLES = ['sources', 'negotiations', 'parties', 'actors', 'points', 'point_lineage', 'documents', 'provisions', 'milestones', 'stance_events', 'stance_retractions', 'current_stances', 'change_log', 'idempotency_keys', 'users', 'sessions', 'api_tokens', 'share_links', 'audit_log', 'login_failures', 'plan_versions'];

describe('migrations', () => {
  let database: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    database = await freshDatabase();
    ds = new DataSource(dataSourceOptions(database.config, ENTITIES));
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
      // a source's citations (its count, and the corroboration built on it)
      ix_events_source: ['source_id'],
      // search (PostgreSQL: a GIN index on the texts' tsvector; SQLite keeps it in an FTS5 table)
      ...(ds.options.type === 'postgres' ? { ix_search_stances: expect.any(Array) } : {}),
    });
  });

  it('leave users without sign-in counters: those are per email address in login_failures', async () => {
    const columns = async (table: string) => {
      const runner = ds.createQueryRunner();
      try {
        // Sorted: TypeORM reads PostgreSQL's columns in no particular order (seen differing between runs).
        return (await runner.getTable(table))?.columns.map((c) => c.name).sort();
      } finally {
        await runner.release();
      }
    };
    expect(await columns('users')).toEqual(['id', 'email', 'name', 'role', 'password_hash', 'disabled_at', 'created_at', 'updated_at'].sort());
    expect(await columns('login_failures')).toEqual(['email', 'failures', 'locked_until', 'last_failed_at'].sort());
  });

  it('can be opened concurrently by several nodes (migrations under a lock) and report nothing pending', async () => {
    const nodes = await Promise.all([Db.open(database.config, ENTITIES), Db.open(database.config, ENTITIES)]);
    for (const node of nodes) expect(await node.pendingMigrations()).toEqual({ applied: MIGRATIONS.length, pending: 0 });
    await Promise.all(nodes.map((node) => node.close()));
  });

  it('go down again to an empty schema', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: 'all' });
    for (const table of TABLES) expect(await tableExists(table)).toBe(false);
    expect(await ds.query('SELECT name FROM migrations')).toHaveLength(0);
  });
});

describe('the login_failures migration', () => {
  it('moves existing failure counts out of users, and back on the way down', async () => {
    const database = await freshDatabase();
    const before = MIGRATIONS.findIndex((m) => m.name === 'LoginFailures1764892800000');
    expect(before).toBeGreaterThan(0);
    const older = new DataSource({ ...dataSourceOptions(database.config, ENTITIES), migrations: MIGRATIONS.slice(0, before) });
    await older.initialize();
    try {
      await runMigrations(older);
      const user = (id: string, email: string, failures: number, lockedUntil: number | null) =>
        older.query(
          `INSERT INTO users (id, email, name, role, password_hash, failed_logins, locked_until, disabled_at, created_at, updated_at) VALUES ('${id}', '${email}', 'U', 'analyst', 'x', ${failures}, ${lockedUntil ?? 'NULL'}, NULL, 1, 1)`,
        );
      await user('00000000-0000-4000-8000-000000000001', 'locked@test.local', 7, 4_102_444_800_000);
      await user('00000000-0000-4000-8000-000000000002', 'tried@test.local', 2, null);
      await user('00000000-0000-4000-8000-000000000003', 'fine@test.local', 0, null);
      // Rows that reference users (the table is rebuilt on SQLite to drop its columns).
      await older.query(`INSERT INTO sessions (id, user_id, created_at, expires_at, revoked_at) VALUES ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-000000000003', 1, 2, NULL)`);
    } finally {
      await older.destroy();
    }

    const current = new DataSource({ ...dataSourceOptions(database.config, ENTITIES), migrations: MIGRATIONS.slice(0, before + 1) });
    await current.initialize();
    try {
      await runMigrations(current);
      const moved = ((await current.query('SELECT email, failures, locked_until, last_failed_at FROM login_failures ORDER BY email')) as Record<string, unknown>[]).map(
        (r) => ({ email: r['email'], failures: Number(r['failures']), lockedUntil: r['locked_until'] === null ? null : Number(r['locked_until']), counted: Number(r['last_failed_at']) > 0 }),
      );
      expect(moved).toEqual([
        { email: 'locked@test.local', failures: 7, lockedUntil: 4_102_444_800_000, counted: true },
        { email: 'tried@test.local', failures: 2, lockedUntil: null, counted: true },
      ]);
      expect(Number(((await current.query('SELECT COUNT(*) AS n FROM users')) as { n: number | string }[])[0].n)).toBe(3);
      expect(((await current.query('SELECT user_id FROM sessions')) as { user_id: string }[]).map((r) => r.user_id)).toEqual(['00000000-0000-4000-8000-000000000003']);

      await current.undoLastMigration({ transaction: 'all' });
      const back = ((await current.query('SELECT email, failed_logins, locked_until FROM users ORDER BY email')) as Record<string, unknown>[]).map((r) => [
        r['email'],
        Number(r['failed_logins']),
        r['locked_until'] === null ? null : Number(r['locked_until']),
      ]);
      expect(back).toEqual([
        ['fine@test.local', 0, null],
        ['locked@test.local', 7, 4_102_444_800_000],
        ['tried@test.local', 2, null],
      ]);
    } finally {
      await current.destroy();
      await database.drop();
    }
  });
});

describe('the sources migration', () => {
  const N1 = '00000000-0000-4000-8000-000000000001';
  const N2 = '00000000-0000-4000-8000-000000000002';
  const U1 = 'https://news.example.org/1';

  it('makes records of existing citations per negotiation (same URL, else same outlet, title and date), cites them, and goes down again', async () => {
    const database = await freshDatabase();
    const before = MIGRATIONS.findIndex((m) => m.name === 'Sources1765065600000');
    expect(before).toBeGreaterThan(0);
    const older = new DataSource({ ...dataSourceOptions(database.config, ENTITIES), migrations: MIGRATIONS.slice(0, before) });
    await older.initialize();
    const ids: Record<string, string> = {};
    try {
      await runMigrations(older);
      for (const [i, n] of [N1, N2].entries()) {
        await older.query(`INSERT INTO negotiations (id, slug, title, description, status, seq, version, created_at, updated_at) VALUES ('${n}', 'n${i}', 'N', '', 'active', 10, 1, 1, 1)`);
        await older.query(`INSERT INTO parties (id, negotiation_id, code, name, kind, color, parent_id, description, sort_order, version, created_at, updated_at) VALUES ('${n.slice(0, -3)}a0${i}', '${n}', 'P', 'P', 'state', '#000000', NULL, '', 0, 1, 1, 1)`);
        await older.query(`INSERT INTO points (id, negotiation_id, code, title, category, description, sort_order, version, created_at, updated_at) VALUES ('${n.slice(0, -3)}b0${i}', '${n}', 'p', 'P', 'security', '', 0, 1, 1, 1)`);
      }
      const event = async (name: string, n: string, seq: number, recordedAt: number, url: string | null, outlet: string | null, title: string | null, publishedAt: number | null) => {
        const id = `00000000-0000-4000-9000-${String(seq + (n === N2 ? 100 : 0)).padStart(12, '0')}`;
        ids[name] = id;
        const i = n === N1 ? 0 : 1;
        const v = (x: string | number | null) => (x === null ? 'NULL' : typeof x === 'number' ? String(x) : `'${x}'`);
        await older.query(
          `INSERT INTO stance_events (id, negotiation_id, seq, party_id, point_id, position, confidence, effective_at, effective_precision, recorded_at, recorded_by, conditions_text, condition_point_ids, note, quote, actor_id, source_url, source_outlet, source_title, source_published_at, document_id, milestone_id)
           VALUES ('${id}', '${n}', ${seq}, '${n.slice(0, -3)}a0${i}', '${n.slice(0, -3)}b0${i}', 'accept', 'reported', 1000, 'day', ${recordedAt}, 'a@test.local', NULL, '[]', NULL, NULL, NULL, ${v(url)}, ${v(outlet)}, ${v(title)}, ${v(publishedAt)}, NULL, NULL)`,
        );
      };
      await event('byUrl', N1, 1, 5_000, U1, 'Reuters', 'First headline', 86_400_000);
      await event('sameUrl', N1, 2, 6_000, U1, 'Reuters', 'Headline changed later', null);
      await event('ap', N1, 3, 7_000, null, 'AP', 'Talks', 86_400_000);
      await event('apAgain', N1, 4, 8_000, null, 'AP', 'Talks', 86_400_000);
      await event('apUndated', N1, 5, 9_000, null, 'AP', 'Talks', null);
      await event('nothing', N1, 6, 9_500, null, null, null, null);
      await event('otherNegotiation', N2, 1, 4_000, U1, null, null, null);
    } finally {
      await older.destroy();
    }

    const current = new DataSource({ ...dataSourceOptions(database.config, ENTITIES), migrations: MIGRATIONS.slice(0, before + 1) });
    await current.initialize();
    try {
      await runMigrations(current);
      const sources = ((await current.query('SELECT * FROM sources ORDER BY created_at')) as Record<string, unknown>[]).map((r) => ({
        id: r['id'],
        negotiationId: r['negotiation_id'],
        kind: r['kind'],
        outlet: r['outlet'],
        title: r['title'],
        url: r['url'],
        publishedAt: r['published_at'] === null ? null : Number(r['published_at']),
        version: Number(r['version']),
        createdAt: Number(r['created_at']),
      }));
      expect(sources.map(({ id: _id, ...rest }) => rest)).toEqual([
        { negotiationId: N2, kind: 'document', outlet: null, title: null, url: U1, publishedAt: null, version: 1, createdAt: 4_000 },
        { negotiationId: N1, kind: 'news_report', outlet: 'Reuters', title: 'First headline', url: U1, publishedAt: 86_400_000, version: 1, createdAt: 5_000 },
        { negotiationId: N1, kind: 'news_report', outlet: 'AP', title: 'Talks', url: null, publishedAt: 86_400_000, version: 1, createdAt: 7_000 },
        { negotiationId: N1, kind: 'news_report', outlet: 'AP', title: 'Talks', url: null, publishedAt: null, version: 1, createdAt: 9_000 },
      ]);
      for (const s of sources) expect(s.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const cited = Object.fromEntries(
        ((await current.query('SELECT id, source_id FROM stance_events')) as { id: string; source_id: string | null }[]).map((r) => [r.id, r.source_id]),
      );
      const [n2Url, n1Url, ap, apUndated] = sources.map((s) => s.id);
      expect(Object.fromEntries(Object.entries(ids).map(([name, id]) => [name, cited[id]]))).toEqual({
        byUrl: n1Url,
        sameUrl: n1Url,
        ap,
        apAgain: ap,
        apUndated,
        nothing: null,
        otherNegotiation: n2Url,
      });
      // The citation as recorded stays on the event.
      const kept = (await current.query(`SELECT source_title FROM stance_events WHERE id = '${ids['sameUrl']}'`)) as { source_title: string }[];
      expect(kept[0].source_title).toBe('Headline changed later');

      await current.undoLastMigration({ transaction: 'all' });
      const runner = current.createQueryRunner();
      try {
        expect(await runner.hasTable('sources')).toBe(false);
        expect((await runner.getTable('stance_events'))?.columns.map((c) => c.name)).not.toContain('source_id');
      } finally {
        await runner.release();
      }
      expect(Number(((await current.query('SELECT COUNT(*) AS n FROM stance_events')) as { n: number | string }[])[0].n)).toBe(7);
    } finally {
      await current.destroy();
      await database.drop();
    }
  });
});

describe('the quote translation migration', () => {
  it('adds the quote language and translation columns to stance_events, and takes them away again', async () => {
    const database = await freshDatabase();
    const upTo = MIGRATIONS.findIndex((m) => m.name === 'QuoteTranslation1765152000000') + 1;
    const ds = new DataSource({ ...dataSourceOptions(database.config, ENTITIES), migrations: MIGRATIONS.slice(0, upTo) });
    await ds.initialize();
    const columns = async () => {
      const runner = ds.createQueryRunner();
      try {
        return (await runner.getTable('stance_events'))?.columns.map((c) => c.name) ?? [];
      } finally {
        await runner.release();
      }
    };
    try {
      await runMigrations(ds);
      expect(await columns()).toEqual(expect.arrayContaining(['quote', 'quote_language', 'translation', 'translation_language']));
      // Only the migrations up to this one were applied (later ones are not in this data source):
      // undo down to it. Counting the later migrations of the list instead undid the initial schema
      // too once there were more of them than there are before this one.
      const index = MIGRATIONS.findIndex((m) => m.name === 'QuoteTranslation1765152000000');
      expect(index).toBeGreaterThan(0);
      for (let i = upTo - 1; i >= index; i--) await ds.undoLastMigration({ transaction: 'all' });
      expect(await columns()).toContain('quote');
      expect((await columns()).filter((c) => c.includes('translation') || c === 'quote_language')).toEqual([]);
    } finally {
      await ds.destroy();
      await database.drop();
    }
  });
});

describe('the search migration', () => {
  it('indexes the texts already there (events, points, provisions, sources), keeps new ones indexed, and goes down again', async () => {
    const database = await freshDatabase();
    const at = MIGRATIONS.findIndex((m) => m.name === 'Search1765242000000');
    expect(at).toBeGreaterThan(0);
    const older = new DataSource({ ...dataSourceOptions(database.config, ENTITIES), migrations: MIGRATIONS.slice(0, at) });
    await older.initialize();
    const n = '00000000-0000-4000-8000-000000000001';
    try {
      await runMigrations(older);
      await older.query(`INSERT INTO negotiations (id, slug, title, description, status, seq, version, created_at, updated_at) VALUES ('${n}', 'n', 'N', '', 'active', 10, 1, 1, 1)`);
      await older.query(`INSERT INTO parties (id, negotiation_id, code, name, kind, color, parent_id, description, sort_order, version, created_at, updated_at) VALUES ('${n.slice(0, -1)}2', '${n}', 'P', 'P', 'state', '#000000', NULL, '', 0, 1, 1, 1)`);
      await older.query(`INSERT INTO points (id, negotiation_id, code, title, category, description, sort_order, version, created_at, updated_at) VALUES ('${n.slice(0, -1)}3', '${n}', 'p', 'Запорожская АЭС', 'security', 'Zaporizhzhia plant', 0, 1, 1, 1)`);
      await older.query(`INSERT INTO documents (id, negotiation_id, title, short_title, author_party_id, published_at, published_precision, description, source_url, version, created_at, updated_at) VALUES ('${n.slice(0, -1)}4', '${n}', 'D', 'D', NULL, 1, 'day', '', NULL, 1, 1, 1)`);
      await older.query(`INSERT INTO provisions (document_id, point_id, number, text, sort_order) VALUES ('${n.slice(0, -1)}4', '${n.slice(0, -1)}3', '1', 'Nuclear plant under IAEA control', 0)`);
      await older.query(`INSERT INTO sources (id, negotiation_id, kind, outlet, title, url, published_at, language, description, version, created_at, updated_at) VALUES ('${n.slice(0, -1)}5', '${n}', 'news_report', 'Kyiv Independent', 'Talks in Genève', NULL, NULL, NULL, NULL, 1, 1, 1)`);
      for (const [i, quote] of ["'Запорожье наше'", 'NULL'].entries()) {
        await older.query(
          `INSERT INTO stance_events (id, negotiation_id, seq, party_id, point_id, position, confidence, effective_at, effective_precision, recorded_at, recorded_by, conditions_text, condition_point_ids, note, quote, actor_id, source_url, source_outlet, source_title, source_published_at, document_id, milestone_id)
           VALUES ('${n.slice(0, -1)}${6 + i}', '${n}', ${i + 1}, '${n.slice(0, -1)}2', '${n.slice(0, -1)}3', 'accept', 'reported', 1000, 'day', 1000, 'a@test.local', NULL, '[]', NULL, ${quote}, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
        );
      }
    } finally {
      await older.destroy();
    }
    // Every later migration too (PostgreSQL: 1765540800000 moves the stances' vector to a stored column).
    const current = new DataSource({ ...dataSourceOptions(database.config, ENTITIES), migrations: MIGRATIONS });
    await current.initialize();
    const found = async (kind: keyof typeof SEARCHED, word: string) => (await searchCandidates<Record<string, unknown>>(current.manager, SEARCHED[kind].index, n, parseSearch(word), 10)).length;
    try {
      await runMigrations(current);
      expect(await found('stance', 'запорожье')).toBe(1);
      expect(await found('point', 'Запорожская')).toBe(1);
      expect(await found('point', 'zaporizhzhia')).toBe(1);
      expect(await found('provision', 'IAEA')).toBe(1);
      expect(await found('source', 'geneve')).toBe(1);
      expect(await found('source', 'kyiv')).toBe(1);
      // Rows written later are indexed too, and a changed text replaces the old one.
      await current.query(`UPDATE points SET title = 'Energodar' WHERE id = '${n.slice(0, -1)}3'`);
      expect(await found('point', 'Запорожская')).toBe(0);
      expect(await found('point', 'energodar')).toBe(1);
      await current.query(`DELETE FROM provisions`);
      expect(await found('provision', 'IAEA')).toBe(0);
      await current.query(
        `INSERT INTO stance_events (id, negotiation_id, seq, party_id, point_id, position, confidence, effective_at, effective_precision, recorded_at, recorded_by, condition_point_ids, quote, note)
         VALUES ('${n.slice(0, -1)}8', '${n}', 3, '${n.slice(0, -1)}2', '${n.slice(0, -1)}3', 'reject', 'reported', 2000, 'day', 2000, 'a@test.local', '[]', NULL, 'Энергодар, not Genève')`,
      );
      expect(await found('stance', 'энергодар')).toBe(1);
      expect(await found('stance', 'geneve')).toBe(1);
      expect(await found('stance', 'запорожье')).toBe(1);

      // The database folds every Latin and Cyrillic letter as the ranking does (search/fold.ts).
      const letters: string[] = [];
      for (const [lo, hi] of [[0xc0, 0x24f], [0x1e00, 0x1eff], [0x400, 0x45f]]) for (let c = lo; c <= hi; c++) if (/\p{L}/u.test(String.fromCodePoint(c))) letters.push(String.fromCodePoint(c));
      // SQLite's own table keeps ǡ Ǡ and folds the long s (ſ ẛ) to s: the only differences.
      const words = letters.filter((l) => current.options.type === 'postgres' || !'Ǡǡſẛ'.includes(l)).map((l) => `x${l}x`);
      let folded: string[];
      if (current.options.type === 'postgres') {
        folded = ((await current.query(`SELECT parley_search_vector(w)::text AS v FROM unnest($1::text[]) WITH ORDINALITY AS u(w, i) ORDER BY i`, [words])) as { v: string }[]).map((r) => r.v.replace(/^'(.*)':1$/, '$1'));
      } else {
        await current.query(`CREATE VIRTUAL TABLE temp.fold_check USING fts5(w, tokenize = 'unicode61 remove_diacritics 2')`);
        await current.query(`CREATE VIRTUAL TABLE temp.fold_terms USING fts5vocab(temp, fold_check, instance)`);
        for (const w of words) await current.query('INSERT INTO temp.fold_check (w) VALUES (?)', [w]);
        folded = ((await current.query('SELECT term FROM temp.fold_terms ORDER BY doc')) as { term: string }[]).map((r) => r.term);
      }
      expect(folded).toEqual(words.map((w) => wordsOf(w).map((x) => x.word).join(' ')));
      for (let i = MIGRATIONS.length - 1; i >= at; i--) await current.undoLastMigration({ transaction: 'all' });
      await expect(found('stance', 'запорожье')).rejects.toThrow();
    } finally {
      await current.destroy();
      await database.drop();
    }
  });
});

describe('the source archives migration', () => {
  it('adds the source_archives table (a row per copy) and takes it away again', async () => {
    const database = await freshDatabase();
    const ds = new DataSource(dataSourceOptions(database.config, ENTITIES));
    await ds.initialize();
    const table = async () => {
      const runner = ds.createQueryRunner();
      try {
        return (await runner.getTable('source_archives'))?.columns.map((c) => c.name).sort() ?? null;
      } finally {
        await runner.release();
      }
    };
    try {
      await runMigrations(ds);
      expect(await table()).toEqual(['archived_at', 'archived_by', 'content_type', 'id', 'negotiation_id', 'original', 'sha256', 'size', 'source_id', 'text', 'text_length']);
      const index = MIGRATIONS.findIndex((m) => m.name === 'SourceArchives1765324800000');
      for (let i = MIGRATIONS.length - 1; i >= index; i--) await ds.undoLastMigration({ transaction: 'all' });
      expect(await table()).toBeNull();
    } finally {
      await ds.destroy();
      await database.drop();
    }
  });
});

describe('the document codes migration', () => {
  it("gives every document a code (the demo's keys, else a slug of its short title, unique ignoring case per negotiation), and takes it away again", async () => {
    const database = await freshDatabase();
    const at = MIGRATIONS.findIndex((m) => m.name === 'DocumentCodes1765610000000');
    expect(at).toBeGreaterThan(0);
    const before = new DataSource({ ...dataSourceOptions(database.config, ENTITIES), migrations: MIGRATIONS.slice(0, at) });
    await before.initialize();
    const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    try {
      await runMigrations(before);
      for (const n of [1, 2]) {
        await sql(before.manager, "INSERT INTO negotiations (id, slug, title, description, status, seq, version, created_at, updated_at) VALUES (?, ?, 'T', '', 'active', 0, 1, 0, 0)", [id(n), `n${n}`]);
      }
      const docs: [number, number, string, string][] = [
        [10, 1, 'US 28-point peace plan (draft)', 'US 28-point draft'],
        [11, 1, 'Draft', 'The Draft'],
        [12, 1, 'Another draft', 'the draft'],
        [13, 2, 'Draft elsewhere', 'The Draft'],
      ];
      for (const [doc, neg, title, shortTitle] of docs) {
        await sql(
          before.manager,
          "INSERT INTO documents (id, negotiation_id, title, short_title, author_party_id, published_at, published_precision, description, source_url, version, created_at, updated_at) VALUES (?, ?, ?, ?, NULL, ?, 'day', '', NULL, 1, 0, 0)",
          [id(doc), id(neg), title, shortTitle, doc],
        );
      }
    } finally {
      await before.destroy();
    }
    const after = new DataSource({ ...dataSourceOptions(database.config, ENTITIES), migrations: MIGRATIONS.slice(0, at + 1) });
    await after.initialize();
    try {
      await runMigrations(after);
      const { rows } = await sql<{ id: string; code: string }>(after.manager, 'SELECT id, code FROM documents ORDER BY id');
      expect(rows.map((r) => r.code)).toEqual(['us28', 'the-draft', 'the-draft-2', 'the-draft']);
      await after.undoLastMigration({ transaction: 'all' });
      const runner = after.createQueryRunner();
      try {
        expect((await runner.getTable('documents'))?.columns.map((c) => c.name)).not.toContain('code');
      } finally {
        await runner.release();
      }
    } finally {
      await after.destroy();
      await database.drop();
    }
  });
});

describe('the plan versions migration', () => {
  it('backfills one version per point, party and document, tabled by its first text or stance, and goes down again', async () => {
    const database = await freshDatabase();
    const at = MIGRATIONS.findIndex((m) => m.name === 'PlanVersions1765620000000');
    expect(at).toBeGreaterThan(0);
    const older = new DataSource({ ...dataSourceOptions(database.config, ENTITIES), migrations: MIGRATIONS.slice(0, at) });
    await older.initialize();
    const id = (k: number) => `00000000-0000-4000-8000-${String(k).padStart(12, '0')}`;
    try {
      await runMigrations(older);
      await older.query(`INSERT INTO negotiations (id, slug, title, description, status, seq, version, created_at, updated_at) VALUES ('${id(1)}', 'n', 'N', '', 'active', 10, 1, 1, 1)`);
      await older.query(`INSERT INTO parties (id, negotiation_id, code, name, kind, color, parent_id, description, sort_order, version, created_at, updated_at) VALUES ('${id(2)}', '${id(1)}', 'P', 'Party', 'state', '#000000', NULL, '', 0, 2, 9000, 9500)`);
      await older.query(`INSERT INTO actors (id, party_id, name, role, sort_order, retired_at) VALUES ('${id(9)}', '${id(2)}', 'Speaker', 'Minister', 0, NULL)`);
      // p: in a text of day 3000 and created at 5000; q: in no text, created at 7000, a stance on it effective at 2000.
      await older.query(`INSERT INTO points (id, negotiation_id, code, title, category, description, sort_order, version, created_at, updated_at) VALUES ('${id(3)}', '${id(1)}', 'p', 'Tabled', 'security', '', 0, 1, 5000, 5000)`);
      await older.query(`INSERT INTO points (id, negotiation_id, code, title, category, description, sort_order, version, created_at, updated_at) VALUES ('${id(4)}', '${id(1)}', 'q', 'Raised', 'military', '', 1, 3, 7000, 8000)`);
      await older.query(`INSERT INTO point_lineage (point_id, derived_from_id, kind) VALUES ('${id(4)}', '${id(3)}', 'split')`);
      await older.query(`INSERT INTO documents (id, negotiation_id, title, short_title, author_party_id, published_at, published_precision, description, source_url, version, created_at, updated_at) VALUES ('${id(5)}', '${id(1)}', 'D', 'D', NULL, 3000, 'day', '', NULL, 1, 6000, 6000)`);
      await older.query(`INSERT INTO provisions (document_id, point_id, number, text, sort_order) VALUES ('${id(5)}', '${id(3)}', '1', 'The text', 0)`);
      await older.query(
        `INSERT INTO stance_events (id, negotiation_id, seq, party_id, point_id, position, confidence, effective_at, effective_precision, recorded_at, recorded_by, condition_point_ids)
         VALUES ('${id(6)}', '${id(1)}', 1, '${id(2)}', '${id(4)}', 'accept', 'reported', 2000, 'day', 9900, 'a@test.local', '[]')`,
      );
    } finally {
      await older.destroy();
    }
    const current = new DataSource({ ...dataSourceOptions(database.config, ENTITIES), migrations: MIGRATIONS.slice(0, at + 1) });
    await current.initialize();
    try {
      await runMigrations(current);
      const rows = (await current.query('SELECT kind, entity_id, seq, effective_at, recorded_at, data FROM plan_versions ORDER BY entity_id')) as Record<string, unknown>[];
      const version = (k: number) => {
        const row = rows.find((r) => r['entity_id'] === id(k));
        return row && { kind: row['kind'], seq: Number(row['seq']), effectiveAt: Number(row['effective_at']), recordedAt: Number(row['recorded_at']), data: JSON.parse(String(row['data'])) };
      };
      expect(rows).toHaveLength(4);
      expect(version(2)).toMatchObject({ kind: 'party', seq: 0, effectiveAt: 2000, recordedAt: 9000, data: { code: 'P', name: 'Party', actors: [{ id: id(9), name: 'Speaker', role: 'Minister', retired: false }], version: 2 } });
      expect(version(3)).toMatchObject({ kind: 'point', effectiveAt: 3000, recordedAt: 5000, data: { code: 'p', title: 'Tabled', derivedFrom: [], sortOrder: 0 } });
      expect(version(4)).toMatchObject({ kind: 'point', effectiveAt: 2000, recordedAt: 7000, data: { title: 'Raised', derivedFrom: [{ pointId: id(3), kind: 'split' }], version: 3 } });
      expect(version(5)).toMatchObject({ kind: 'document', effectiveAt: 3000, recordedAt: 6000, data: { title: 'D', publishedAt: new Date(3000).toISOString(), provisions: [{ pointId: id(3), number: '1', text: 'The text' }] } });
      await current.undoLastMigration({ transaction: 'all' });
      await expect(current.query('SELECT 1 FROM plan_versions')).rejects.toThrow();
    } finally {
      await current.destroy();
      await database.drop();
    }
  });
});
