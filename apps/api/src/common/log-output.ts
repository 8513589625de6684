import type { LoggerService } from '@nestjs/common';
import pino, { type DestinationStream } from 'pino';
import { prettyFactory } from 'pino-pretty';

/**
 * Nest's own start-up lines, one per module, route and socket message (80 of them): wanted when
 * debugging the wiring, noise in front of the start-up banner otherwise.
 */
const WIRING_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'WebSocketsController']);

/** Nest's logger calls, passed on to `inner` with the wiring lines at debug level instead of info. */
export class NestLogLevels implements LoggerService {
  constructor(private readonly inner: LoggerService) {}

  log(message: unknown, ...rest: unknown[]): void {
    const context = rest.at(-1);
    if (typeof context === 'string' && WIRING_CONTEXTS.has(context)) this.debug(message, ...rest);
    else this.inner.log(message, ...rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.inner.error(message, ...rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.inner.warn(message, ...rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.inner.debug?.(message, ...rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.inner.verbose?.(message, ...rest);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    (this.inner.fatal ?? this.inner.error).call(this.inner, message, ...rest);
  }
}

type Stdout = ReturnType<typeof pino.destination>;
let stdout: Stdout | undefined;

/**
 * The process's standard output as the logs write it (asynchronous, buffered). Lines printed
 * through it (printAfterLogs) come after every log line written before them; console.log would
 * overtake log lines still in the buffer.
 */
export function stdoutLog(): Stdout {
  return (stdout ??= pino.destination({ dest: 1, sync: false }));
}

/** Plain lines on standard output after the log lines already written (the start-up banner). */
export function printAfterLogs(lines: string[]): void {
  stdoutLog().write(lines.map((line) => `${line}\n`).join(''));
}

/** A request line as a person reads it: `GET /api/health 200 3 ms`; other lines: `[Context] message`. */
function readableMessage(log: Record<string, unknown>, messageKey: string): string {
  const req = log['req'] as { method?: string; url?: string } | undefined;
  const res = log['res'] as { statusCode?: number } | undefined;
  if (req && res) return `${req.method} ${req.url} ${res.statusCode} ${String(log['responseTime'])} ms`;
  const context = typeof log['context'] === 'string' ? `[${log['context']}] ` : '';
  return `${context}${String(log[messageKey] ?? '')}`;
}

/**
 * Where pino's lines go: JSON lines to `sink` (for log collectors), or, when a person watches a
 * terminal, one readable line each. Formatted in the logging call itself, so the order of `sink`
 * stays the order of the calls (see printAfterLogs).
 */
export function logStream(sink: DestinationStream, terminal: boolean): DestinationStream {
  if (!terminal) return sink;
  const pretty = prettyFactory({ translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,context,req,res,responseTime', messageFormat: readableMessage });
  return { write: (line: string) => sink.write(pretty(line)) };
}
