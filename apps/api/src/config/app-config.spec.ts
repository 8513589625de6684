import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, ENV_VARIABLES, loadConfig, loadEnvFile } from './app-config';

describe('loadConfig', () => {
  it('defaults to the embedded SQLite mode on port 3000', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.database).toMatchObject({ driver: 'sqlite', synchronous: 'FULL' });
    expect(config.database.driver === 'sqlite' && config.database.path.endsWith('data/parley.sqlite')).toBe(true);
  });

  it('checkpoints the SQLite WAL every 10,000 pages unless SQLITE_WAL_AUTOCHECKPOINT says otherwise', () => {
    expect(loadConfig({}).database).toMatchObject({ walAutocheckpoint: 10_000 });
    expect(loadConfig({ SQLITE_WAL_AUTOCHECKPOINT: '2000' }).database).toMatchObject({ walAutocheckpoint: 2000 });
    expect(() => loadConfig({ SQLITE_WAL_AUTOCHECKPOINT: '10' })).toThrow('SQLITE_WAL_AUTOCHECKPOINT="10": must be at least 100 pages');
    expect(() => loadConfig({ SQLITE_WAL_AUTOCHECKPOINT: 'lots' })).toThrow('SQLITE_WAL_AUTOCHECKPOINT="lots"');
  });

  it('bounds an archived copy of a source by ARCHIVE_LIMIT_BYTES (5 MiB by default) and stops on a wrong value naming it', () => {
    expect(loadConfig({}).archiveLimitBytes).toBe(5 * 1024 * 1024);
    expect(loadConfig({ ARCHIVE_LIMIT_BYTES: '20971520' }).archiveLimitBytes).toBe(20 * 1024 * 1024);
    expect(() => loadConfig({ ARCHIVE_LIMIT_BYTES: '100' })).toThrow('ARCHIVE_LIMIT_BYTES="100": must be at least 1024 bytes');
    expect(() => loadConfig({ ARCHIVE_LIMIT_BYTES: '1e12' })).toThrow('ARCHIVE_LIMIT_BYTES="1e12": must be at most 268435456 bytes (256 MB)');
    expect(() => loadConfig({ ARCHIVE_LIMIT_BYTES: 'big' })).toThrow('ARCHIVE_LIMIT_BYTES="big": must be a number of bytes');
    expect(() => loadConfig({ ARCHIVE_LIMIT_BYTES: '2048.5' })).toThrow('ARCHIVE_LIMIT_BYTES="2048.5": must be a whole number of bytes');
  });

  it('bounds what one live socket may send and how long a connection may go without opening the namespace', () => {
    expect(loadConfig({}).live).toMatchObject({ eventsPerMinute: 120, connectTimeoutMs: 10_000 });
    expect(loadConfig({ LIVE_EVENTS_PER_MINUTE: '600', LIVE_CONNECT_TIMEOUT_MS: '2000' }).live).toMatchObject({ eventsPerMinute: 600, connectTimeoutMs: 2_000 });
    expect(() => loadConfig({ LIVE_EVENTS_PER_MINUTE: '5' })).toThrow('LIVE_EVENTS_PER_MINUTE="5": must be at least 10');
    expect(() => loadConfig({ LIVE_EVENTS_PER_MINUTE: 'many' })).toThrow('LIVE_EVENTS_PER_MINUTE="many": must be a number');
    expect(() => loadConfig({ LIVE_CONNECT_TIMEOUT_MS: '100' })).toThrow('LIVE_CONNECT_TIMEOUT_MS="100": must be at least 1000');
    expect(() => loadConfig({ LIVE_CONNECT_TIMEOUT_MS: '60000' })).toThrow('LIVE_CONNECT_TIMEOUT_MS="60000": must be at most 30000');
  });

  it('switches to PostgreSQL when DATABASE_URL is set', () => {
    const secret = 's'.repeat(32);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h:5432/db', JWT_SECRET: secret }).database).toEqual({ driver: 'postgres', url: 'postgres://u@h:5432/db', schema: undefined });
  });

  it('needs a shared JWT_SECRET when several nodes share PostgreSQL', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u@h:5432/db' })).toThrow('JWT_SECRET: must be set when DATABASE_URL is set');
  });

  it('keeps secrets beside the database unless DATA_DIR is set', () => {
    expect(loadConfig({ DB_PATH: '/srv/parley/db.sqlite' }).dataDir).toBe('/srv/parley');
    expect(loadConfig({ DB_PATH: '/srv/parley/db.sqlite', DATA_DIR: '/var/lib/parley' }).dataDir).toBe('/var/lib/parley');
  });

  it('takes PUBLIC_URL as an absolute http(s) URL without query or fragment, and stops on anything else naming it', () => {
    expect(loadConfig({}).publicUrl).toBeNull();
    expect(loadConfig({ PUBLIC_URL: 'https://parley.example.org' }).publicUrl).toBe('https://parley.example.org');
    expect(loadConfig({ PUBLIC_URL: 'http://10.0.0.5:3000/parley/' }).publicUrl).toBe('http://10.0.0.5:3000/parley');
    for (const wrong of ['parley.example.org', '/parley', 'ftp://parley.example.org', 'https://parley.example.org/?x=1', 'https://parley.example.org/#top', 'https://', 'javascript:alert(1)']) {
      expect(() => loadConfig({ PUBLIC_URL: wrong })).toThrow(`PUBLIC_URL=${JSON.stringify(wrong)}: must be an absolute http(s) URL without query or fragment`);
    }
    // A password in it is refused, and not printed.
    expect(() => loadConfig({ PUBLIC_URL: 'https://me:pw-secret@parley.example.org' })).toThrow('PUBLIC_URL="https://me:[hidden]@parley.example.org": must be');
  });

  it('names every wrong variable and its value', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('PORT="eighty"');
    expect(message).toContain('DATABASE_URL="mysql://x": must start with postgres://');
    expect(message).toContain('LOG_LEVEL="loud"');
  });

  it('names a wrong secret variable but never prints its value, nor the password in a database or Redis URL', () => {
    let error: unknown;
    try {
      loadConfig({
        ADMIN_EMAIL: 'root@example.org',
        ADMIN_PASSWORD: 'secret123',
        JWT_SECRET: 'too-short-jwt-key',
        DATABASE_URL: 'mysql://parley:db-pass/w0rd@db.internal:3306/parley',
        REDIS_URL: 'http://cache:redis-pass-1@cache.internal:6379?password=redis-pass-2',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('ADMIN_PASSWORD (value hidden): must be at least 10 characters');
    expect(message).toContain('JWT_SECRET (value hidden): must be at least 32 characters');
    expect(message).toContain('DATABASE_URL="mysql://parley:[hidden]@db.internal:3306/parley": must start with postgres://');
    expect(message).toContain('REDIS_URL="http://cache:[hidden]@cache.internal:6379?password=[hidden]": must start with redis://');
    for (const secret of ['secret123', 'too-short-jwt-key', 'db-pass', 'w0rd', 'redis-pass']) expect(message).not.toContain(secret);
  });

  it('lets no site frame the dashboard unless FRAME_ANCESTORS lists origins, and refuses anything else', () => {
    expect(loadConfig({}).auth.frameAncestors).toEqual([]);
    expect(loadConfig({ FRAME_ANCESTORS: "'none'" }).auth.frameAncestors).toEqual([]);
    expect(loadConfig({ FRAME_ANCESTORS: 'https://news.example.org, https://*.example.com:8443' }).auth.frameAncestors).toEqual([
      'https://news.example.org',
      'https://*.example.com:8443',
    ]);
    for (const bad of ['*', "'self' https://a.example", 'news.example.org', 'https://news.example.org/embed', "javascript:alert(1)"]) {
      expect(() => loadConfig({ FRAME_ANCESTORS: bad })).toThrow('FRAME_ANCESTORS=');
    }
  });

  it('takes ADMIN_EMAIL with the same email rule as the API (any dot-separated domain)', () => {
    expect(loadConfig({ ADMIN_EMAIL: 'Root@Y.Z', ADMIN_PASSWORD: 'long-enough-1' }).auth.adminEmail).toBe('root@y.z');
    expect(() => loadConfig({ ADMIN_EMAIL: 'root@localhost', ADMIN_PASSWORD: 'long-enough-1' })).toThrow('ADMIN_EMAIL=');
  });

  it('reads TRUST_PROXY as Fastify’s trustProxy: off by default, true/false, a hop count, or addresses and CIDRs', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.7,loopback, fd00::/8' }).trustProxy).toEqual(['10.0.0.0/8', '192.168.1.7', 'loopback', 'fd00::/8']);
    for (const wrong of ['yes', '10.0.0.0/33', '10.0.0.300', 'lb.internal']) {
      expect(() => loadConfig({ TRUST_PROXY: wrong })).toThrow(`TRUST_PROXY="${wrong}": must be true, false, a number of proxy hops, or comma-separated proxy addresses/CIDRs`);
    }
  });
});

describe('JWT_SECRET', () => {
  it('takes the signing secret and, comma-separated, previous ones that still verify; each at least 32 characters', () => {
    const a = 'a'.repeat(32);
    const b = 'b'.repeat(40);
    expect(loadConfig({ JWT_SECRET: a }).auth.jwtSecrets).toEqual([a]);
    expect(loadConfig({ JWT_SECRET: `${a}, ${b}` }).auth.jwtSecrets).toEqual([a, b]);
    expect(loadConfig({}).auth.jwtSecrets).toBeUndefined();
    expect(() => loadConfig({ JWT_SECRET: `${a},short` })).toThrow('JWT_SECRET (value hidden): must be at least 32 characters (each secret of a comma-separated list)');
  });
});

describe('the documented variables', () => {
  const root = path.resolve(__dirname, '../../../..');
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const example = fs.readFileSync(path.join(root, '.env.example'), 'utf8');
  /** The names in the README's configuration table (a row may name two: `PORT` / `HOST`). */
  const tableNames = readme
    .split('\n')
    .filter((line) => /^\| `[A-Z_]+`/.test(line))
    .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([A-Z_]+)`/g)].map((m) => m[1] ?? ''));
  const exampleNames = [...example.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1] ?? '');

  it('lists every variable Parley reads in the README table, and only those', () => {
    expect([...tableNames].sort()).toEqual([...ENV_VARIABLES].sort());
  });

  it('gives every variable but ENV_FILE a line in .env.example, after a line saying what it means and its default', () => {
    expect([...new Set(exampleNames)].sort()).toEqual(ENV_VARIABLES.filter((n) => n !== 'ENV_FILE').sort());
    const lines = example.split('\n');
    const unexplained = exampleNames.filter((name) => {
      const at = lines.findIndex((l) => l.startsWith(`# ${name}=`));
      return !new RegExp(`^#   ${name}: .+ \\(default: .+\\)$`).test(lines[at - 1] ?? '');
    });
    expect(unexplained).toEqual([]);
  });
});

describe('loadEnvFile', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-env-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads ENV_FILE into the environment, the real environment winning', () => {
    const file = path.join(dir, 'test.env');
    fs.writeFileSync(file, 'PARLEY_TEST_FROM_FILE=file\nPARLEY_TEST_BOTH=file\n');
    const env: NodeJS.ProcessEnv = { ENV_FILE: file, PARLEY_TEST_BOTH: 'environment' };
    expect(loadEnvFile(env)).toBe(file);
    expect(env['PARLEY_TEST_FROM_FILE']).toBe('file');
    expect(env['PARLEY_TEST_BOTH']).toBe('environment');
  });

  it('stops on a named ENV_FILE that is missing, and reads nothing when there is no .env', () => {
    expect(() => loadEnvFile({ ENV_FILE: path.join(dir, 'missing.env') })).toThrow(ConfigError);
    expect(() => loadEnvFile({ ENV_FILE: path.join(dir, 'missing.env') })).toThrow('ENV_FILE=');
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(loadEnvFile({})).toBeUndefined();
    } finally {
      process.chdir(cwd);
    }
  });
});
