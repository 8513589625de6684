import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { ErrorBody, ErrorCode } from '@parley/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppError } from './app-error';

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

interface DriverError {
  code?: string;
  errno?: number;
  statusCode?: number;
  message?: string;
}

/** Database failures that are the environment's fault, not the request's: retryable, 503. */
const UNAVAILABLE_CODES = new Set([
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_READONLY',
  'SQLITE_FULL',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  '57P01', // admin_shutdown
  '53300', // too_many_connections
]);

function unwrapDriverError(err: unknown): DriverError {
  const e = err as DriverError & { driverError?: DriverError };
  return e.driverError ?? e;
}

/** The 413 message, naming the route's body limit. */
function tooLarge(request: FastifyRequest): string {
  const limit = request.routeOptions?.bodyLimit;
  const size = limit ? ` of ${limit} bytes (${(limit / 2 ** 20).toFixed(limit < 2 ** 20 ? 3 : 0)} MiB)` : '';
  return `The request body is larger than the limit${size}; nothing was changed`;
}

/** Gives every error the same body, and serves the dashboard for unknown non-API GET paths. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly dashboardDir: string) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const body = this.toBody(exception, request);

    if (body.statusCode === 404 && request.method === 'GET' && !request.url.startsWith('/api') && this.sendDashboard(reply)) {
      return;
    }
    if (body.statusCode >= 500) {
      this.logger.error({ err: exception, requestId: request.id }, `${request.method} ${request.url} failed`);
    }
    if (body.retryAfter !== undefined) void reply.header('retry-after', String(body.retryAfter));
    void reply.status(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  private toBody(exception: unknown, request: FastifyRequest): ErrorBody {
    const requestId = String(request.id);
    if (exception instanceof AppError) {
      return {
        statusCode: exception.statusCode,
        error: REASONS[exception.statusCode] ?? 'Error',
        code: exception.code,
        message: exception.message,
        ...(exception.details ? { details: exception.details } : {}),
        ...(exception.current !== undefined ? { current: exception.current } : {}),
        ...(exception.retryAfter !== undefined ? { retryAfter: exception.retryAfter } : {}),
        requestId,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message =
        status === 404
          ? `No route for ${request.method} ${request.url.split('?')[0]}`
          : status === 413
            ? tooLarge(request)
            : typeof response === 'string'
            ? response
            : String((response as { message?: unknown }).message ?? exception.message);
      return { statusCode: status, error: REASONS[status] ?? 'Error', code: CODE_BY_STATUS[status] ?? 'INTERNAL', message, requestId };
    }
    const driver = unwrapDriverError(exception);
    if (driver.code && UNAVAILABLE_CODES.has(driver.code)) {
      return {
        statusCode: 503,
        error: REASONS[503],
        code: 'UNAVAILABLE',
        message: 'The database is unavailable; nothing was changed. Try again shortly.',
        requestId,
      };
    }
    if (driver.code === 'SQLITE_CONSTRAINT' || driver.code === '23505' || driver.code === '23503') {
      return {
        statusCode: 409,
        error: REASONS[409],
        code: 'CONFLICT',
        message: 'The change conflicts with existing data; nothing was changed.',
        requestId,
      };
    }
    // Errors raised by Fastify itself (body parsing, content type, size) carry a 4xx statusCode.
    const status = driver.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const message = driver.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? tooLarge(request)
        : driver.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? 'Unsupported content type: send application/json'
          : `Invalid request: ${driver.message ?? 'malformed'}`;
      return { statusCode: status, error: REASONS[status] ?? 'Error', code: CODE_BY_STATUS[status] ?? 'VALIDATION_FAILED', message, requestId };
    }
    return { statusCode: 500, error: REASONS[500], code: 'INTERNAL', message: 'Internal error; nothing was changed.', requestId };
  }

  private sendDashboard(reply: FastifyReply): boolean {
    const index = path.join(this.dashboardDir, 'index.html');
    if (!fs.existsSync(index)) return false;
    void reply.status(200).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').send(fs.createReadStream(index));
    return true;
  }
}
