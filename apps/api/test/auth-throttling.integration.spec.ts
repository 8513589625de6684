import { sql } from '../src/database/sql';
import { ADMIN, fingerprint, sleep, startApp } from './harness';
import { mostPasswordChecks } from './lockout';

describe('login throttling', () => {
  it('throttles a brute force of 50 wrong passwords per address, with Retry-After', async () => {
    const t = await startApp({ LOGIN_LIMIT_PER_MINUTE: '10' });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 50; i++) {
        const res = await t.as(null).post('/api/auth/login', { email: ADMIN.email, password: `guess-${i}` });
        statuses.push(res.status);
        if (res.status === 429) retryAfter ??= res.headers.get('retry-after');
      }
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(10);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(40);
      expect(Number(retryAfter)).toBeGreaterThan(0);
      // Even the right password waits now.
      expect((await t.as(null).post('/api/auth/login', ADMIN)).status).toBe(429);
    } finally {
      await t.close();
    }
  });

  it('throttles password spraying per address: one wrong password for each of many emails, known and unknown, gets 429 with Retry-After', async () => {
    const t = await startApp({ LOGIN_LIMIT_PER_MINUTE: '10' });
    try {
      // Accounts made without signing them in (a sign-in would count against the address's limit).
      const known: string[] = [];
      for (let i = 0; i < 15; i++) {
        const email = `sprayed${i}@test.local`;
        expect((await t.post('/api/users', { email, name: `Sprayed ${i}`, role: 'viewer', password: `sprayed-password-${i}` })).status).toBe(201);
        known.push(email);
      }
      const emails = known.flatMap((email, i) => [email, `nobody${i}@test.local`]);
      expect(new Set(emails).size).toBe(30); // each address once: no account can reach its own lockout
      const answers: { status: number; code: string; message: string; retryAfter: string | null }[] = [];
      for (const email of emails) {
        const res = await t.as(null).post('/api/auth/login', { email, password: 'Summer2025!' });
        answers.push({ status: res.status, code: res.body.code, message: res.body.message, retryAfter: res.headers.get('retry-after') });
      }
      const firstLimited = answers.findIndex((a) => a.status === 429);
      // The admin's sign-in at start-up counts too: at most 10 guesses get through.
      expect(firstLimited).toBeGreaterThan(0);
      expect(firstLimited).toBeLessThanOrEqual(10);
      expect(answers.slice(0, firstLimited).every((a) => a.status === 401)).toBe(true);
      for (const limited of answers.slice(firstLimited)) {
        expect(limited).toMatchObject({ status: 429, code: 'RATE_LIMITED', message: 'Too many requests; slow down and retry later' });
        expect(Number(limited.retryAfter)).toBeGreaterThan(0);
      }
      // The limit is the address's, not the accounts': the right password from here waits too.
      const right = await t.as(null).post('/api/auth/login', { email: known[14], password: 'sprayed-password-14' });
      expect(right.status).toBe(429);
      expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });

  it('locks an unknown email out exactly like a known one (same statuses, bodies and Retry-After) without making a user', async () => {
    const t = await startApp({ LOGIN_LIMIT_PER_MINUTE: '1000' });
    try {
      expect((await t.post('/api/users', { email: 'known@test.local', name: 'Known', role: 'analyst', password: 'known-password-1' })).status).toBe(201);
      const before = await fingerprint(t.db);
      const users = (await t.get('/api/users')).body.length as number;
      const answer = async (email: string, password: string, withRetryAfter = true) => {
        const res = await t.as(null).post('/api/auth/login', { email, password });
        const { requestId, retryAfter, ...body } = res.body as Record<string, unknown>;
        expect(typeof requestId).toBe('string');
        return withRetryAfter ? { status: res.status, body, retryAfter, header: res.headers.get('retry-after') } : { status: res.status, body };
      };
      const known: unknown[] = [];
      const unknown: unknown[] = [];
      // Turn about, so both addresses reach their lock at about the same moment. The unknown one is
      // given in another spelling: the count is the address's.
      for (let i = 0; i < 6; i++) {
        known.push(await answer('known@test.local', `wrong-${i}`));
        unknown.push(await answer(' Nobody@Test.LOCAL', `wrong-${i}`));
      }
      expect(unknown).toEqual(known);
      expect(known.map((a) => (a as { status: number }).status)).toEqual([401, 401, 401, 401, 401, 429]);
      expect(known[0]).toMatchObject({ body: { code: 'UNAUTHENTICATED', message: 'Wrong email or password' } });
      expect(known[5]).toMatchObject({ body: { code: 'RATE_LIMITED', message: 'Too many failed sign-ins for this account; try again later' }, retryAfter: 1, header: '1' });

      // Once the first lock (1 s) has passed, the next failure locks both for 2 s.
      await sleep(1_100);
      const again = [await answer('known@test.local', 'wrong-6', false), await answer('nobody@test.local', 'wrong-6', false)];
      const locked = [await answer('known@test.local', 'known-password-1'), await answer('nobody@test.local', 'known-password-1')];
      expect(again).toEqual([{ status: 401, body: (known[0] as { body: unknown }).body }, { status: 401, body: (known[0] as { body: unknown }).body }]);
      for (const a of locked) {
        expect(a).toMatchObject({ status: 429, body: (known[5] as { body: unknown }).body });
        expect([1, 2]).toContain(a.retryAfter);
      }

      // Nothing was made for the unknown address but its failure count; the known account's
      // failures are audited as before.
      expect((await t.get('/api/users')).body).toHaveLength(users);
      expect((await t.get('/api/users')).body.map((u: { email: string }) => u.email)).not.toContain('nobody@test.local');
      const after = await fingerprint(t.db);
      expect(after['users']).toBe(before['users']);
      const failures = (await t.get('/api/audit?limit=1000')).body.items.filter((a: { action: string }) => a.action === 'auth.login_failed') as { actor: string }[];
      expect(failures.map((a) => a.actor)).toEqual(Array(6).fill('known@test.local'));
    } finally {
      await t.close();
    }
  });

  it('locks an account after repeated failures, whatever the address', async () => {
    const t = await startApp({ LOGIN_LIMIT_PER_MINUTE: '1000' });
    try {
      const victim = await t.user('analyst');
      for (let i = 0; i < 6; i++) await t.as(null).post('/api/auth/login', { email: victim.email, password: `wrong-${i}` });
      const locked = await t.as(null).post('/api/auth/login', { email: victim.email, password: victim.password });
      expect(locked.status).toBe(429);
      expect(locked.body.code).toBe('RATE_LIMITED');
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });

  it('checks at most the allowed number of passwords when 100 tries arrive at once, and refuses the right password while locked', async () => {
    // The per-address limits high: what is tested is the account's lockout.
    const t = await startApp({ LOGIN_LIMIT_PER_MINUTE: '100000', RATE_LIMIT_PER_MINUTE: '0' });
    try {
      const victim = await t.user('analyst');
      const wave = async () => {
        const started = Date.now();
        const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => t.as(null).post('/api/auth/login', { email: victim.email, password: `parallel-guess-${i}` })));
        const checked = answers.filter((a) => a.status !== 429);
        expect(checked.every((a) => a.status === 401)).toBe(true);
        for (const a of answers.filter((x) => x.status === 429)) expect(Number(a.headers.get('retry-after'))).toBeGreaterThan(0);
        return { checked: checked.length, ms: Date.now() - started };
      };
      /** Waits until the address's lock has ended (read from the database, as sign-in reads it). */
      const lockEnds = async () => {
        const [row] = (await sql<{ locked_until: string | number | null }>(t.db.read, 'SELECT locked_until FROM login_failures WHERE email = ?', [victim.email])).rows;
        expect(row.locked_until).not.toBeNull();
        await sleep(Number(row.locked_until) - Date.now() + 50);
      };

      const waves = [await wave()];
      expect(waves[0].checked).toBeLessThanOrEqual(mostPasswordChecks(0, waves[0].ms));
      // Right after each lock ends (1 s, then 2 s): one more check, not a hundred.
      for (let i = 1; i < 3; i++) {
        await lockEnds();
        waves.push(await wave());
        expect(waves[i].checked).toBeLessThanOrEqual(mostPasswordChecks(waves.slice(0, i).reduce((n, w) => n + w.checked, 0), waves[i].ms));
      }
      for (const w of waves) expect(w.checked).toBeGreaterThanOrEqual(1);
      // The lock is 4 s or more now: the right password waits too.
      const right = await t.as(null).post('/api/auth/login', { email: victim.email, password: victim.password });
      expect({ status: right.status, code: right.body.code }).toEqual({ status: 429, code: 'RATE_LIMITED' });
      expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);

      // Every password checked and wrong is in the audit log, each with its own count.
      const audit = (await t.get('/api/audit?limit=1000')).body.items as { action: string; entityId: string; after: { failedLogins: number } }[];
      const failed = audit.filter((a) => a.action === 'auth.login_failed' && a.entityId === victim.id).map((a) => a.after.failedLogins);
      expect(failed.sort((a, b) => a - b)).toEqual(Array.from({ length: waves.reduce((n, w) => n + w.checked, 0) }, (_, i) => i + 1));
    } finally {
      await t.close();
    }
  });
});
