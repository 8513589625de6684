import { ApiError, toApiError } from './api';

describe('toApiError', () => {
  it("uses the Parley error body's message and code", () => {
    const body = JSON.stringify({
      statusCode: 400,
      error: 'Bad Request',
      code: 'VALIDATION_FAILED',
      message: 'query.asOf: must be an ISO 8601 date',
    });
    const err = toApiError(400, 'Bad Request', body);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toBe('query.asOf: must be an ISO 8601 date');
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.status).toBe(400);
  });

  it('falls back to the status line when the body is not JSON', () => {
    const err = toApiError(502, 'Bad Gateway', '<html>proxy error</html>');
    expect(err.message).toBe('502 Bad Gateway');
    expect(err.code).toBeNull();
  });
});
