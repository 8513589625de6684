import { isUnavailable } from './error.filter';

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
