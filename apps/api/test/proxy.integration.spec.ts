import type { ErrorBody, LiveConnectError } from '@parley/contracts';
import { LiveClient } from '@parley/live-client';
import { startApp, type TestApp } from './harness';

/**
 * Behind a load balancer every client arrives from the balancer's address: the per-address limits
 * (HTTP rate limit, live sockets per address) must count the forwarded address, and only when the
 * peer is a proxy that TRUST_PROXY names (otherwise any client could claim any address).
 */
async function until(what: string, predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Answer {
  status: number;
  retryAfter: string | null;
  body: ErrorBody | unknown;
}

/** Two reads for each of three clients, forwarded by the proxy: the answers. */
async function readsFromThreeClients(t: TestApp): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (const client of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) {
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${t.url}/api/negotiations`, { headers: { 'x-forwarded-for': client } });
      answers.push({ status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() });
    }
  }
  return answers;
}

/**
 * With one socket allowed per address: a viewer forwarded for `first` holds one, then a viewer
 * forwarded for `second` connects. Resolves with what the second got: live, or the refusal code.
 */
async function secondViewer(t: TestApp, negotiationId: string, first: string, second: string): Promise<string> {
  const watch = (forwardedFor: string) => {
    const client = new LiveClient({ url: t.url, negotiationId, sinceSeq: 0, socket: { extraHeaders: { 'x-forwarded-for': forwardedFor } } });
    const errors: (ErrorBody | LiveConnectError)[] = [];
    client.on('error', (e) => errors.push(e));
    client.start();
    return { client, errors };
  };
  const a = watch(first);
  try {
    await until('the first viewer live', () => a.client.state === 'live');
    const b = watch(second);
    try {
      await until('the second viewer live or refused', () => b.client.state === 'live' || b.errors.length > 0);
      return b.client.state === 'live' ? 'live' : b.errors[0].code;
    } finally {
      await b.client.close();
    }
  } finally {
    await a.client.close();
  }
}

describe.each([
  { TRUST_PROXY: undefined, trusted: false, why: 'unset (the default): X-Forwarded-For is ignored' },
  { TRUST_PROXY: '10.0.0.0/8', trusted: false, why: 'naming other proxies: this peer (127.0.0.1) is not one of them' },
  { TRUST_PROXY: '127.0.0.1', trusted: true, why: 'naming this peer: its X-Forwarded-For is the client' },
  { TRUST_PROXY: '1', trusted: true, why: 'one hop: the nearest peer is the proxy' },
])('TRUST_PROXY $why', ({ TRUST_PROXY, trusted }) => {
  let t: TestApp;
  let negotiationId: string;
  beforeAll(async () => {
    t = await startApp({ RATE_LIMIT_PER_MINUTE: '3', LIVE_MAX_SOCKETS_PER_IP: '1', ...(TRUST_PROXY ? { TRUST_PROXY } : {}) });
    negotiationId = (await t.post('/api/negotiations', { title: 'Behind a proxy' })).body.id;
  });
  afterAll(() => t.close());

  it(trusted ? 'counts each forwarded client on its own' : 'counts every request as the peer’s', async () => {
    const answers = await readsFromThreeClients(t);
    const statuses = answers.map((a) => a.status);
    if (trusted) expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    else expect(statuses).toContain(429);
    // The global limit's refusal says when to come back, in the header and in the one error shape.
    for (const refused of answers.filter((a) => a.status === 429)) {
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);
      expect(refused.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED', retryAfter: Number(refused.retryAfter) });
    }

    expect(await secondViewer(t, negotiationId, '198.51.100.1', '198.51.100.2')).toBe(trusted ? 'live' : 'RATE_LIMITED');
    // Behind a trusted proxy the limit still holds per client.
    if (trusted) expect(await secondViewer(t, negotiationId, '198.51.100.9', '198.51.100.9')).toBe('RATE_LIMITED');
  });
});
