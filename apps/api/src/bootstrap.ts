import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import helmet from 'helmet';
import { AppModule } from './app.module';
import type { InitialAdmin } from './auth/initial-admin';
import { AppError } from './common/app-error';
import { NestLogLevels } from './common/log-output';
import { ARCHIVE_PATH, ARCHIVE_ROUTE, IMPORT_ROUTE } from './common/routes';
import { ErrorFilter, MAX_HEADER_BYTES, clientErrorHandler } from './http/error.filter';
import { parseJsonBody } from './common/json-body';
import { Metrics } from './common/metrics';
import { Readiness } from './common/readiness';
import { LiveIoAdapter } from './live/live-io.adapter';
import { recordHttpDurations } from './metrics/http-metrics';
import { COMPRESSION, dashboardAssets } from './http/served-assets';
import fastifyCompress from '@fastify/compress';
import type { AppConfig } from './config/app-config';
import { Db } from './database/db.service';
import { ENTITIES } from './entities';
import { DemoLoader } from './demo/demo-loader.service';
import { UKRAINE_2025 } from './demo/ukraine-2025';
import { UsersService } from './users/users.service';

/** The API speaks JSON only; other bodies are refused before they are parsed. */
function isJson(contentType: string | undefined): boolean {
  return /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i.test(contentType ?? '');
}

function isCsv(contentType: string | undefined): boolean {
  return /^text\/csv\s*(;|$)/i.test(contentType ?? '');
}

/** What an archived copy of a source is sent as (`PUT …/sources/:sourceId/archive` only). */
function isArchiveType(contentType: string | undefined): boolean {
  return /^(text\/plain|text\/html|application\/pdf)\s*(;|$)/i.test(contentType ?? '');
}

function hasBody(headers: IncomingMessage['headers']): boolean {
  return (headers['content-length'] !== undefined && headers['content-length'] !== '0') || headers['transfer-encoding'] !== undefined;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** A client's X-Request-Id is kept when it is sane, so logs can be joined across services. */
function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  // pino-http picks up req.id, so the log line and the error body carry the same id.
  (req as IncomingMessage & { id?: string }).id = id;
  return id;
}

export interface RouteInfo {
  method: string;
  url: string;
}

const ROUTES = new WeakMap<NestFastifyApplication, RouteInfo[]>();

const DRAIN = new WeakMap<NestFastifyApplication, () => void>();

const INITIAL_ADMIN = new WeakMap<NestFastifyApplication, InitialAdmin>();

/** The first admin as this start found or created it, for the start-up banner. */
export function initialAdmin(app: NestFastifyApplication): InitialAdmin {
  return INITIAL_ADMIN.get(app) ?? { created: null, passwordFile: null };
}

/**
 * First step of a graceful stop, before app.close(). socket.io closes the shared HTTP server first
 * and waits for every connection to end, while keep-alive clients under load would keep theirs busy
 * for ever. From now on each answer closes its connection: in-flight requests finish and are
 * answered, and their clients reconnect elsewhere.
 */
export function beginShutdown(app: NestFastifyApplication): void {
  app.get(Readiness).beginShutdown();
  DRAIN.get(app)?.();
}

/** Every route the HTTP router holds (as Fastify registered them), for the access-rule test. */
export function registeredRoutes(app: NestFastifyApplication): RouteInfo[] {
  return ROUTES.get(app) ?? [];
}

export interface AppOptions {
  /** Where logs go (default stdout); tests capture them to check that no secret is logged. */
  logDestination?: NodeJS.WritableStream;
}

/** Most bytes of a refused upload read and dropped so that its client gets the 413 (see lingerOverLimit). */
const LINGER_MAX_BYTES = 64 * 2 ** 20;
const LINGER_MAX_MS = 10_000;

/**
 * A request whose Content-Length is over its route's body limit is refused (413) before its body is
 * read, and the connection is closed. Closing a socket with unread data makes the kernel send a
 * reset, which can reach the client before it has read the 413: it sees a broken connection, not
 * the answer (seen on a VM: every time). So the body of such a request is read and dropped first —
 * up to LINGER_MAX_BYTES and LINGER_MAX_MS, as a web server's lingering close does — and the 413
 * follows on a connection that closes cleanly. Larger or slower uploads are refused at once.
 */
function lingerOverLimit(defaultLimit: number) {
  return (request: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void): void => {
    const length = Number(request.headers['content-length']);
    const limit = request.routeOptions.bodyLimit ?? defaultLimit;
    if (!(length > limit) || length > LINGER_MAX_BYTES) return done();
    const raw = request.raw;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      raw.removeListener('data', drop);
      raw.removeListener('end', finish);
      raw.removeListener('error', finish);
      done();
    };
    const drop = () => undefined;
    const timer = setTimeout(finish, LINGER_MAX_MS);
    raw.on('data', drop);
    raw.once('end', finish);
    raw.once('error', finish);
  };
}

/** Builds the whole application (HTTP API, OpenAPI, dashboard) on an opened, migrated database. */
export async function createApp(config: AppConfig, options: AppOptions = {}): Promise<NestFastifyApplication> {
  const db = await Db.open(config.database, ENTITIES);
  try {
    const adapter = new FastifyAdapter({
      bodyLimit: config.bodyLimitBytes,
      // request.ip (rate limits) from X-Forwarded-For only when the peer is a trusted proxy.
      trustProxy: config.trustProxy,
      genReqId: requestId,
      return503OnClosing: true,
      // Node's parser refusals and over-long path parameters would otherwise get Fastify's own
      // body (414 for a parameter over 100 characters); let them reach the routes and the one shape.
      clientErrorHandler,
      routerOptions: { maxParamLength: MAX_HEADER_BYTES },
    });
    const routes: RouteInfo[] = [];
    adapter.getInstance().addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) routes.push({ method, url: route.url });
      // A negotiation dump or CSV file is larger than any other request: its own limit.
      if (route.url === IMPORT_ROUTE) route.bodyLimit = config.importLimitBytes;
      // An archived copy of a source (a PDF, a page) has its own limit too.
      if (route.url === ARCHIVE_ROUTE) route.bodyLimit = config.archiveLimitBytes;
    });
    adapter.getInstance().addHook('onRequest', lingerOverLimit(config.bodyLimitBytes));
    // CSV is read as text on the import route only (the hook below refuses it elsewhere).
    adapter.getInstance().addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: config.importLimitBytes }, (_req, body, done) => done(null, body));
    // An archived copy is kept as the bytes sent (the hook below refuses these types elsewhere).
    adapter.getInstance().addContentTypeParser(['text/plain', 'text/html', 'application/pdf'], { parseAs: 'buffer', bodyLimit: config.archiveLimitBytes }, (_req, body, done) => done(null, body));
    // Our JSON parser instead of Nest's (bodyParser: false): it names a refused __proto__ key.
    adapter.getInstance().addContentTypeParser('application/json', { parseAs: 'string' }, parseJsonBody);
    const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, db, options.logDestination), adapter, {
      bufferLogs: true,
      bodyParser: false,
      abortOnError: false,
    });
    app.useLogger(new NestLogLevels(app.get(Logger)));
    app.useWebSocketAdapter(new LiveIoAdapter(app, config.live.redisUrl));
    app.setGlobalPrefix('api');
    app.useGlobalFilters(new ErrorFilter(config.dashboardDir, config.bodyLimitBytes));
    // helmet's middleware built once. @fastify/helmet rebuilt it, re-parsing the CSP directives, on
    // every request: 8 % of a write's CPU (profile of the write bench, 32 clients).
    const securityHeaders = helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          fontSrc: ["'self'", 'data:'],
          objectSrc: ["'none'"],
          // FRAME_ANCESTORS names the sites that may embed the dashboard (a newsroom page); none by default.
          frameAncestors: config.auth.frameAncestors.length > 0 ? config.auth.frameAncestors : ["'none'"],
          // On a plain-HTTP LAN address this would make browsers fetch scripts over https: blank page.
          upgradeInsecureRequests: null,
        },
      },
      crossOriginOpenerPolicy: false,
      originAgentCluster: false,
      // X-Frame-Options cannot name other sites; with embedders allowed, frame-ancestors alone decides.
      frameguard: config.auth.frameAncestors.length > 0 ? false : { action: 'deny' },
    });
    adapter.getInstance().addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (err) => done(err as Error | undefined)));
    // CORS stays closed (same origin only) unless CORS_ORIGINS names who may call the API.
    if (config.auth.corsOrigins.length > 0) {
      app.enableCors({
        origin: config.auth.corsOrigins.includes('*') ? true : config.auth.corsOrigins,
        methods: ['GET', 'POST', 'PATCH', 'DELETE'],
        allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
        exposedHeaders: ['X-Request-Id', 'Retry-After', 'Idempotent-Replayed'],
        maxAge: 600,
      });
    }
    const fastify = app.getHttpAdapter().getInstance();
    // Before any route is added (Nest adds them at init), so every answer passes through it.
    await app.register(fastifyCompress, COMPRESSION);
    recordHttpDurations(fastify, app.get(Metrics));
    let draining = false;
    fastify.addHook('onSend', async (request, reply) => {
      reply.header('x-request-id', request.id);
      // While stopping, every answer ends its keep-alive connection (see beginShutdown).
      if (draining) reply.header('connection', 'close');
    });
    DRAIN.set(app, () => {
      draining = true;
      app.getHttpServer().closeIdleConnections();
    });
    fastify.addHook('onRequest', async (request) => {
      if (request.url.startsWith('/api') && hasBody(request.headers) && !isJson(request.headers['content-type'])) {
        const csvImport = isCsv(request.headers['content-type']) && request.url.split('?')[0] === IMPORT_ROUTE;
        const archive = ARCHIVE_PATH.test(request.url.split('?')[0] ?? '');
        if (archive && request.method === 'PUT' && !isArchiveType(request.headers['content-type'])) {
          throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported content type: send an archived copy as text/plain (UTF-8), text/html or application/pdf; nothing was changed');
        }
        if (!csvImport && !(archive && request.method === 'PUT')) {
          throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', request.url.split('?')[0] === IMPORT_ROUTE ? 'Unsupported content type: send a negotiation dump as application/json or rows as text/csv' : 'Unsupported content type: send application/json');
        }
      }
    });

    const openApi = new DocumentBuilder()
      .setTitle('Parley API')
      .setDescription(
        'Where the parties to a negotiation stand on each point of a plan, with the full history. Every error has the same body: statusCode, error, code, message and, for validation, details naming each field.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A session token from POST /api/auth/login, an API token (plt_…) or a share link (pls_…)' })
      .build();
    SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, openApi), {
      jsonDocumentUrl: 'api/docs-json',
      yamlDocumentUrl: 'api/docs-yaml',
    });
    if (fs.existsSync(config.dashboardDir)) app.useStaticAssets(dashboardAssets(config.dashboardDir, config.serveSourceMaps));
    await app.init();
    ROUTES.set(app, routes);
    INITIAL_ADMIN.set(app, await app.get(UsersService).ensureInitialAdmin());
    return app;
  } catch (err) {
    await db.close();
    throw err;
  }
}

/**
 * Loads the demo negotiation into an empty database (`starting` is told just before it writes);
 * once, also when several nodes start together.
 */
export async function loadDemoIfEmpty(app: NestFastifyApplication, starting?: () => void): Promise<boolean> {
  return app.get(DemoLoader).loadIfEmpty(UKRAINE_2025, starting);
}
