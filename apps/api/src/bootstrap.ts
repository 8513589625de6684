import 'reflect-metadata';
import { Reflector, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { AppModule } from './app.module';
import { AppError } from './common/app-error';
import { ErrorFilter } from './common/error.filter';
import { InputInterceptor } from './common/validation';
import type { AppConfig } from './config/app-config';
import { Db } from './database/db.service';
import { DemoLoader } from './demo/demo-loader.service';
import { UKRAINE_2025 } from './demo/ukraine-2025';

/** The API speaks JSON only; other bodies are refused before they are parsed. */
function isJson(contentType: string | undefined): boolean {
  return /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i.test(contentType ?? '');
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

/** Builds the whole application (HTTP API, OpenAPI, dashboard) on an opened, migrated database. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const db = await Db.open(config.database);
  try {
    const adapter = new FastifyAdapter({ bodyLimit: config.bodyLimitBytes, genReqId: requestId, return503OnClosing: true });
    const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, db), adapter, {
      bufferLogs: true,
      abortOnError: false,
    });
    app.useLogger(app.get(Logger));
    app.setGlobalPrefix('api');
    app.useGlobalFilters(new ErrorFilter(config.dashboardDir));
    app.useGlobalInterceptors(new InputInterceptor(app.get(Reflector)));
    const fastify = app.getHttpAdapter().getInstance();
    fastify.addHook('onSend', async (request, reply) => {
      reply.header('x-request-id', request.id);
    });
    fastify.addHook('onRequest', async (request) => {
      if (request.url.startsWith('/api') && hasBody(request.headers) && !isJson(request.headers['content-type'])) {
        throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported content type: send application/json');
      }
    });

    const openApi = new DocumentBuilder()
      .setTitle('Parley API')
      .setDescription(
        'Where the parties to a negotiation stand on each point of a plan, with the full history. Every error has the same body: statusCode, error, code, message and, for validation, details naming each field.',
      )
      .setVersion('1')
      .build();
    SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, openApi), {
      jsonDocumentUrl: 'api/docs-json',
      yamlDocumentUrl: 'api/docs-yaml',
    });
    if (fs.existsSync(config.dashboardDir)) {
      // wildcard: files are looked up per request, so a rebuilt dashboard is served without a restart.
      app.useStaticAssets({ root: config.dashboardDir, prefix: '/', wildcard: true, index: ['index.html'] });
    }
    await app.init();
    return app;
  } catch (err) {
    await db.close();
    throw err;
  }
}

/** Loads the demo negotiation into an empty database. */
export async function loadDemoIfEmpty(app: NestFastifyApplication): Promise<boolean> {
  const loader = app.get(DemoLoader);
  if (!(await loader.isEmpty())) return false;
  await loader.load(UKRAINE_2025);
  return true;
}
