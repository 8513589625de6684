import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UsersService } from '../src/users/users.service';
import { cliActor, runCli, USAGE } from '../src/cli/commands';
import { createApp, initialAdmin } from '../src/bootstrap';
import { loadConfig } from '../src/config/app-config';
import { freshDatabase, startApp } from './harness';

describe('first start and the command line', () => {
  it('creates an admin with a generated password, shown by the start-up banner and kept in a 0600 file', async () => {
    const database = await freshDatabase();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-first-'));
    const app = await createApp({ ...loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: dataDir }), database: database.config });
    try {
      const file = path.join(dataDir, 'initial-admin-password.txt');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.join(dataDir, 'jwt-secret')).mode & 0o777).toBe(0o600);
      const password = /password: (\S+)/.exec(fs.readFileSync(file, 'utf8'))![1];
      expect(initialAdmin(app)).toEqual({ created: { email: 'admin@parley.local', password }, passwordFile: file });
      // What a later start finds: no new admin, the file to remind of while it is there.
      expect(await app.get(UsersService).ensureInitialAdmin()).toEqual({ created: null, passwordFile: file });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.getHttpServer().address() as { port: number };
      const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@parley.local', password }),
      });
      expect(login.status).toBe(200);
      const session = ((await login.json()) as { token: string }).token;
      const call = (p: string, token: string, body: unknown) =>
        fetch(`http://127.0.0.1:${port}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });

      // Another user's change leaves the file alone; the first admin's own change removes it.
      const created = await call('/api/users', session, { email: 'second@test.local', name: 'Second', role: 'admin', password: 'second-password-1' });
      expect(created.status).toBe(201);
      const second = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'second@test.local', password: 'second-password-1' }),
      });
      const secondToken = ((await second.json()) as { token: string }).token;
      expect((await call('/api/auth/password', secondToken, { currentPassword: 'second-password-1', newPassword: 'second-password-2' })).status).toBe(204);
      expect(fs.existsSync(file)).toBe(true);
      expect((await call('/api/auth/password', session, { currentPassword: 'wrong-password-0', newPassword: 'my-own-password-1' })).status).toBe(403);
      expect(fs.existsSync(file)).toBe(true);
      expect((await call('/api/auth/password', session, { currentPassword: password, newPassword: 'my-own-password-1' })).status).toBe(204);
      expect(fs.existsSync(file)).toBe(false);
      expect(await app.get(UsersService).ensureInitialAdmin()).toEqual({ created: null, passwordFile: null });
    } finally {
      await app.close();
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('user:create and user:reset-password work and validate their options', async () => {
    const t = await startApp();
    const out: string[] = [];
    const config = t.config;
    try {
      expect(await runCli(['user:create', '--email', 'cli@test.local', '--role', 'analyst', '--password', 'cli-password-1'], config, (l) => out.push(l))).toBe(0);
      expect((await t.as(null).post('/api/auth/login', { email: 'cli@test.local', password: 'cli-password-1' })).status).toBe(200);
      expect(await runCli(['user:create', '--email', 'not-an-email', '--role', 'boss'], config, (l) => out.push(l))).toBe(2);
      expect(out.at(-1)).toContain('--email must be an email address');
      expect(out.at(-1)).toContain('--role must be one of');
      expect(await runCli(['user:reset-password', '--email', 'cli@test.local'], config, (l) => out.push(l))).toBe(0);
      const newPassword = /: (\S+) \(/.exec(out.at(-1)!)![1];
      expect((await t.as(null).post('/api/auth/login', { email: 'cli@test.local', password: 'cli-password-1' })).status).toBe(401);
      expect((await t.as(null).post('/api/auth/login', { email: 'cli@test.local', password: newPassword })).status).toBe(200);
      expect(out.at(-1)).not.toContain('enabled again'); // the account was not disabled: nothing to say
      expect(await runCli(['user:reset-password', '--email', 'nobody@test.local'], config, (l) => out.push(l))).toBe(1);

      // As the issue writes it: a one-letter top-level domain is a valid address.
      expect(await runCli(['user:create', '--email', 'x@y.z', '--role', 'analyst'], config, (l) => out.push(l))).toBe(0);
      expect(out.at(-1)).toMatch(/^Created analyst x@y\.z with password: \S+$/);

      // Every change through the CLI names the operating-system user who ran it.
      const osUser = (() => {
        try {
          return os.userInfo().username;
        } catch {
          return process.env['USER'];
        }
      })();
      expect(osUser).toBeTruthy();
      expect(cliActor()).toBe(`cli:${osUser}`);
      const audit = (await t.get('/api/audit?limit=1000')).body.items as { action: string; actor: string; after: { email?: string } | null }[];
      const byCli = audit.filter((a) => a.actor.startsWith('cli:'));
      expect(byCli.map((a) => a.action).sort()).toEqual(['user.created', 'user.created', 'user.updated']);
      expect(new Set(byCli.map((a) => a.actor))).toEqual(new Set([`cli:${osUser}`]));
    } finally {
      await t.close();
    }
  });

  it('user:reset-password enables a disabled account again and says so (also in its usage text)', async () => {
    const t = await startApp();
    const out: string[] = [];
    try {
      expect(USAGE).toMatch(/user:reset-password[^]*disabled account is enabled again/);
      const u = await t.user('analyst');
      expect((await t.patch(`/api/users/${u.id}`, { disabled: true })).body.disabled).toBe(true);
      expect((await t.as(null).post('/api/auth/login', { email: u.email, password: u.password })).status).toBe(401);

      expect(await runCli(['user:reset-password', '--email', u.email, '--password', 'reset-password-1'], t.config, (l) => out.push(l))).toBe(0);
      expect(out.at(-1)).toBe(`New password for ${u.email} set (every session and API token of the user was ended; the account was disabled and is enabled again)`);
      expect((await t.get(`/api/users/${u.id}`)).body.disabled).toBe(false);
      expect((await t.as(null).post('/api/auth/login', { email: u.email, password: 'reset-password-1' })).status).toBe(200);
      const audit = (await t.get(`/api/audit?actor=${encodeURIComponent(cliActor())}`)).body.items as { action: string; before: { disabled: boolean }; after: { disabled: boolean } }[];
      expect(audit[0]).toMatchObject({ action: 'user.updated', before: { disabled: true }, after: { disabled: false, passwordChanged: true } });

      // An enabled account: the line says nothing about enabling.
      expect(await runCli(['user:reset-password', '--email', u.email, '--password', 'reset-password-2'], t.config, (l) => out.push(l))).toBe(0);
      expect(out.at(-1)).toBe(`New password for ${u.email} set (every session and API token of the user was ended)`);
    } finally {
      await t.close();
    }
  });
});
