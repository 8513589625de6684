import * as fc from 'fast-check';
import { LIMITS, LIVE_PATH } from '@parley/contracts';
import { io, type Socket } from 'socket.io-client';
import { record } from './figures';
import {
  call,
  fingerprint,
  installation,
  loggedErrors,
  stage,
  stanceBody,
  startNode,
  until,
  type Answer,
  type Installation,
  type Probe,
  type Stage,
} from './harness';

/** Node's limit on the request line and headers (see MAX_HEADER_BYTES in the error filter). */
const MAX_HEADER_BYTES = 16 * 1024;
const BODY_LIMIT_BYTES = 5 * 1024 * 1024;
/** ARCHIVE_LIMIT_BYTES' default: a source's archived copy. */
const ARCHIVE_LIMIT_BYTES = 5 * 1024 * 1024;
const SOCKET_LIMIT = 20;
const HTTP_RUNS = 3000;
const SOCKET_RUNS = 600;

interface Route {
  method: string;
  path: string;
  query: string[];
}

/** The body of an error answer: the one shape (statusCode, error, code, message, requestId). */
function isErrorShape(a: Answer): boolean {
  const b = a.body as Record<string, unknown> | undefined;
  return (
    typeof b === 'object' &&
    b !== null &&
    b['statusCode'] === a.status &&
    typeof b['error'] === 'string' &&
    typeof b['code'] === 'string' &&
    typeof b['message'] === 'string' &&
    typeof b['requestId'] === 'string'
  );
}

const deep = (depth: number, open: string, close: string, inner = '1') => open.repeat(depth) + inner + close.repeat(depth);

describe('hostile input and limits (SQLite)', () => {
  let inst: Installation;
  let s: Stage;
  let probe: Probe;
  let before: Record<string, string | number>;
  let analystToken: string;
  let proposalId: string;

  beforeAll(async () => {
    // Every generated socket payload reaches the handlers (a socket's event budget is checked in live-limits.integration.spec.ts).
    inst = await installation('sqlite', { LIVE_MAX_SOCKETS_PER_IP: String(SOCKET_LIMIT), LIVE_EVENTS_PER_MINUTE: '100000' });
    s = await stage(await startNode(inst, 'api-hostile'));
    const user = await call(s.node.url, 'POST', '/api/users', {
      token: s.token,
      body: { email: 'analyst@faults.local', name: 'Analyst', role: 'analyst', password: 'analyst-password' },
    });
    expect(user.status).toBe(201);
    analystToken = (await call(s.node.url, 'POST', '/api/auth/login', { body: { email: 'analyst@faults.local', password: 'analyst-password' } })).body.token;
    // Some history to read, then the fingerprint every refused input must leave as it is.
    for (let i = 0; i < 10; i++) {
      expect((await call(s.node.url, 'POST', `/api/negotiations/${s.negotiationId}/stances`, { token: s.token, body: stanceBody(s.parties[i % 4], s.points[i % 6], `seed ${i}`) })).status).toBe(201);
    }
    // A proposal (review before publish), so that its routes are tried with an id that resolves.
    const base = `/api/negotiations/${s.negotiationId}`;
    expect((await call(s.node.url, 'PATCH', base, { token: s.token, body: { reviewPolicy: 'required' } })).status).toBe(200);
    const proposed = await call(s.node.url, 'POST', `${base}/stances`, { token: analystToken, body: stanceBody(s.parties[0], s.points[0], 'proposed') });
    expect(proposed.status).toBe(202);
    proposalId = proposed.body.id;
    expect((await call(s.node.url, 'PATCH', base, { token: s.token, body: { reviewPolicy: 'off' } })).status).toBe(200);
    probe = await inst.probe();
    before = await fingerprint(probe, 'sqlite');
  });

  afterAll(async () => {
    await probe?.close();
    await s?.node.stop('SIGKILL');
    await inst?.drop();
  });

  it('refuses what is over a documented limit with a clear message, and writes nothing', async () => {
    const base = `/api/negotiations/${s.negotiationId}`;
    const huge = await call(s.node.url, 'POST', `${base}/stances`, { token: s.token, raw: JSON.stringify({ note: 'x'.repeat(BODY_LIMIT_BYTES + 1) }), headers: { 'content-type': 'application/json' } });
    expect(huge).toMatchObject({ status: 413, body: { code: 'PAYLOAD_TOO_LARGE', message: `The request body is larger than the limit of ${BODY_LIMIT_BYTES} bytes (BODY_LIMIT_BYTES); nothing was changed` } });

    const tooMany = await call(s.node.url, 'POST', `${base}/stances/batch`, {
      token: s.token,
      body: { events: Array.from({ length: LIMITS.batchItems + 1 }, (_, i) => stanceBody(s.parties[0], s.points[0], `over ${i}`)) },
    });
    expect(tooMany).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', details: [{ field: 'events', message: `must contain at most ${LIMITS.batchItems} events` }] } });

    const longNote = await call(s.node.url, 'POST', `${base}/stances`, { token: s.token, body: stanceBody(s.parties[0], s.points[0], 'n'.repeat(LIMITS.longText + 1)) });
    expect(longNote).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', details: [{ field: 'note', message: expect.stringMatching(/at most/) }] } });
    const longTranslation = await call(s.node.url, 'POST', `${base}/stances`, {
      token: s.token,
      body: stanceBody(s.parties[0], s.points[0], 'quoted', { quote: 'Нет.', quoteLanguage: 'ru-'.repeat(5_000), translation: 't'.repeat(LIMITS.longText + 1) }),
    });
    expect(longTranslation).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(longTranslation.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['quoteLanguage', 'translation']);
    const longTitle = await call(s.node.url, 'POST', '/api/negotiations', { token: s.token, body: { title: 't'.repeat(LIMITS.title + 1) } });
    expect(longTitle).toMatchObject({ status: 400, body: { details: [{ field: 'title', message: `must be at most ${LIMITS.title} characters` }] } });

    // A source's fields, on its own routes and inline in a stance: each refused naming the field.
    const sourceId = (await call(s.node.url, 'GET', `${base}/sources`, { token: s.token })).body[0].id as string;
    const sourceCases: [string, string, Record<string, unknown>, string][] = [
      ['POST', `${base}/sources`, { outlet: 'o'.repeat(LIMITS.title + 1) }, 'outlet'],
      ['POST', `${base}/sources`, { title: 't'.repeat(501) }, 'title'],
      ['POST', `${base}/sources`, { url: `https://example.org/${'u'.repeat(LIMITS.url)}` }, 'url'],
      ['POST', `${base}/sources`, { description: 'd'.repeat(LIMITS.longText + 1) }, 'description'],
      ['POST', `${base}/sources`, { outlet: 'x', language: 'x'.repeat(300) }, 'language'],
      ['PATCH', `${base}/sources/${sourceId}`, { kind: 'rumour' }, 'kind'],
      ['PATCH', `${base}/sources/${sourceId}`, { expectedVersion: -1 }, 'expectedVersion'],
      ['POST', `${base}/stances`, stanceBody(s.parties[0], s.points[0], 'inline', { source: { id: sourceId, url: 'https://example.org/both' } }), 'source.id'],
      ['POST', `${base}/stances`, stanceBody(s.parties[0], s.points[0], 'inline', { source: { id: 'not-a-uuid' } }), 'source.id'],
      ['POST', `${base}/stances`, stanceBody(s.parties[0], s.points[0], 'inline', { source: { outlet: 'x', language: 'en_GB\u0000' } }), 'source.language'],
    ];
    for (const [method, path, body, field] of sourceCases) {
      const answer = await call(s.node.url, method, path, { token: s.token, body });
      expect({ field, status: answer.status, fields: answer.body.details?.map((d: { field: string }) => d.field) }).toEqual({ field, status: 400, fields: expect.arrayContaining([field]) });
    }

    // A source's archived copy: over its own limit, another type or charset, unreadable bytes, nothing.
    const archive = `${base}/sources/${sourceId}/archive`;
    const archiveCases: [string, string, number, string][] = [
      ['x'.repeat(ARCHIVE_LIMIT_BYTES + 1), 'text/plain', 413, 'ARCHIVE_LIMIT_BYTES'],
      ['\u0089PNG', 'image/png', 415, 'text/plain (UTF-8), text/html or application/pdf'],
      ['caf\u00e9', 'text/plain; charset=windows-1252', 415, 'UTF-8'],
      ['%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF', 'application/pdf', 400, 'pdf.js could not read it'],
      ['<html><body>no pdf</body></html>', 'application/pdf', 400, 'no %PDF- header'],
      ['', 'text/html', 400, 'must not be empty'],
    ];
    for (const [raw, type, status, says] of archiveCases) {
      const answer = await call(s.node.url, 'PUT', archive, { token: s.token, raw, headers: { 'content-type': type } });
      expect({ type, status: answer.status, says: answer.body?.message?.includes(says) }).toEqual({ type, status, says: true });
    }
    const notUtf8 = await call(s.node.url, 'PUT', archive, { token: s.token, raw: Buffer.from([0x63, 0x61, 0x66, 0xe9]), headers: { 'content-type': 'text/html' } });
    expect(notUtf8).toMatchObject({ status: 400, body: { details: [{ field: 'body', message: expect.stringContaining('not UTF-8') }] } });

    const form = await call(s.node.url, 'POST', `${base}/stances`, { token: s.token, raw: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form).toMatchObject({ status: 415, body: { code: 'UNSUPPORTED_MEDIA_TYPE' } });

    // Sockets per address: the limit's sockets connect, one more is refused with a reason, and a
    // closed one frees its place.
    const sockets: Socket[] = [];
    const connect = () =>
      new Promise<{ socket: Socket; refused?: { code: string; message: string } }>((resolve) => {
        const socket = io(s.node.url, { path: LIVE_PATH, transports: ['websocket'], reconnection: false, forceNew: true });
        socket.once('connect', () => resolve({ socket }));
        socket.once('connect_error', (err: Error & { data?: { code: string; message: string } }) => resolve({ socket, refused: err.data }));
      });
    try {
      for (let i = 0; i < SOCKET_LIMIT; i++) {
        const c = await connect();
        sockets.push(c.socket);
        expect(c.refused).toBeUndefined();
      }
      const over = await connect();
      sockets.push(over.socket);
      expect(over.refused).toEqual({ code: 'RATE_LIMITED', message: `Too many live connections from this address (limit ${SOCKET_LIMIT}, LIVE_MAX_SOCKETS_PER_IP)` });
      over.socket.close();
      await closed(sockets.shift()!);
      await until('a freed place', async () => {
        const again = await connect();
        sockets.push(again.socket);
        if (again.refused) again.socket.close();
        return again.refused === undefined;
      });
    } finally {
      await Promise.all(sockets.map(closed));
    }
    expect(await fingerprint(probe, 'sqlite')).toEqual(before);
    record('limits', { limitsChecked: 8 + sourceCases.length + archiveCases.length });
  });

  it(`answers ${HTTP_RUNS} generated malformed requests to every route of the OpenAPI document without a 5xx, in the one error shape, and changes nothing`, async () => {
    const doc = await call(s.node.url, 'GET', '/api/docs-json');
    expect(doc.status).toBe(200);
    const routes: Route[] = [];
    for (const [path, item] of Object.entries(doc.body.paths as Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>)) {
      for (const [method, op] of Object.entries(item)) {
        if (!['get', 'post', 'patch', 'delete', 'put'].includes(method)) continue;
        routes.push({ method: method.toUpperCase(), path, query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name) });
      }
    }
    expect(routes.length).toBeGreaterThan(30);
    // A real source too, so that its routes are tried with an id that resolves.
    const sources = (await call(s.node.url, 'GET', `/api/negotiations/${s.negotiationId}/sources`, { token: s.token })).body as { id: string }[];
    expect(sources.length).toBeGreaterThan(0);
    const ids = [s.negotiationId, ...s.parties, ...s.points, ...sources.map((x) => x.id), proposalId];

    const garbageText = fc.oneof(
      { arbitrary: fc.string({ maxLength: 50 }), weight: 3 },
      { arbitrary: fc.string({ unit: 'grapheme', maxLength: 50 }), weight: 3 },
      fc.constantFrom("'; DROP TABLE stance_events; --", '../../etc/passwd', '%00', '\u0000', '𝕏'.repeat(300), 'null', 'undefined', '-1', '1e309', 'NaN', '0x10', ' '),
      // The search's query languages (FTS5 MATCH, tsquery): each a word or a separator, never syntax.
      fc.constantFrom('"', '"a', 'NEAR(a b)', 'a OR b', 'a:*', '-a', '*', 'a*', '{quote}: a', "'a' & !b", 'a <-> b', '^a', 'stance,point', 'nope,'),
      fc.integer().map(String),
      // Long strings: most fit in a URL, a few are over Node's header limit.
      fc.oneof({ arbitrary: fc.nat(14_000).map((n) => 'x'.repeat(n)), weight: 5 }, { arbitrary: fc.nat(70_000).map((n) => 'x'.repeat(n)), weight: 1 }),
    );
    const pathValue = fc.oneof(fc.constantFrom(...ids), fc.uuid(), garbageText.map((t) => encodeURIComponent(t).slice(0, 4000) || 'x'));
    const jsonGarbage = fc.jsonValue({ maxDepth: 6 });
    /** Object bodies always carry a key no schema knows: every input schema is strict, so none can be valid. */
    const objectBody = fc.dictionary(fc.string({ maxLength: 12 }), fc.oneof(jsonGarbage, garbageText), { maxKeys: 8 }).map((o) => ({ ...o, '\u0000fuzz': true }));
    const body = fc.oneof(
      objectBody.map((o) => JSON.stringify(o)),
      jsonGarbage.filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 200 }), // mostly not JSON
      fc.constantFrom('{', '{"a":', '[1,2', '{"title": "x",}', '\ufeff{}', '{"__proto__": {"admin": true}, "\u0000fuzz": 1}', '{"constructor": {"prototype": {"x": 1}}, "\u0000fuzz": 1}'),
      fc.integer({ min: 1, max: 200_000 }).map((d) => deep(d, '[', ']')),
      fc.integer({ min: 1, max: 50_000 }).map((d) => deep(d, '{"a":', '}')),
      fc.integer({ min: 1, max: 6 }).map((n) => JSON.stringify({ title: 'y'.repeat(n * 1_000_000), '\u0000fuzz': 1 })),
    );
    const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/merge-patch+json', 'application/json; charset=latin1', '', 'application/jsonx');
    const auth = fc.constantFrom<'admin' | 'analyst' | 'none' | 'garbage'>('admin', 'analyst', 'none', 'garbage');
    const queryString = fc.array(fc.tuple(fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('asOf', 'knownAt', 'since', 'until', 'recordedSince', 'effectiveFrom', 'effectiveTo', 'sinceSeq', 'limit', 'from', 'to', 'step', 'a', 'b', 'partyId', 'pointId', 'documentId', 'share', 'q', 'kinds', 'status', 'author', 'before', 'includeProposals')), garbageText), { maxLength: 5 });
    const request = fc.record({
      route: fc.constantFrom(...routes),
      params: fc.array(pathValue, { minLength: 3, maxLength: 3 }),
      query: queryString,
      rawQuery: fc.option(fc.constantFrom('%', '%%41', 'a=%E0%A4%A', '&&&=', '?=?', 'asOf[]=1&asOf[]=2', 'limit=1&limit=2'), { nil: undefined }),
      body: fc.option(body, { nil: undefined }),
      contentType,
      auth,
      idempotencyKey: fc.option(fc.oneof(fc.string({ maxLength: 300 }).filter((k) => /^[\x20-\x7e]*$/.test(k)), fc.constant('k'.repeat(5000))), { nil: undefined }),
      requestId: fc.option(fc.string({ maxLength: 200 }).filter((k) => /^[\x20-\x7e]*$/.test(k)), { nil: undefined }),
    });

    let tried = 0;
    let cutOff = 0;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        tried++;
        let i = 0;
        let path = r.route.path.replace(/\{[^}]+\}/g, () => r.params[i++ % 3]);
        const query = r.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
        if (query || r.rawQuery) path += `?${[query, r.rawQuery].filter(Boolean).join('&')}`;
        const logout = r.route.path === '/api/auth/logout';
        // A real session must not be ended by the logout route: it gets only garbage credentials.
        const token = r.auth === 'admin' && !logout ? s.token : r.auth === 'analyst' && !logout ? analystToken : r.auth === 'garbage' ? 'garbage.token.x' : undefined;
        const headers: Record<string, string> = {};
        // The archive route takes any text as a copy: there a text is sent as a PDF, which garbage never is.
        const archive = r.route.method === 'PUT' && r.route.path.endsWith('/archive');
        const contentType = archive && r.contentType.startsWith('text/') ? 'application/pdf' : r.contentType;
        if (r.body !== undefined && contentType) headers['content-type'] = contentType;
        if (r.idempotencyKey !== undefined) headers['idempotency-key'] = r.idempotencyKey;
        if (r.requestId !== undefined) headers['x-request-id'] = r.requestId;
        const sendsBody = r.body !== undefined && r.route.method !== 'GET';
        const answer = await call(s.node.url, r.route.method, path, { token, headers, raw: sendsBody ? r.body : undefined });
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        const headerBytes = path.length + (token?.length ?? 0) + Object.entries(headers).reduce((n, [k, v]) => n + k.length + v.length + 4, 0);
        const overLimit = headerBytes > MAX_HEADER_BYTES - 1024 || (sendsBody && Buffer.byteLength(r.body ?? '') > BODY_LIMIT_BYTES);
        if (answer.status === 0 && overLimit) {
          // Refused (431 or 413) while the client was still sending its body: the client may see
          // the connection reset instead of the answer. The node must still be well.
          cutOff++;
          if ((await call(s.node.url, 'GET', '/api/health')).status !== 200) throw new Error(`node unwell after ${r.route.method} ${path.slice(0, 200)}`);
          return;
        }
        if (answer.status === 0 || answer.status >= 500) {
          throw new Error(`${r.route.method} ${path.slice(0, 200)} → ${answer.status} ${JSON.stringify(answer.body)?.slice(0, 300)}; logged: ${loggedErrors(s.node).slice(-3).join(' | ')}`);
        }
        // Reads with harmless garbage may succeed; every refusal is in the one error shape.
        if (answer.status >= 400 && !isErrorShape(answer)) throw new Error(`${r.route.method} ${path.slice(0, 200)} → ${answer.status} in another shape: ${JSON.stringify(answer.body).slice(0, 300)}`);
        if (answer.status < 400 && r.route.method !== 'GET') throw new Error(`${r.route.method} ${path.slice(0, 200)} was accepted (${answer.status}): a generator made a valid write`);
      }),
      { numRuns: HTTP_RUNS, seed: 20251127, endOnFailure: true },
    );
    expect(s.node.alive).toBe(true);
    expect((await call(s.node.url, 'GET', '/api/health')).status).toBe(200);
    expect(await fingerprint(probe, 'sqlite')).toEqual(before);
    record('hostile HTTP input', { httpInputsTried: tried, routesFuzzed: routes.length, refusedByParser: cutOff + (statuses.get(431) ?? 0), fiveHundreds: 0 });
  });

  it(`answers ${SOCKET_RUNS} generated socket payloads (joins with garbage, unknown events, oversized frames) without a crash`, async () => {
    let socket = await connected(s.node.url);
    let tried = 0;
    let acks = 0;
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.record({ kind: fc.constant('join' as const), payload: fc.oneof(fc.anything({ maxDepth: 4 }), fc.record({ negotiationId: fc.oneof(fc.string(), fc.constantFrom(s.negotiationId), fc.anything()), sinceSeq: fc.oneof(fc.integer(), fc.double(), fc.anything()) }), fc.uint8Array({ maxLength: 100 })) }),
            fc.record({ kind: fc.constant('joinReview' as const), payload: fc.oneof(fc.anything({ maxDepth: 4 }), fc.record({ negotiationId: fc.oneof(fc.string(), fc.constantFrom(s.negotiationId), fc.anything()), sinceSeq: fc.oneof(fc.integer(), fc.double(), fc.anything()) })) }),
            fc.record({ kind: fc.constant('leave' as const), payload: fc.anything({ maxDepth: 3 }) }),
            fc.record({ kind: fc.constant('other' as const), event: fc.string({ minLength: 1, maxLength: 30 }).filter((e) => !['connect', 'disconnect', 'connect_error', 'disconnecting', 'newListener', 'removeListener'].includes(e)), payload: fc.anything({ maxDepth: 3 }) }),
            fc.record({ kind: fc.constant('huge' as const), payload: fc.integer({ min: 65 * 1024, max: 400 * 1024 }).map((n) => 'h'.repeat(n)) }),
          ),
          async (m) => {
            tried++;
            if (!socket.connected) socket = await connected(s.node.url);
            if (m.kind === 'join' || m.kind === 'joinReview' || m.kind === 'leave') {
              const ack = (await socket.timeout(10_000).emitWithAck(m.kind, m.payload)) as { ok: boolean; error?: { statusCode: number; code: string; message: string } };
              acks++;
              if (typeof ack?.ok !== 'boolean') throw new Error(`${m.kind} answered ${JSON.stringify(ack)}`);
              if (m.kind !== 'leave' && !ack.ok && !(ack.error && ack.error.statusCode >= 400 && ack.error.statusCode < 500 && ack.error.message)) {
                throw new Error(`join refused without a clear error: ${JSON.stringify(ack)}`);
              }
            } else if (m.kind === 'other') {
              socket.emit(m.event, m.payload);
            } else {
              // Over the 64 KiB message limit: the server drops this socket, and only this socket.
              socket.emit('join', { negotiationId: m.payload, sinceSeq: 0 });
              await until('the oversized socket dropped', () => !socket.connected, 10_000);
            }
          },
        ),
        { numRuns: SOCKET_RUNS, seed: 20251128, endOnFailure: true },
      );
    } finally {
      await closed(socket);
    }
    expect(s.node.alive).toBe(true);
    expect((await call(s.node.url, 'GET', '/api/health')).status).toBe(200);
    expect(await fingerprint(probe, 'sqlite')).toEqual(before);
    record('hostile socket input', { socketInputsTried: tried, socketAcksChecked: acks });
  });
});

async function connected(url: string): Promise<Socket> {
  const socket = io(url, { path: LIVE_PATH, transports: ['websocket'], reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

async function closed(socket: Socket): Promise<void> {
  const engine = socket.io.engine as unknown as { readyState?: string; once(e: string, f: () => void): void } | undefined;
  if (!engine || engine.readyState === 'closed') {
    socket.close();
    return;
  }
  await new Promise<void>((resolve) => {
    engine.once('close', () => resolve());
    socket.close();
  });
}
