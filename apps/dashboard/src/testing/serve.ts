/** One canned answer of the fake API: its status and JSON body. */
export type Answer = { status: number; body: unknown };

/** A request the fake API received. */
export interface Call {
  method: string;
  url: string;
  body: unknown;
  headers: Record<string, string>;
}

/**
 * Stands in for the network under the dashboard's real API client (shared/api.ts): answers each
 * "METHOD /api/path" with the next answer given for it (a 500 for anything unexpected) and records
 * the requests, so a test checks what the dashboard sent.
 */
export function serve(answers: Record<string, Answer[]>): Call[] {
  const calls: Call[] = [];
  globalThis.fetch = jest.fn((url: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    calls.push({ method, url, body: typeof init?.body === 'string' && init.body.length > 0 ? JSON.parse(init.body) : undefined, headers: (init?.headers ?? {}) as Record<string, string> });
    const a = answers[`${method} ${url}`]?.shift() ?? { status: 500, body: { statusCode: 500, code: 'INTERNAL', message: `unexpected request ${method} ${url}` } };
    return Promise.resolve({ ok: a.status < 300, status: a.status, statusText: '', text: () => Promise.resolve(JSON.stringify(a.body)) });
  }) as unknown as typeof fetch;
  return calls;
}
