import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { EXPORT_FORMATS, type ErrorBody, type ErrorCode } from '@parley/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Duplex } from 'node:stream';
import { AppError } from '../common/app-error';
import { withoutSecrets } from '../common/redact';
import { type DbFailure, dbFailureOf, isConflict, isUnavailable } from '../database/dialect';
import { ARCHIVE_PATH, EXPORT_PATH, IMPORT_ROUTE } from '../common/routes';
import { isDashboardPage } from './served-assets';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

/** Seconds a client should wait before retrying a write the database could not take. */
const UNAVAILABLE_RETRY_AFTER = 5;

function unavailableMessage(reason: DbFailure['reason']): string {
  if (reason === 'disk-full') {
    return "The database's disk is full; nothing was changed. Reads still work; writes resume once space is freed.";
  }
  if (reason === 'read-only') {
    return 'The database is read-only; nothing was changed. Reads still work; writes resume once it is writable again.';
  }
  return 'The database is unavailable; nothing was changed. Try again shortly.';
}

/**
 * A data exception (PostgreSQL SQLSTATE class 22): the database refused a value of the request (a
 * NUL in text, a number out of range, a string too long). The request is at fault, so it is a 400;
 * validation should have caught it first, so it is also logged as a gap to close.
 */
function dataExceptionMessage({ code, reason }: DbFailure): string {
  const what =
    reason === 'bad-text'
      ? 'a text value contains a character the database cannot store (NUL) or an invalid byte sequence'
      : reason === 'too-long'
        ? 'a text value is longer than the database allows'
        : reason === 'out-of-range'
          ? 'a number is out of the range the database allows'
          : reason === 'bad-date'
            ? 'a date or time is out of the range the database allows'
            : 'a value is not one the database can store';
  return `Invalid request: ${what} (SQLSTATE ${code}); nothing was changed.`;
}

function appErrorBody(exception: AppError): ErrorBody {
  return {
    statusCode: exception.statusCode,
    error: REASONS[exception.statusCode] ?? 'Error',
    code: exception.code,
    message: exception.message,
    ...(exception.details ? { details: exception.details } : {}),
    ...(exception.current !== undefined ? { current: exception.current } : {}),
    ...(exception.retryAfter !== undefined ? { retryAfter: exception.retryAfter } : {}),
  };
}

function unavailableBody(failure: DbFailure | null): ErrorBody {
  return { statusCode: 503, error: REASONS[503], code: 'UNAVAILABLE', message: unavailableMessage(failure?.reason), retryAfter: UNAVAILABLE_RETRY_AFTER };
}

/**
 * The body of a failure outside HTTP (a live-socket acknowledgement): the same shape and codes as
 * HTTP answers. A database that cannot answer is a 503 the client retries, never a 404 or a 401.
 */
export function errorBodyOf(exception: unknown): ErrorBody {
  if (exception instanceof AppError) return appErrorBody(exception);
  const failure = dbFailureOf(exception);
  if (isUnavailable(failure)) return unavailableBody(failure);
  // A value the database refused (e.g. a NUL in a name): the input's fault, asking again changes nothing.
  if (failure?.kind === 'data') {
    return { statusCode: 400, error: REASONS[400], code: 'VALIDATION_FAILED', message: dataExceptionMessage(failure) };
  }
  return { statusCode: 500, error: REASONS[500], code: 'INTERNAL', message: 'Internal error; nothing was changed.' };
}

/** Largest request line plus headers Node.js reads (its default --max-http-header-size). */
export const MAX_HEADER_BYTES = 16 * 1024;

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (a URL or headers over
 * MAX_HEADER_BYTES, a malformed request line): answered in the one error shape too.
 */
export function clientErrorHandler(err: Error & { code?: string; rawPacket?: unknown }, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const timeout = err.code === 'ERR_HTTP_REQUEST_TIMEOUT';
  const status = tooLarge ? 431 : timeout ? 408 : 400;
  const body: ErrorBody = {
    statusCode: status,
    error: tooLarge ? 'Request Header Fields Too Large' : timeout ? 'Request Timeout' : 'Bad Request',
    code: tooLarge ? 'PAYLOAD_TOO_LARGE' : 'VALIDATION_FAILED',
    message: tooLarge
      ? `The URL and headers are larger than the limit of ${MAX_HEADER_BYTES} bytes`
      : timeout
        ? 'The request took too long to arrive'
        : 'Malformed HTTP request',
    requestId: randomUUID(),
  };
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${body.error}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}

/** Gives every error the same body, and serves the dashboard for unknown non-API GET paths. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(
    private readonly dashboardDir: string,
    private readonly bodyLimitBytes: number,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const body = this.toBody(exception, request);

    if (body.statusCode === 404 && request.method === 'GET' && isDashboardPage(request.url) && this.sendDashboard(reply)) {
      return;
    }
    if (body.statusCode >= 500) {
      // The URL as the request log shows it: a share token in the query must not reach the log here either.
      this.logger.error({ err: exception, requestId: request.id }, `${request.method} ${withoutSecrets(request.url)} failed`);
    }
    if (body.retryAfter !== undefined) void reply.header('retry-after', String(body.retryAfter));
    void reply.status(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  private toBody(exception: unknown, request: FastifyRequest): ErrorBody {
    const requestId = String(request.id);
    if (exception instanceof AppError) return { ...appErrorBody(exception), requestId };
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      if (status === 404) {
        const unknownFormat = this.unknownExportFormat(request);
        if (unknownFormat) return { ...unknownFormat, requestId };
      }
      const message =
        status === 404
          ? `No route for ${request.method} ${request.url.split('?')[0]}`
          : status === 413
            ? this.tooLarge(request)
            : typeof response === 'string'
            ? response
            : String((response as { message?: unknown }).message ?? exception.message);
      return { statusCode: status, error: REASONS[status] ?? 'Error', code: CODE_BY_STATUS[status] ?? 'INTERNAL', message, requestId };
    }
    const failure = dbFailureOf(exception);
    if (isUnavailable(failure)) return { ...unavailableBody(failure), requestId };
    if (failure?.kind === 'data') {
      this.logger.warn({ err: exception, requestId }, `${request.method} ${request.url.split('?')[0]}: the database refused a value (SQLSTATE ${failure.code}) that validation let through`);
      return { statusCode: 400, error: REASONS[400], code: 'VALIDATION_FAILED', message: dataExceptionMessage(failure), requestId };
    }
    if (isConflict(failure)) {
      return {
        statusCode: 409,
        error: REASONS[409],
        code: 'CONFLICT',
        message: 'The change conflicts with existing data; nothing was changed.',
        requestId,
      };
    }
    // Errors raised by Fastify itself (body parsing, content type, size) carry a 4xx statusCode.
    const fastify = exception as { code?: string; statusCode?: number; message?: string };
    const status = fastify.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const message = fastify.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? this.tooLarge(request)
        : fastify.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? 'Unsupported content type: send application/json'
          : `Invalid request: ${fastify.message ?? 'malformed'}`;
      return { statusCode: status, error: REASONS[status] ?? 'Error', code: CODE_BY_STATUS[status] ?? 'VALIDATION_FAILED', message, requestId };
    }
    return { statusCode: 500, error: REASONS[500], code: 'INTERNAL', message: 'Internal error; nothing was changed.', requestId };
  }

  /**
   * export.docx and the like: a route that does not exist, but a 404 would tell a client who mistyped
   * the format only that nothing is there. A 400 lists the formats there are.
   */
  private unknownExportFormat(request: FastifyRequest): ErrorBody | null {
    if (request.method !== 'GET' && request.method !== 'HEAD') return null;
    const format = EXPORT_PATH.exec(request.url.split('?')[0])?.[1];
    if (format === undefined) return null;
    const formats = EXPORT_FORMATS.join(', ');
    return {
      statusCode: 400,
      error: REASONS[400],
      code: 'VALIDATION_FAILED',
      message: `Unknown export format '${format}': the formats are ${formats} (export.${EXPORT_FORMATS[0]}, export.${EXPORT_FORMATS[1]}…)`,
      details: [{ field: 'format', message: `must be one of ${formats}` }],
    };
  }

  /** The 413 message, naming the route's limit and the setting that sets it (the import has its own). */
  private tooLarge(request: FastifyRequest): string {
    const limit = request.routeOptions?.bodyLimit ?? this.bodyLimitBytes;
    const route = request.url.split('?')[0] ?? '';
    const setting = route === IMPORT_ROUTE ? 'IMPORT_LIMIT_BYTES' : ARCHIVE_PATH.test(route) ? 'ARCHIVE_LIMIT_BYTES' : 'BODY_LIMIT_BYTES';
    return `The request body is larger than the limit of ${limit} bytes (${setting}); nothing was changed`;
  }

  private sendDashboard(reply: FastifyReply): boolean {
    const index = path.join(this.dashboardDir, 'index.html');
    if (!fs.existsSync(index)) return false;
    void reply.status(200).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').send(fs.createReadStream(index));
    return true;
  }
}
