import type { ArgumentsHost } from '@nestjs/common';
import { ErrorFilter, isUnavailable } from './error.filter';

describe('isUnavailable: which database failures are the environment’s (503), not the request’s', () => {
  it.each([
    [{ code: 'SQLITE_FULL' }],
    [{ code: 'SQLITE_IOERR' }],
    [{ code: 'SQLITE_READONLY' }],
    [{ code: 'SQLITE_CANTOPEN' }],
    [{ code: '57P01' }], // backend terminated
    [{ code: '08006' }], // connection failure
    [{ code: '53100' }], // disk full
    [{ code: '28000' }], // login refused
    [{ code: 'ECONNREFUSED' }],
    [{ code: 'SHUTTING_DOWN' }],
    [{ message: 'Connection terminated unexpectedly' }],
    [{ name: 'QueryRunnerAlreadyReleasedError', message: 'Query runner already released.' }],
    [{ name: 'TypeORMError', message: 'Driver not Connected' }], // PostgreSQL pool closed
  ])('%j → unavailable', (error) => {
    expect(isUnavailable(error)).toBe(true);
  });

  it.each([[{ code: 'SQLITE_CONSTRAINT' }], [{ code: '23505' }], [{ code: '22P02' }], [{ code: 'FST_ERR_CTP_BODY_TOO_LARGE' }], [{ message: 'boom' }], [{}]])(
    '%j → not unavailable',
    (error) => {
      expect(isUnavailable(error)).toBe(false);
    },
  );
});

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
