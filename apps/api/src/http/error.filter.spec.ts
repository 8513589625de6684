import type { ArgumentsHost } from '@nestjs/common';
import { ErrorFilter } from './error.filter';

describe('ErrorFilter: PostgreSQL data exceptions (SQLSTATE class 22) are the request’s fault', () => {
  function answer(exception: unknown): { status?: number; body?: Record<string, unknown> } {
    const sent: { status?: number; body?: Record<string, unknown> } = {};
    const reply = {
      status: (code: number) => ((sent.status = code), reply),
      header: () => reply,
      send: (body: Record<string, unknown>) => ((sent.body = body), reply),
    };
    const request = { id: 'r1', method: 'PATCH', url: '/api/negotiations/x/parties/y' };
    const host = { switchToHttp: () => ({ getResponse: () => reply, getRequest: () => request }) } as unknown as ArgumentsHost;
    new ErrorFilter('/nonexistent', 1000).catch(exception, host);
    return sent;
  }

  it.each([
    ['22021', 'cannot store (NUL)'],
    ['22001', 'longer than the database allows'],
    ['22003', 'number is out of the range'],
    ['22008', 'date or time is out of the range'],
    ['22P02', 'not one the database can store'],
  ])('%s → 400 VALIDATION_FAILED saying why', (code, says) => {
    const { status, body } = answer(Object.assign(new Error('query failed'), { driverError: { code } }));
    expect(status).toBe(400);
    expect(body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', requestId: 'r1' });
    expect(body?.['message']).toContain(says);
    expect(body?.['message']).toContain(`SQLSTATE ${code}`);
  });

  it.each([['23505', 409], ['57P01', 503], ['42P01', 500]])('%s is not a data exception (→ %i)', (code, status) => {
    expect(answer(Object.assign(new Error('query failed'), { driverError: { code } })).status).toBe(status);
  });
});
