import { EXPORT_FORMATS, ExportQuery, NegotiationDump, ROLES, UserCreate, type ExportFormat, type ImportReport } from '@parley/contracts';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../common/app-error';
import { writeExport } from '../exports/write-export';
import { CsvImportService } from '../imports/csv-import.service';
import { DumpImporter } from '../imports/dump-importer';
import { generatePassword } from '../common/crypto';
import { backup, BackupError, restore } from '../backup/backup';
import { createApp, initialAdmin } from '../bootstrap';
import { problemsOf } from '../common/validation';
import type { AppConfig } from '../config/app-config';
import { Db } from '../database/db.service';
import { ENTITIES } from '../entities';
import { DemoLoader, DemoLoadError, describeCounts } from '../demo/demo-loader.service';
import { adminLines } from '../start-up';
import { UKRAINE_2025 } from '../demo/ukraine-2025';
import { UsersService } from '../users/users.service';
import { Refs } from '../refs/refs.service';

export const USAGE = `Usage: npm run parley -- <command> [options]   (migrate, demo:load and user:* also as npm run <command> -- …)
  migrate                                   apply pending database migrations
  demo:load                                 load the demo negotiation (nothing if already there;
                                            completes one an interrupted older load left partial)
  user:create --email E --role R [--name N] [--password P]
                                            create a user (role: ${ROLES.join(', ')}); a password is
                                            generated and printed when none is given
  user:reset-password --email E [--password P]
                                            set a new password, end the user's sessions and revoke
                                            their API tokens; a disabled account is enabled again
                                            (and it says so)
  export <negotiation> [--format json|csv|md|pdf|xlsx] [--out FILE] [--as-of D] [--known-at D]
         [--since D] [--recorded-since D] [--table matrix|changes] [--document DOC] [--parties CODES]
                                            <negotiation>: its id or slug; --document: a document's
                                            id or code (its numbering); --parties: party codes, a,b
                                            --since: changes effective from D to --as-of;
                                            --recorded-since: changes recorded after D
                                            write an export (default: the JSON dump) to FILE or stdout
  import <file.json|file.csv> [--dry-run] [--negotiation N --kind points|stances]
                                            import a negotiation dump, or CSV rows into negotiation N;
                                            all or nothing; --dry-run reports and writes nothing
  backup <file> [--json]                    online backup while the server runs: SQLite → a copy of
                                            the database file (VACUUM INTO), or with --json and on
                                            PostgreSQL a JSON dump of every table (one snapshot)
  restore <file>                            restore a backup into an empty installation (a new
                                            DB_PATH or an empty schema); a non-empty one is refused`;

/**
 * Who a command-line change is audited as: `cli:` and the operating-system account running it, so
 * every change stays traceable to a person (the CLI needs no sign-in; access to the machine is the
 * credential).
 */
export function cliActor(): string {
  let user: string | undefined;
  try {
    user = os.userInfo().username;
  } catch {
    // No passwd entry for the uid (some containers): the login name the shell was given, if any.
  }
  user ||= process.env['USER'] || process.env['LOGNAME'] || process.env['USERNAME'];
  return `cli:${user || 'unknown'}`;
}

/** Node's parseArgs refusals: an unknown option, an option without its value, an unexpected argument. */
function isParseArgsError(err: unknown): err is Error {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return err instanceof Error && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

/**
 * The command-line tasks, as a function so tests run them in-process against a test database. A
 * command line it cannot run (unknown command or option, a missing or invalid value) is answered
 * with what is wrong and the usage on `printError` (stderr), and exit code 2.
 */
export async function runCli(argv: string[], config: AppConfig, print: (line: string) => void, printError: (line: string) => void = print): Promise<number> {
  try {
    return await runCommand(argv, config, print, printError);
  } catch (err) {
    if (!isParseArgsError(err)) throw err;
    printError(`${err.message}\n\n${USAGE}`);
    return 2;
  }
}

async function runCommand(argv: string[], config: AppConfig, print: (line: string) => void, printError: (line: string) => void): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'migrate': {
      parseArgs({ args: rest, options: {} });
      const db = await Db.open(config.database, ENTITIES);
      const { applied, pending } = await db.pendingMigrations();
      await db.close();
      print(`Migrations applied: ${applied}, pending: ${pending}`);
      return 0;
    }
    case 'demo:load':
      parseArgs({ args: rest, options: {} });
      return withApp(config, async (app) => {
        try {
          const { outcome, added } = await app.get(DemoLoader).load(UKRAINE_2025);
          const slug = UKRAINE_2025.negotiation.slug;
          print(
            outcome === 'loaded'
              ? `Demo negotiation '${slug}' loaded.`
              : outcome === 'completed'
                ? `Demo negotiation '${slug}' was incomplete (an earlier load was interrupted); completed it, adding ${describeCounts(added)}.`
                : `Demo negotiation '${slug}' already present and complete; nothing changed.`,
          );
          return 0;
        } catch (err) {
          if (!(err instanceof DemoLoadError)) throw err;
          print(err.message);
          return 1;
        }
      });
    case 'user:create': {
      const { values } = parseArgs({ args: rest, options: { email: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' } } });
      const password = values.password ?? generatePassword();
      const options = { email: values.email, role: values.role, name: values.name ?? values.email?.split('@')[0], password };
      const parsed = UserCreate.safeParse(options);
      if (!parsed.success) {
        printError(`Invalid options: ${problemsOf(parsed.error, undefined, options).map((p) => `--${p.field} ${p.message}`).join('; ')}\n\n${USAGE}`);
        return 2;
      }
      return withApp(config, async (app) => {
        const user = await app.get(UsersService).createUser(parsed.data, cliActor());
        print(`Created ${user.role} ${user.email}${values.password ? '' : ` with password: ${password}`}`);
        return 0;
      });
    }
    case 'user:reset-password': {
      const { values } = parseArgs({ args: rest, options: { email: { type: 'string' }, password: { type: 'string' } } });
      if (!values.email) {
        printError(`--email is required\n\n${USAGE}`);
        return 2;
      }
      const email = values.email;
      const password = values.password ?? generatePassword();
      const parsed = UserCreate.shape.password.safeParse(password);
      if (!parsed.success) {
        printError(`Invalid --password: ${parsed.error.issues[0]?.message ?? 'invalid'}\n\n${USAGE}`);
        return 2;
      }
      return withApp(config, async (app) => {
        const users = app.get(UsersService);
        const user = await users.findUserByEmail(email);
        if (!user) {
          print(`No user with email ${email}`);
          return 1;
        }
        // Resetting is how an operator gives an account back, so it also lifts a disable; said aloud.
        await users.updateUser(user.id, { password, disabled: false }, cliActor());
        const reenabled = user.disabled ? '; the account was disabled and is enabled again' : '';
        print(`New password for ${user.email}${values.password ? ' set' : `: ${password}`} (every session and API token of the user was ended${reenabled})`);
        return 0;
      });
    }
    case 'export':
      return exportCommand(rest, config, print, printError);
    case 'import':
      return importCommand(rest, config, print, printError);
    case 'backup':
    case 'restore': {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { json: { type: 'boolean' } } });
      if (positionals.length !== 1 || (command === 'restore' && values.json)) {
        printError(`${command} takes one file name\n\n${USAGE}`);
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
      printError(command ? `Unknown command '${command}'.\n\n${USAGE}` : USAGE);
      return 2;
  }
}

async function withApp(config: AppConfig, work: (app: Awaited<ReturnType<typeof createApp>>) => Promise<number>): Promise<number> {
  const app = await createApp({ ...config, logLevel: 'warn' });
  const admin = initialAdmin(app);
  // A command run on a new installation creates its first admin: said on stderr, where it cannot
  // end up inside an export written to stdout.
  if (admin.created) for (const line of adminLines(admin)) process.stderr.write(`${line}\n`);
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}


async function exportCommand(args: string[], config: AppConfig, print: (line: string) => void, printError: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'json' },
      out: { type: 'string' },
      'as-of': { type: 'string' },
      'known-at': { type: 'string' },
      since: { type: 'string' },
      'recorded-since': { type: 'string' },
      table: { type: 'string' },
      document: { type: 'string' },
      parties: { type: 'string' },
    },
  });
  const negotiation = positionals[0];
  const format = values.format;
  if (!negotiation || !(EXPORT_FORMATS as readonly string[]).includes(format)) {
    printError(`export needs a negotiation (id or slug) and --format ${EXPORT_FORMATS.join('|')}\n\n${USAGE}`);
    return 2;
  }
  const query = ExportQuery.safeParse({ asOf: values['as-of'], knownAt: values['known-at'], since: values.since, recordedSince: values['recorded-since'], table: values.table, documentId: values.document, parties: values.parties });
  if (!query.success) {
    printError(`Invalid options: ${problemsOf(query.error).map((p) => `${p.field} ${p.message}`).join('; ')}\n\n${USAGE}`);
    return 2;
  }
  const out = values.out;
  return withApp(config, async (app) => {
    // References as the API takes them (the one resolver): an unknown or ambiguous one fails before any file is written.
    const refs = app.get(Refs);
    const n = await refs.negotiation(negotiation);
    if (query.data.documentId !== undefined) query.data.documentId = await refs.one(n, 'document', query.data.documentId, '--document');
    if (!out) {
      await writeExport(app, negotiation, format as ExportFormat, query.data, process.stdout);
      return 0;
    }
    await writeWhole(out, (file) => writeExport(app, negotiation, format as ExportFormat, query.data, file));
    print(`Wrote ${out} (${fs.statSync(out).size} bytes)`);
    return 0;
  });
}

/**
 * Writes `target` whole or not at all: into a temporary file beside it, renamed over it once
 * complete. A failed export (an unknown negotiation, a full disk) leaves no file behind, and an
 * earlier file of that name stays as it was.
 */
async function writeWhole(target: string, write: (file: fs.WriteStream) => Promise<void>): Promise<void> {
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
  const file = fs.createWriteStream(temporary, { flags: 'wx' });
  try {
    await once(file, 'open');
    await write(file);
    if (!file.writableEnded) file.end();
    if (!file.closed) await once(file, 'close');
    fs.renameSync(temporary, target);
  } catch (err) {
    file.destroy();
    fs.rmSync(temporary, { force: true });
    throw err;
  }
}

async function importCommand(args: string[], config: AppConfig, print: (line: string) => void, printError: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'dry-run': { type: 'boolean', default: false }, negotiation: { type: 'string' }, kind: { type: 'string' } },
  });
  const file = positionals[0];
  if (!file || !fs.existsSync(file)) {
    printError(`import needs an existing file${file ? ` (no file '${file}')` : ''}\n\n${USAGE}`);
    return 2;
  }
  const dryRun = values['dry-run'] ?? false;
  const text = fs.readFileSync(file, 'utf8');
  return withApp(config, async (app) => {
    let report: ImportReport;
    try {
      if (file.toLowerCase().endsWith('.csv')) {
        if (!values.negotiation || (values.kind !== 'points' && values.kind !== 'stances')) {
          printError(`A CSV import needs --negotiation <id or slug> and --kind points|stances\n\n${USAGE}`);
          return 2;
        }
        const csv = app.get(CsvImportService);
        report =
          values.kind === 'points'
            ? await csv.importPoints(values.negotiation, text, dryRun, cliActor())
            : await csv.importStances(values.negotiation, text, dryRun, cliActor());
      } else {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch (err) {
          print(`${file} is not JSON: ${err instanceof Error ? err.message : String(err)}; nothing was imported`);
          return 1;
        }
        const parsed = NegotiationDump.safeParse(body);
        if (!parsed.success) {
          print(`${file} is not a valid negotiation dump; nothing was imported:`);
          for (const p of problemsOf(parsed.error, undefined, body).slice(0, 50)) print(`  ${p.field}: ${p.message}`);
          return 1;
        }
        report = await app.get(DumpImporter).import(parsed.data, dryRun, cliActor());
      }
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      print(err.message);
      for (const d of (err.details ?? []).slice(0, 50)) print(`  ${d.field}: ${d.message}`);
      return 1;
    }
    const counts = Object.entries(report.counts)
      .map(([what, c]) => `${what}: ${c.created} new, ${c.updated} changed, ${c.unchanged} unchanged`)
      .join('; ');
    print(`${dryRun ? 'Dry run (nothing written)' : report.unchanged ? 'Nothing to change' : 'Imported'} into '${report.negotiation.slug}': ${counts}`);
    for (const e of report.errors.slice(0, 50)) print(`  ${e.field}: ${e.message}`);
    return report.errors.length > 0 ? 1 : 0;
  });
}
