import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as net from 'node:net';
import * as path from 'node:path';
import { Client } from 'pg';

const ROOT = path.resolve(__dirname, '../../..');
const MAIN = path.join(ROOT, 'dist/api/apps/api/src/main.js');
export const PG_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
export const ADMIN = { email: 'admin@scale.local', password: 'scale-admin-password' };

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** The process ended while we waited for it to answer: no use waiting longer. */
class Exited extends Error {
  constructor(code: number | null) {
    super(`exited with code ${code}`);
  }
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (
    !(await check().catch((err: unknown) => {
      if (err instanceof Exited) throw new Error(`${what}: ${err.message}`);
      return false;
    }))
  ) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A Redis server of our own (so stopping it cannot disturb anything else on the machine). */
export class RedisProcess {
  private child: ChildProcess | null = null;
  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await waitFor(`redis on ${this.port}`, () => canConnect(this.port));
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** One built API process. */
export class ApiNode {
  private child: ChildProcess | null = null;
  output = '';
  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The process id while it runs (the fault suite reads its memory in /proc). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get alive(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process and waits until it answers its health check (a crash fails at once). */
  async start(timeoutMs = 30_000): Promise<void> {
    this.child = spawn(process.execPath, [MAIN], {
      cwd: ROOT,
      env: { ...process.env, ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    try {
      const child = this.child;
      await waitFor(`${this.name} to answer`, async () => {
        if (child.exitCode !== null || child.signalCode !== null) throw new Exited(child.exitCode);
        return (await fetch(`${this.url}/api/health`)).status === 200;
      }, timeoutMs);
    } catch (err) {
      throw new Error(`${(err as Error).message}; its output:\n${this.output}`);
    }
  }

  /** Signals the process and resolves with how it ended (the fault suite checks a clean exit). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const child = this.child;
    this.child = null;
    if (!child) return { code: null, signal: null };
    if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode };
    return new Promise((resolve) => {
      child.once('exit', (code, sig) => resolve({ code, signal: sig }));
      child.kill(signal);
    });
  }
}

/** A fresh PostgreSQL schema and the environment every node of the cluster shares. */
export async function clusterEnv(redisUrl: string): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  const schema = `t_scale_${randomBytes(5).toString('hex')}`;
  const client = new Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.end();
  return {
    env: {
      DATABASE_URL: PG_URL,
      DATABASE_SCHEMA: schema,
      REDIS_URL: redisUrl,
      JWT_SECRET: randomBytes(32).toString('hex'),
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      LOAD_DEMO: 'never',
      LOG_LEVEL: 'warn',
      LIVE_HEAD_INTERVAL_MS: '500',
      RATE_LIMIT_PER_MINUTE: '0',
    },
    drop: async () => {
      const c = new Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
}

/**
 * nginx in front of the nodes, with the configuration documented in deploy/nginx.conf (its
 * {{…}} marks filled in): a real balancer, run as a process of the test in a folder of its own.
 */
export class NginxProcess {
  private child: ChildProcess | null = null;
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-nginx-'));
  output = '';
  constructor(readonly port: number) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(upstreams: ApiNode[]): Promise<void> {
    const site = fs
      .readFileSync(path.join(ROOT, 'deploy/nginx.conf'), 'utf8')
      .replace('{{UPSTREAMS}}', upstreams.map((n) => `    server 127.0.0.1:${n.port} max_fails=1 fail_timeout=2s;`).join('\n'))
      .replace('{{LISTEN}}', `127.0.0.1:${this.port}`);
    const temp = (name: string) => path.join(this.dir, name);
    const conf = [
      // As root, nginx's workers would run as nobody, who cannot write this folder.
      ...(process.getuid?.() === 0 ? ['user root;'] : []),
      'worker_processes 1;',
      `pid ${temp('nginx.pid')};`,
      `error_log ${temp('error.log')} warn;`,
      'events { worker_connections 1024; }',
      'http {',
      '  access_log off;',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${temp(t)};`),
      site,
      '}',
    ].join('\n');
    fs.writeFileSync(temp('nginx.conf'), conf);
    this.child = spawn('nginx', ['-p', this.dir, '-c', temp('nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    const child = this.child;
    try {
      await waitFor(`nginx on ${this.port}`, async () => {
        if (child.exitCode !== null) throw new Exited(child.exitCode);
        return canConnect(this.port);
      });
    } catch (err) {
      throw new Error(`${(err as Error).message}; nginx said:\n${this.output}`);
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (child && child.exitCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGQUIT');
      });
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
