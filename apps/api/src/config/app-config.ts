import { Email } from '@parley/contracts';
import proxyAddr from '@fastify/proxy-addr';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import type { TrustProxy } from '../common/client-address';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** An origin that may frame the dashboard, as CSP frame-ancestors takes it (a leading *. for subdomains). */
const FRAME_ANCESTOR = /^https?:\/\/(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?$/;

/** The address users reach Parley at, as PUBLIC_URL gives it: links in exports start with it. */
function isPublicUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value) || /[?#]/.test(value)) return false;
  try {
    const url = new URL(value);
    return url.hostname !== '' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

const EnvSchema = z.object({
  PORT: z.coerce.number({ error: 'must be a port number' }).int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).optional(),
  DB_PATH: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  /** PostgreSQL schema to use (tests run each suite in its own schema). */
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case SQL identifier')
    .optional(),
  SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL', 'EXTRA'], { error: 'must be FULL, NORMAL or EXTRA' }).default('FULL'),
  SQLITE_WAL_AUTOCHECKPOINT: z.coerce.number({ error: 'must be a number of pages' }).int('must be a whole number of pages').min(100, 'must be at least 100 pages').default(10_000),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  LOAD_DEMO: z.enum(['auto', 'never'], { error: 'must be auto or never' }).default('auto'),
  DASHBOARD_DIR: z.string().optional(),
  SERVE_SOURCE_MAPS: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
  BODY_LIMIT_BYTES: z.coerce.number({ error: 'must be a number of bytes' }).int().min(1024).default(5 * 1024 * 1024),
  IMPORT_LIMIT_BYTES: z.coerce.number({ error: 'must be a number of bytes' }).int().min(1024).default(100 * 1024 * 1024),
  ARCHIVE_LIMIT_BYTES: z.coerce
    .number({ error: 'must be a number of bytes' })
    .int('must be a whole number of bytes')
    .min(1024, 'must be at least 1024 bytes')
    .max(256 * 1024 * 1024, 'must be at most 268435456 bytes (256 MB)')
    .default(5 * 1024 * 1024),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  VIEW_ACCESS: z.enum(['public', 'private'], { error: 'must be public or private' }).default('public'),
  /** The secret that signs session tokens, then (comma-separated) previous ones that still verify. */
  JWT_SECRET: z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim()))
    .refine((list) => list.every((s) => s.length >= 32), 'must be at least 32 characters (each secret of a comma-separated list)')
    .optional(),
  AUTH_TOKEN_TTL_SECONDS: z.coerce.number({ error: 'must be a number of seconds' }).int().min(1).max(30 * 86_400).default(8 * 3600),
  ADMIN_EMAIL: Email.optional(),
  ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional(),
  CORS_ORIGINS: z
    .string()
    .refine((v) => v.split(',').every((o) => /^https?:\/\/[^/\s]+$/.test(o.trim()) || o.trim() === '*'), 'must be a comma-separated list of origins like https://news.example.org')
    .optional(),
  FRAME_ANCESTORS: z
    .string()
    .refine((v) => v.trim() === "'none'" || v.split(',').every((o) => FRAME_ANCESTOR.test(o.trim())), "must be 'none' or a comma-separated list of origins like https://news.example.org (or https://*.example.org)")
    .default("'none'"),
  PUBLIC_URL: z
    .string()
    .refine(isPublicUrl, 'must be an absolute http(s) URL without query or fragment, like https://parley.example.org')
    .transform((v) => v.replace(/\/+$/, ''))
    .optional(),
  RATE_LIMIT_PER_MINUTE: z.coerce.number({ error: 'must be a number' }).int().min(0).default(1200),
  LOGIN_LIMIT_PER_MINUTE: z.coerce.number({ error: 'must be a number' }).int().min(1).default(10),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  LIVE_RESYNC_LIMIT: z.coerce.number({ error: 'must be a number' }).int().min(1).default(5000),
  LIVE_HEAD_INTERVAL_MS: z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(100).default(5000),
  LIVE_MAX_BUFFERED_BYTES: z.coerce.number({ error: 'must be a number of bytes' }).int().min(1024).default(4 * 1024 * 1024),
  LIVE_MAX_SOCKETS_PER_IP: z.coerce.number({ error: 'must be a number' }).int().min(1).default(2000),
  LIVE_EVENTS_PER_MINUTE: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(10, 'must be at least 10 (a client joins again after every gap and reconnect)').default(120),
  LIVE_CONNECT_TIMEOUT_MS: z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(1000, 'must be at least 1000').max(30_000, 'must be at most 30000').default(10_000),
  TRUST_PROXY: z
    .string()
    .transform((value, ctx): TrustProxy => {
      const v = value.trim();
      if (v === 'false') return false;
      if (v === 'true') return true;
      if (/^\d+$/.test(v)) return Number(v);
      const list = v.split(',').map((a) => a.trim());
      try {
        proxyAddr.compile(list); // what Fastify will do with it: refuses what it cannot read
        return list;
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `must be true, false, a number of proxy hops, or comma-separated proxy addresses/CIDRs (${(err as Error).message})` });
        return z.NEVER;
      }
    })
    .default(false),
});

/** Every variable Parley reads: the README's table and `.env.example` list each one (app-config.spec holds them to it). */
export const ENV_VARIABLES: readonly string[] = [...Object.keys(EnvSchema.shape), 'ENV_FILE'];

/**
 * Reads `ENV_FILE` (default `.env` in the working folder) into `env` before the
 * configuration is loaded, if that file exists; a variable already set in the real environment
 * wins over the file. A named `ENV_FILE` that is missing stops start-up. Returns the file read.
 */
export function loadEnvFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const named = env['ENV_FILE'];
  const file = path.resolve(named ?? '.env');
  if (!fs.existsSync(file)) {
    if (named !== undefined) throw new ConfigError([`ENV_FILE=${JSON.stringify(named)}: no such file`]);
    return undefined;
  }
  let values: Record<string, string>;
  try {
    values = parseEnv(fs.readFileSync(file, 'utf8')) as Record<string, string>;
  } catch (err) {
    throw new ConfigError([`ENV_FILE=${JSON.stringify(file)}: could not be read (${(err as Error).message})`]);
  }
  for (const [name, value] of Object.entries(values)) {
    if (env[name] === undefined) env[name] = value;
  }
  return file;
}

export type DatabaseConfig =
  | {
      driver: 'sqlite';
      path: string;
      synchronous: 'FULL' | 'NORMAL' | 'EXTRA';
      /** WAL pages before an automatic checkpoint (SQLite's own default is 1,000). */
      walAutocheckpoint?: number;
    }
  | { driver: 'postgres'; url: string; schema?: string };

export interface AuthConfig {
  viewAccess: 'public' | 'private';
  /** The signing secret, then previous ones that still verify. Absent: one generated and kept in the data folder (SQLite mode only). */
  jwtSecrets?: string[];
  tokenTtlSeconds: number;
  adminEmail?: string;
  adminPassword?: string;
  corsOrigins: string[];
  /** Origins whose pages may show Parley in an iframe (CSP frame-ancestors); empty: none may. */
  frameAncestors: string[];
  /** Requests per minute per client address over the whole API; 0 turns the limit off. */
  rateLimitPerMinute: number;
  loginLimitPerMinute: number;
}

export interface LiveConfig {
  redisUrl?: string;
  /** A client further behind than this many changes is told to reload a snapshot. */
  resyncLimit: number;
  headIntervalMs: number;
  /** A socket with more unsent data than this is a slow consumer and is disconnected. */
  maxBufferedBytes: number;
  /**
   * Live connections one client address may hold, counted from the engine.io handshake (also those
   * that never open a namespace); more are refused (a newsroom NAT can hold many screens).
   */
  maxSocketsPerIp: number;
  /** Events (joins, leaves, anything) one socket may send per minute; more are refused with RATE_LIMITED. */
  eventsPerMinute: number;
  /** A connection that has not opened the live namespace by then is closed. */
  connectTimeoutMs: number;
}

export interface AppConfig {
  port: number;
  /**
   * Peers whose X-Forwarded-For is believed (a load balancer in front): the client address used by
   * the rate limits and the live per-address socket limit. Off by default: a client could claim any
   * address.
   */
  trustProxy: TrustProxy;
  live: LiveConfig;
  dataDir: string;
  auth: AuthConfig;
  host: string;
  database: DatabaseConfig;
  logLevel: (typeof LOG_LEVELS)[number];
  loadDemo: boolean;
  dashboardDir: string;
  /**
   * Where users reach Parley (no trailing slash): exports link to the dashboard under it. Absent:
   * relative links, never the request's Host header, which any client can forge.
   */
  publicUrl: string | null;
  bodyLimitBytes: number;
  /** Body limit of the import route (a negotiation dump or a CSV file). */
  importLimitBytes: number;
  /** Largest archived copy of a source (`PUT …/sources/:sourceId/archive`: pasted text, HTML or PDF). */
  archiveLimitBytes: number;
  /** The bearer token that reads /api/metrics; absent: metrics are off. */
  metricsToken?: string;
  /** Serve the dashboard's source maps (off: they give the whole source away). */
  serveSourceMaps: boolean;
  shutdownTimeoutMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Variables holding a secret: a refusal names them but never prints their value (it would reach logs). */
const SECRET_VARIABLES = new Set(['ADMIN_PASSWORD', 'JWT_SECRET', 'METRICS_TOKEN']);
/** Variables holding a URL that may carry a password: printed with the password hidden. */
const URL_VARIABLES = new Set(['DATABASE_URL', 'REDIS_URL', 'PUBLIC_URL']);

/**
 * A URL as a refusal may print it: the password of its user information (`user:password@`, read
 * up to the last `@`, so an unencoded `/` or `#` in a password does not end it early) and a
 * `password=` query parameter replaced.
 */
function withoutPassword(url: string): string {
  let shown = url;
  const at = shown.lastIndexOf('@');
  if (at >= 0) {
    const scheme = shown.indexOf('://');
    const start = scheme >= 0 && scheme < at ? scheme + 3 : 0;
    const colon = shown.indexOf(':', start);
    if (colon >= 0 && colon < at) shown = `${shown.slice(0, colon)}:[hidden]${shown.slice(at)}`;
  }
  return shown.replace(/([?&]password=)[^&#]*/gi, '$1[hidden]');
}

/** How a refusal names a variable: with its value, unless that is a secret. */
function shownVariable(name: string, value: string | undefined): string {
  if (SECRET_VARIABLES.has(name)) return `${name} (value hidden)`;
  if (value === undefined) return name;
  return `${name}=${JSON.stringify(URL_VARIABLES.has(name) ? withoutPassword(value) : value)}`;
}

/** Reads and validates the environment once; a wrong value names the variable and stops start-up. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${shownVariable(i.path.join('.'), present[String(i.path[0])])}: ${i.message}`));
  }
  const e = parsed.data;
  if (e.DATABASE_URL && !e.JWT_SECRET) {
    // Several nodes share one database; they must sign sessions with the same secret.
    throw new ConfigError(['JWT_SECRET: must be set when DATABASE_URL is set (every node needs the same secret)']);
  }
  if ((e.ADMIN_EMAIL === undefined) !== (e.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError(['ADMIN_EMAIL and ADMIN_PASSWORD: set both or neither']);
  }
  // Secrets and the first admin's password live beside the database unless DATA_DIR says otherwise.
  const dataDir = path.resolve(e.DATA_DIR ?? (e.DB_PATH ? path.dirname(e.DB_PATH) : './data'));
  const database: DatabaseConfig = e.DATABASE_URL
    ? { driver: 'postgres', url: e.DATABASE_URL, schema: e.DATABASE_SCHEMA }
    : { driver: 'sqlite', path: path.resolve(e.DB_PATH ?? path.join(dataDir, 'parley.sqlite')), synchronous: e.SQLITE_SYNCHRONOUS, walAutocheckpoint: e.SQLITE_WAL_AUTOCHECKPOINT };
  return {
    port: e.PORT,
    trustProxy: e.TRUST_PROXY,
    live: {
      redisUrl: e.REDIS_URL,
      resyncLimit: e.LIVE_RESYNC_LIMIT,
      headIntervalMs: e.LIVE_HEAD_INTERVAL_MS,
      maxBufferedBytes: e.LIVE_MAX_BUFFERED_BYTES,
      maxSocketsPerIp: e.LIVE_MAX_SOCKETS_PER_IP,
      eventsPerMinute: e.LIVE_EVENTS_PER_MINUTE,
      connectTimeoutMs: e.LIVE_CONNECT_TIMEOUT_MS,
    },
    dataDir,
    auth: {
      viewAccess: e.VIEW_ACCESS,
      jwtSecrets: e.JWT_SECRET,
      tokenTtlSeconds: e.AUTH_TOKEN_TTL_SECONDS,
      adminEmail: e.ADMIN_EMAIL?.toLowerCase(),
      adminPassword: e.ADMIN_PASSWORD,
      corsOrigins: e.CORS_ORIGINS ? e.CORS_ORIGINS.split(',').map((o) => o.trim()) : [],
      frameAncestors: e.FRAME_ANCESTORS.trim() === "'none'" ? [] : e.FRAME_ANCESTORS.split(',').map((o) => o.trim()),
      rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
      loginLimitPerMinute: e.LOGIN_LIMIT_PER_MINUTE,
    },
    host: e.HOST,
    database,
    logLevel: e.LOG_LEVEL,
    loadDemo: e.LOAD_DEMO === 'auto',
    dashboardDir: path.resolve(e.DASHBOARD_DIR ?? 'dist/dashboard'),
    publicUrl: e.PUBLIC_URL ?? null,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    importLimitBytes: e.IMPORT_LIMIT_BYTES,
    archiveLimitBytes: e.ARCHIVE_LIMIT_BYTES,
    metricsToken: e.METRICS_TOKEN,
    serveSourceMaps: e.SERVE_SOURCE_MAPS === 'true',
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
