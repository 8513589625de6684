import { dbFailureOf, isConflict, isRefusedData, isStorageFailure, isUnavailable, isUniqueViolation } from './dialect';

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
    expect(isUnavailable(dbFailureOf(error))).toBe(true);
  });

  it.each([[{ code: 'SQLITE_CONSTRAINT' }], [{ code: '23505' }], [{ code: '22P02' }], [{ code: 'FST_ERR_CTP_BODY_TOO_LARGE' }], [{ message: 'boom' }], [{}]])(
    '%j → not unavailable',
    (error) => {
      expect(isUnavailable(dbFailureOf(error))).toBe(false);
    },
  );
});

/**
 * One classification for every caller: each column is what one caller did with its own code set
 * before they were merged (the HTTP filter's 503 and 409, the group commit's storage failures,
 * the batched stance writes' "refused for its data", the user creation's unique email).
 */
describe('dbFailureOf: what each driver code means to each caller', () => {
  const wrapped = (code: string) => Object.assign(new Error('query failed'), { driverError: { code }, code });
  it.each([
    // code, 503, 409, storage, refused for its data, unique
    ['SQLITE_BUSY', true, false, true, false, false],
    ['SQLITE_LOCKED', true, false, false, false, false],
    ['SQLITE_READONLY', true, false, true, false, false],
    ['SQLITE_FULL', true, false, true, false, false],
    ['SQLITE_IOERR', true, false, true, false, false],
    ['SQLITE_CANTOPEN', true, false, true, false, false],
    ['SQLITE_NOMEM', true, false, true, false, false],
    ['SQLITE_PROTOCOL', true, false, true, false, false],
    ['SQLITE_CORRUPT', false, false, true, false, false],
    ['SQLITE_CONSTRAINT', false, true, false, true, true],
    ['SQLITE_CONSTRAINT_CHECK', false, false, false, true, false],
    ['SQLITE_MISMATCH', false, false, false, false, false],
    ['ECONNREFUSED', true, false, false, false, false],
    ['ECONNRESET', true, false, false, false, false],
    ['ETIMEDOUT', true, false, false, false, false],
    ['EPIPE', true, false, false, false, false],
    ['EHOSTUNREACH', true, false, false, false, false],
    ['SHUTTING_DOWN', true, false, false, false, false],
    ['08006', true, false, false, false, false],
    ['53100', true, false, false, false, false],
    ['57P01', true, false, false, false, false],
    ['28P01', true, false, false, false, false],
    ['22021', false, false, false, true, false],
    ['22P02', false, false, false, true, false],
    ['23505', false, true, false, true, true],
    ['23503', false, true, false, true, false],
    ['23502', false, false, false, true, false],
    ['23514', false, false, false, true, false],
    ['42P01', false, false, false, false, false],
    ['40001', false, false, false, false, false],
  ])('%s: 503 %s, 409 %s, storage %s, refused for its data %s, unique %s', (code, unavailable, conflict, storage, refused, unique) => {
    for (const error of [wrapped(code), { code }]) {
      const failure = dbFailureOf(error);
      expect([isUnavailable(failure), isConflict(failure), isStorageFailure(error), isRefusedData(error), isUniqueViolation(error)]).toEqual([
        unavailable,
        conflict,
        storage,
        refused,
        unique,
      ]);
    }
  });

  it('tells a full disk and a read-only database apart, and a non-database error is none', () => {
    expect(dbFailureOf({ code: 'SQLITE_FULL' })).toEqual({ kind: 'storage', code: 'SQLITE_FULL', reason: 'disk-full' });
    expect(dbFailureOf({ code: '53100' })).toEqual({ kind: 'unavailable', code: '53100', reason: 'disk-full' });
    expect(dbFailureOf({ code: 'SQLITE_READONLY' })).toEqual({ kind: 'storage', code: 'SQLITE_READONLY', reason: 'read-only' });
    expect(dbFailureOf(new Error('boom'))).toBeNull();
    expect(dbFailureOf({ code: 'toString' })).toBeNull();
  });
});
