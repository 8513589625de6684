import { LIVE_PATH, type ChangeEntry, type ClientToServerEvents, type JoinAck, type JoinRequest, type LiveConnectError, type ServerToClientEvents } from '@parley/contracts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { LiveClient, type ConnectionState, type LiveClientOptions } from './live-client';

/**
 * The client against a real socket.io server that plays the server's side of the protocol the way a
 * test needs it (refusing, failing, not answering, ending the socket), which the real API does only
 * under faults. The API's own integration tests cover the client against the real server.
 */
type BareSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

interface Bare {
  url: string;
  joins: JoinRequest[];
  handshakes: number;
  close(): Promise<void>;
}

async function bareServer(
  onJoin: (socket: BareSocket, request: JoinRequest, ack: (result: JoinAck) => void, n: number) => void,
  onHandshake: (n: number) => LiveConnectError | null = () => null,
): Promise<Bare> {
  const http = createServer();
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(http, { path: LIVE_PATH, transports: ['websocket'] });
  const bare: Bare = {
    url: '',
    joins: [],
    handshakes: 0,
    close: () => new Promise((resolve) => void io.close(() => resolve())),
  };
  io.use((_socket, next) => {
    const refusal = onHandshake(++bare.handshakes);
    next(refusal ? Object.assign(new Error(refusal.message), { data: refusal }) : undefined);
  });
  io.on('connection', (socket) => {
    socket.on('join', (request, ack) => {
      bare.joins.push(request);
      onJoin(socket, request, ack, bare.joins.length);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  bare.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return bare;
}

const at = '2025-11-21T00:00:00.000Z';
const change = (seq: number): ChangeEntry => ({
  negotiationId: 'n',
  seq,
  kind: 'negotiation.updated',
  entityId: 'n',
  recordedAt: at,
  recordedBy: 'a',
  data: { id: 'n', slug: 'n', title: `Edit ${seq}`, description: '', status: 'active', seq, version: seq, createdAt: at, updatedAt: at },
});
const ok = (seq: number): JoinAck => ({ ok: true, negotiationId: 'n', seq, replayed: 0 });

async function until(what: string, predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function client(url: string, options: Partial<LiveClientOptions> = {}) {
  const live = new LiveClient({
    url,
    negotiationId: 'n',
    sinceSeq: 0,
    joinTimeoutMs: 300,
    retryDelayMs: 20,
    retryDelayMaxMs: 100,
    socket: { reconnectionDelay: 20, reconnectionDelayMax: 100 },
    ...options,
  });
  const seen = { changes: [] as number[], states: [] as ConnectionState[], errors: [] as string[] };
  live.on('change', (e) => seen.changes.push(e.seq));
  live.on('state', (s) => seen.states.push(s));
  live.on('error', (e) => seen.errors.push(e.code));
  return { live, seen };
}

describe('LiveClient against a bare socket.io server', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  it('reconnects by itself when the server ends the socket, and joins again from the last seq it holds', async () => {
    const server = await bareServer((socket, _request, ack, n) => {
      ack(ok(n === 1 ? 1 : 2));
      if (n === 1) {
        socket.emit('change', change(1));
        socket.disconnect(true);
      } else {
        socket.emit('change', change(2));
      }
    });
    const { live, seen } = client(server.url);
    cleanup.push(() => server.close(), () => live.close());
    live.start();
    await until('the change after the reconnect', () => seen.changes.length === 2);
    expect(server.joins.map((j) => j.sinceSeq)).toEqual([0, 1]);
    expect(seen.changes).toEqual([1, 2]);
    expect(seen.states).toEqual(expect.arrayContaining(['live', 'reconnecting']));
    await until('live', () => live.state === 'live');
  });

  it('notices a missing sequence number, joins again from the last one it applied, and applies the replay in order', async () => {
    const server = await bareServer((socket, _request, ack, n) => {
      if (n === 1) {
        // Nothing to replay: 1 and 3 are live changes, and 2 is lost on the way (a message Redis dropped).
        ack(ok(0));
        socket.emit('change', change(1));
        socket.emit('change', change(3));
      } else {
        ack(ok(3));
        socket.emit('changes', [change(2), change(3)]);
      }
    });
    const { live, seen } = client(server.url, { gapTimeoutMs: 50 });
    cleanup.push(() => server.close(), () => live.close());
    live.start();
    await until('the replayed changes', () => seen.changes.length === 3);
    expect(server.joins).toEqual([
      { negotiationId: 'n', sinceSeq: 0 },
      { negotiationId: 'n', sinceSeq: 1 },
    ]);
    // 3 waited for 2, and its replayed copy was dropped.
    expect(seen.changes).toEqual([1, 2, 3]);
    expect(live.lastSeq).toBe(3);
    expect(live.state).toBe('live');
  });

  it('joins again when a head notice shows a change it never received, and applies it', async () => {
    const server = await bareServer((socket, _request, ack, n) => {
      if (n === 1) {
        ack(ok(0));
        socket.emit('change', change(1));
        // 2 was committed but its message was lost; the periodic head notice says so.
        socket.emit('head', { negotiationId: 'n', seq: 2 });
      } else {
        ack(ok(2));
        socket.emit('changes', [change(2)]);
      }
    });
    const { live, seen } = client(server.url, { gapTimeoutMs: 50 });
    cleanup.push(() => server.close(), () => live.close());
    live.start();
    await until('the missed change', () => seen.changes.length === 2);
    expect(server.joins.map((j) => j.sinceSeq)).toEqual([0, 1]);
    expect(seen.changes).toEqual([1, 2]);
    expect(live.lastSeq).toBe(2);
  });

  it('asks again, after a pause, when a join is answered 503 or not answered at all', async () => {
    const server = await bareServer((_socket, _request, ack, n) => {
      if (n === 1) ack({ ok: false, error: { statusCode: 503, error: 'Service Unavailable', code: 'UNAVAILABLE', message: 'The database is unavailable' } });
      else if (n === 3) ack(ok(0));
      // n === 2: never answered
    });
    const { live, seen } = client(server.url);
    cleanup.push(() => server.close(), () => live.close());
    live.start();
    await until('live', () => live.state === 'live');
    expect(server.joins).toHaveLength(3);
    expect(seen.errors).toEqual(['UNAVAILABLE']);
    expect(seen.states).toContain('reconnecting');
  });

  it('asks again, after a pause, when a join is refused as over the socket’s event budget (429)', async () => {
    const server = await bareServer((_socket, _request, ack, n) => {
      if (n === 1) ack({ ok: false, error: { statusCode: 429, error: 'Too Many Requests', code: 'RATE_LIMITED', message: 'Too many live events from this socket', retryAfter: 1 } });
      else ack(ok(0));
    });
    const { live, seen } = client(server.url);
    cleanup.push(() => server.close(), () => live.close());
    live.start();
    await until('live', () => live.state === 'live');
    expect(server.joins).toHaveLength(2);
    expect(seen.errors).toEqual(['RATE_LIMITED']);
  });

  it('goes offline for good on a join refused with a 4xx', async () => {
    const server = await bareServer((_socket, _request, ack) =>
      ack({ ok: false, error: { statusCode: 404, error: 'Not Found', code: 'NOT_FOUND', message: "Negotiation 'n' was not found" } }),
    );
    const { live, seen } = client(server.url);
    cleanup.push(() => server.close(), () => live.close());
    live.start();
    await until('offline', () => live.state === 'offline');
    expect(seen.errors).toEqual(['NOT_FOUND']);
  });

  it('retries a handshake refused as UNAVAILABLE (the database could not check the credentials)', async () => {
    const server = await bareServer(
      (_socket, _request, ack) => ack(ok(0)),
      (n) => (n < 3 ? { code: 'UNAVAILABLE', message: 'The database is unavailable' } : null),
    );
    const { live, seen } = client(server.url);
    cleanup.push(() => server.close(), () => live.close());
    live.start();
    await until('live', () => live.state === 'live');
    expect(server.handshakes).toBe(3);
    expect(seen.errors).toEqual(['UNAVAILABLE', 'UNAVAILABLE']);
  });

  it('stops for good on a handshake refused as UNAUTHENTICATED, and when told its access ended', async () => {
    const refusing = await bareServer(
      (_socket, _request, ack) => ack(ok(0)),
      () => ({ code: 'UNAUTHENTICATED', message: 'The credentials are invalid, expired or revoked; sign in again' }),
    );
    const a = client(refusing.url);
    cleanup.push(() => refusing.close(), () => a.live.close());
    a.live.start();
    await until('offline', () => a.live.state === 'offline');
    expect(a.seen.errors).toEqual(['UNAUTHENTICATED']);

    const revoking = await bareServer((socket, _request, ack) => {
      ack(ok(0));
      socket.emit('refused', { code: 'UNAUTHENTICATED', message: 'The credentials are invalid, expired or revoked; sign in again' });
      socket.disconnect(true);
    });
    const b = client(revoking.url);
    cleanup.push(() => revoking.close(), () => b.live.close());
    b.live.start();
    await until('offline', () => b.live.state === 'offline');
    expect(b.seen.errors).toEqual(['UNAUTHENTICATED']);
    // Neither comes back: a later handshake or join would show here.
    await new Promise((r) => setTimeout(r, 300));
    expect([refusing.handshakes, revoking.handshakes, revoking.joins.length]).toEqual([1, 1, 1]);
  });
});
