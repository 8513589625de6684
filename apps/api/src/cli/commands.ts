import { ROLES, UserCreate } from '@parley/contracts';
import { parseArgs } from 'node:util';
import { generatePassword } from '../auth/crypto';
import { AuthService } from '../auth/auth.service';
import { backup, BackupError, restore } from '../backup/backup';
import { createApp } from '../bootstrap';
import { problemsOf } from '../common/validation';
import type { AppConfig } from '../config/app-config';
import { Db } from '../database/db.service';
import { DemoLoader } from '../demo/demo-loader.service';
import { UKRAINE_2025 } from '../demo/ukraine-2025';

export const USAGE = `Usage: npm run parley -- <command> [options]   (migrate, demo:load and user:* also as npm run <command> -- …)
  migrate                                   apply pending database migrations
  demo:load                                 load the demo negotiation (nothing if already there)
  user:create --email E --role R [--name N] [--password P]
                                            create a user (role: ${ROLES.join(', ')}); a password is
                                            generated and printed when none is given
  user:reset-password --email E [--password P]
                                            set a new password and end the user's sessions
  backup <file> [--json]                    online backup while the server runs: SQLite → a copy of
                                            the database file (VACUUM INTO), or with --json and on
                                            PostgreSQL a JSON dump of every table (one snapshot)
  restore <file>                            restore a backup into an empty installation (a new
                                            DB_PATH or an empty schema); a non-empty one is refused`;

/** The command-line tasks, as a function so tests run them in-process against a test database. */
export async function runCli(argv: string[], config: AppConfig, print: (line: string) => void): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'migrate': {
      const db = await Db.open(config.database);
      const { applied, pending } = await db.pendingMigrations();
      await db.close();
      print(`Migrations applied: ${applied}, pending: ${pending}`);
      return 0;
    }
    case 'demo:load':
      return withApp(config, async (app) => {
        const result = await app.get(DemoLoader).load(UKRAINE_2025);
        print(result === 'loaded' ? 'Demo negotiation loaded.' : 'Demo negotiation already present; nothing changed.');
        return 0;
      });
    case 'user:create': {
      const { values } = parseArgs({ args: rest, options: { email: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' } } });
      const password = values.password ?? generatePassword();
      const parsed = UserCreate.safeParse({ email: values.email, role: values.role, name: values.name ?? values.email?.split('@')[0], password });
      if (!parsed.success) {
        print(`Invalid options: ${problemsOf(parsed.error).map((p) => `--${p.field} ${p.message}`).join('; ')}\n\n${USAGE}`);
        return 2;
      }
      return withApp(config, async (app) => {
        const user = await app.get(AuthService).createUser(parsed.data, 'cli');
        print(`Created ${user.role} ${user.email}${values.password ? '' : ` with password: ${password}`}`);
        return 0;
      });
    }
    case 'user:reset-password': {
      const { values } = parseArgs({ args: rest, options: { email: { type: 'string' }, password: { type: 'string' } } });
      if (!values.email) {
        print(`--email is required\n\n${USAGE}`);
        return 2;
      }
      const email = values.email;
      const password = values.password ?? generatePassword();
      const parsed = UserCreate.shape.password.safeParse(password);
      if (!parsed.success) {
        print(`Invalid --password: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
        return 2;
      }
      return withApp(config, async (app) => {
        const auth = app.get(AuthService);
        const user = await auth.findUserByEmail(email);
        if (!user) {
          print(`No user with email ${email}`);
          return 1;
        }
        await auth.updateUser(user.id, { password, disabled: false }, 'cli');
        print(`New password for ${user.email}${values.password ? ' set' : `: ${password}`} (every session of the user was ended)`);
        return 0;
      });
    }
    case 'backup':
    case 'restore': {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { json: { type: 'boolean' } } });
      if (positionals.length !== 1 || (command === 'restore' && values.json)) {
        print(`${command} takes one file name\n\n${USAGE}`);
        return 2;
      }
      try {
        const done = command === 'backup' ? await backup(config.database, positionals[0], values.json ? 'json' : 'native') : await restore(config.database, positionals[0]);
        const counts = Object.entries(done.rows).filter(([, n]) => n > 0).map(([table, n]) => `${n} ${table}`).join(', ');
        print(`${command === 'backup' ? 'Backed up to' : 'Restored from'} ${done.file} (${done.kind === 'sqlite' ? 'SQLite file' : 'JSON'}, ${done.bytes} bytes): ${counts || 'no rows'}`);
        return 0;
      } catch (err) {
        if (err instanceof BackupError) {
          print(err.message);
          return 1;
        }
        throw err;
      }
    }
    case 'help':
    case '--help':
      print(USAGE);
      return 0;
    default:
      print(command ? `Unknown command '${command}'.\n\n${USAGE}` : USAGE);
      return 2;
  }
}

async function withApp(config: AppConfig, work: (app: Awaited<ReturnType<typeof createApp>>) => Promise<number>): Promise<number> {
  const app = await createApp({ ...config, logLevel: 'warn' });
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

