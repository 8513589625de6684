import pino from 'pino';
import { logStream } from './log-output';

/** Log lines as pino writes them through logStream, for a terminal or not. */
function linesWritten(terminal: boolean, write: (log: pino.Logger) => void): string[] {
  const written: string[] = [];
  const log = pino({ level: 'info' }, logStream({ write: (s: string) => void written.push(s) }, terminal));
  write(log);
  return written.join('').split('\n').filter((l) => l !== '');
}

describe('logStream: readable lines in a terminal, JSON lines otherwise', () => {
  it('writes JSON lines when standard output is not a terminal (a file, a pipe, a log collector)', () => {
    const lines = linesWritten(false, (log) => log.info({ context: 'Demo' }, 'Loaded the demo'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 30, context: 'Demo', msg: 'Loaded the demo' });
  });

  it('writes one readable line per entry in a terminal: time, level, context, message', () => {
    const lines = linesWritten(true, (log) => log.info({ context: 'Demo' }, 'Loaded the demo'));
    expect(lines).toHaveLength(1);
    // eslint-disable-next-line no-control-regex
    const plain = lines[0].replace(/\u001b\[\d+m/g, '');
    expect(plain).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[Demo\] Loaded the demo$/);
    expect(() => JSON.parse(lines[0])).toThrow();
  });

  it('shows a request as method, URL, status and time, without its headers', () => {
    const lines = linesWritten(true, (log) =>
      log.info({ req: { id: 'r1', method: 'GET', url: '/api/health' }, res: { statusCode: 200, headers: { 'x-frame-options': 'DENY' } }, responseTime: 3 }, 'request completed'),
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('GET /api/health 200 3 ms');
    expect(lines[0]).not.toContain('DENY');
  });
});
