import { type BeforeApplicationShutdown, Inject, Logger, type OnApplicationShutdown } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import { JoinRequest, LIVE_PATH, type ChangeEntry, type ErrorBody, type JoinAck, type LiveAuth, type LiveConnectError, type ResyncNotice } from '@parley/contracts';
import { In } from 'typeorm';
import { AccessEvents } from '../common/access-events';
import { shareTokenOf } from '../auth/access.guard';
import { AccessService } from '../auth/access.service';
import { AppError } from '../common/app-error';
import { clientAddress, trustFunction } from '../common/client-address';
import { Metrics } from '../common/metrics';
import { errorBodyOf } from '../http/error.filter';
import { problemsOf } from '../common/validation';
import { ChangeLog } from '../changes/change-log.service';
import { ReviewLog } from '../changes/review-log.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Db } from '../database/db.service';
import { NegotiationEntity } from '../negotiations/negotiation.entity';
import { NegotiationsService } from '../negotiations/negotiations.service';
import { AccessRecheck } from './access-recheck';
import { AddressSlots } from './address-slots';
import { backlogBytes, cutOff, drained, type Connection } from './backlog';
import { EventBudget } from './event-budget';
import { type JoinTicket, type LiveServer, type LiveSocket, room } from './live-server';
import { Presence } from './presence';
import { broadcastReview, serveReviewJoin } from './review-stream';

/** Changes read and sent at once by a join's replay (about 1-2 KB each). */
const REPLAY_PAGE = 200;
/** A replay sends its next page only once the socket holds at most this much unread. */
const REPLAY_BACKLOG_BYTES = 256 * 1024;
const SLOW_CONSUMER_CHECK_MS = 1_000;

function failure(statusCode: 400 | 401 | 403 | 409, code: ErrorBody['code'], message: string, details?: ErrorBody['details']): JoinAck {
  const error = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 409: 'Conflict' }[statusCode];
  return { ok: false, error: { statusCode, error, code, message, ...(details ? { details } : {}) } };
}

const replacedAck = (): JoinAck => failure(409, 'CONFLICT', 'A later join of this negotiation on this socket replaced this one; its answer is the one that counts');

/** A refused handshake: final for bad credentials, retryable when the database could not check them. */
function refusal(err: unknown): Error & { data: LiveConnectError } {
  let data: LiveConnectError;
  if (err instanceof AppError && (err.statusCode === 401 || err.statusCode === 403)) {
    data = { code: err.statusCode === 403 ? 'FORBIDDEN' : 'UNAUTHENTICATED', message: err.message };
  } else {
    const body = errorBodyOf(err);
    data = { code: body.statusCode === 503 ? 'UNAVAILABLE' : 'INTERNAL', message: `${body.message} (the connection is retried)` };
  }
  return Object.assign(new Error(data.message), { data });
}

/**
 * The live API. Services never talk to sockets: the change log publishes committed changes and this
 * gateway fans them out to the negotiation's room. A client joins with the last sequence number it
 * holds and first gets what it missed, read from the database, so nothing is lost across
 * disconnects, restarts, nodes or a Redis outage.
 */
@WebSocketGateway({ path: LIVE_PATH, serveClient: false, transports: ['websocket', 'polling'], maxHttpBufferSize: 64 * 1024 })
export class LiveGateway implements OnGatewayInit<LiveServer>, OnGatewayDisconnect<LiveSocket>, BeforeApplicationShutdown, OnApplicationShutdown {
  @WebSocketServer() private server!: LiveServer;
  private readonly logger = new Logger('Live');
  /** Viewer counts (set up in afterInit). */
  private presence!: Presence;
  /** Credentials checked again while sockets stay open (set up in afterInit). */
  private accessRecheck!: AccessRecheck;
  private timers: NodeJS.Timeout[] = [];
  /** What to stop at shutdown: subscriptions, and the timers of presence. */
  private unsubscribe: (() => void)[] = [];
  /** Every open engine.io connection, including one whose socket ended while its close waits to be sent. */
  private readonly connections = new Set<Connection>();
  /** Connections per client address, for LIVE_MAX_SOCKETS_PER_IP (set up in afterInit). */
  private slots!: AddressSlots;
  /** Open sockets (namespace connections) on each engine.io connection. */
  private readonly socketsOn = new WeakMap<Connection, number>();

  constructor(
    private readonly changes: ChangeLog,
    private readonly access: AccessService,
    private readonly accessEvents: AccessEvents,
    private readonly negotiations: NegotiationsService,
    private readonly db: Db,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reviewLog: ReviewLog,
    private readonly metrics: Metrics,
  ) {}

  afterInit(server: LiveServer): void {
    // The client's address by Fastify's rule: X-Forwarded-For counts only from a trusted proxy (TRUST_PROXY).
    const trusted = trustFunction(this.config.trustProxy);
    const { maxSocketsPerIp } = this.config.live;
    const tooMany = `Too many live connections from this address (limit ${maxSocketsPerIp}, LIVE_MAX_SOCKETS_PER_IP)`;
    this.slots = new AddressSlots(maxSocketsPerIp, (request) => clientAddress(request, trusted));
    this.metrics.gauge('parley_live_sockets', 'Live sockets open on this node', [], (set) => set({}, server.sockets.sockets.size));
    this.metrics.gauge('parley_live_connections', 'engine.io connections open on this node (with or without a socket)', [], (set) => set({}, this.connections.size));
    // Counted at the engine.io handshake, before anything else: a flood of connections costs no
    // database lookups, and one that never opens a namespace holds a place until it is closed.
    server.engine.opts.allowRequest = (request, answer) => answer(tooMany, this.slots.admit(request));
    server.engine.on('connection', (conn: Connection) => {
      this.slots.opened(conn);
      this.connections.add(conn);
      conn.once('close', () => this.connections.delete(conn));
      this.dropIfIdle(conn);
    });
    server.on('connection', (socket) => {
      this.socketsOn.set(socket.conn, (this.socketsOn.get(socket.conn) ?? 0) + 1);
      socket.once('disconnect', () => {
        const left = (this.socketsOn.get(socket.conn) ?? 1) - 1;
        this.socketsOn.set(socket.conn, left);
        // A client may leave the namespace and keep the connection (and its place).
        if (left === 0) this.dropIfIdle(socket.conn);
      });
    });
    // The handshake is checked with the same rules as HTTP reads (Nest guards do not run here).
    server.use((socket, next) => {
      if (this.slots.isOver(socket.request)) {
        next(Object.assign(new Error(tooMany), { data: { code: 'RATE_LIMITED', message: tooMany } satisfies LiveConnectError }));
        return;
      }
      this.authenticate(socket as LiveSocket).then(
        () => {
          this.limitEvents(socket as LiveSocket);
          next();
        },
        (err: unknown) => {
          if (!(err instanceof AppError)) this.logger.warn(`handshake check failed: ${String(err)}`);
          next(refusal(err));
        },
      );
    });
    const acrossNodes = Boolean(this.config.live.redisUrl);
    this.accessRecheck = new AccessRecheck(server, this.access, this.accessEvents, acrossNodes);
    this.presence = new Presence(server, acrossNodes);
    this.unsubscribe = [
      this.changes.subscribeGroups((entries) => this.broadcast(entries)),
      // Proposal events go to the staff rooms only (live/review-stream.ts).
      this.reviewLog.subscribe((entries) => broadcastReview(this.server, entries)),
      () => this.accessRecheck.stop(),
      () => this.presence.stop(),
    ];
    this.timers = [
      setInterval(() => {
        const watched = this.presence.watchedHere();
        void this.announceHeads(watched);
        // Corrects counts a push missed: a node that died (its viewers went without a word), a
        // count that failed while Redis was down, notices that crossed between nodes.
        void this.presence.refresh(watched);
        // Expiry, and revocations this node did not hear about (made by the CLI, or a message Redis lost).
        void this.accessRecheck.recheckAll();
      }, this.config.live.headIntervalMs),
      setInterval(() => this.dropSlowConsumers(), SLOW_CONSUMER_CHECK_MS),
    ];
    for (const timer of this.timers) timer.unref();
  }

  /**
   * A group of changes recorded together goes to the room as one message ('change' for a single
   * one): a batch of 1,000 is then encoded once and written once per viewer, not a thousand times.
   */
  private broadcast(entries: ChangeEntry[]): void {
    const byNegotiation = new Map<string, ChangeEntry[]>();
    for (const entry of entries) {
      const group = byNegotiation.get(entry.negotiationId);
      if (group) group.push(entry);
      else byNegotiation.set(entry.negotiationId, [entry]);
    }
    for (const [negotiationId, group] of byNegotiation) {
      // Nobody watching here, and no other node to tell (no Redis adapter): socket.io would still
      // encode the message (a batch's is ~1 MB, ~14 ms of the main thread) before finding the room empty.
      const here = this.server.sockets.adapter.rooms.get(room(negotiationId))?.size ?? 0;
      if (!this.config.live.redisUrl && here === 0) continue;
      this.metrics.liveMessages.inc(here);
      if (group.length === 1) this.server.to(room(negotiationId)).emit('change', group[0]);
      else this.server.to(room(negotiationId)).emit('changes', group);
    }
  }

  private async authenticate(socket: LiveSocket): Promise<void> {
    const auth = (socket.handshake.auth ?? {}) as LiveAuth;
    // The socket's credential is its auth.token, or a share link's token by the HTTP rule.
    const credential = typeof auth.token === 'string' && auth.token ? auth.token : shareTokenOf(socket.handshake.query);
    const principal = await this.access.principalOf(credential);
    if (!principal && this.config.auth.viewAccess === 'private') {
      throw new AppError(401, 'UNAUTHENTICATED', 'Sign in or use a share link to watch negotiations');
    }
    socket.data.principal = principal;
    socket.data.credential = credential;
    socket.data.joined = new Set();
    socket.data.joins = Promise.resolve();
    socket.data.latestJoin = new Map();
  }

  /**
   * LIVE_EVENTS_PER_MINUTE per socket, over every event it sends: one over the budget is not served,
   * and is answered RATE_LIMITED when it asks for an answer. An honest client sends a join on
   * connecting and after a gap or a head it has not reached (at most one every gapTimeoutMs, 1.5 s).
   */
  private limitEvents(socket: LiveSocket): void {
    const budget = new EventBudget(this.config.live.eventsPerMinute);
    socket.use((packet, next) => {
      if (budget.take()) {
        next();
        return;
      }
      const ack: unknown = packet[packet.length - 1];
      if (typeof ack !== 'function') return;
      const retryAfter = budget.retryAfterSeconds();
      const error: ErrorBody = {
        statusCode: 429,
        error: 'Too Many Requests',
        code: 'RATE_LIMITED',
        message: `Too many live events from this socket (limit ${this.config.live.eventsPerMinute} per minute, LIVE_EVENTS_PER_MINUTE); retry in ${retryAfter} s`,
        retryAfter,
      };
      (ack as (answer: JoinAck) => void)({ ok: false, error });
    });
  }

  /**
   * A socket's joins are served one at a time, in the order sent, so it has at most one replay
   * running however many joins it sends. A join of a negotiation replaces the socket's earlier join
   * of the same one, waiting or running: that one stops before its next page and is answered 409;
   * the new one replays from its own sinceSeq. Pages already sent were whole and in order, so the
   * client (which drops what it already holds) still gets every change once, in order.
   */
  @SubscribeMessage('join')
  join(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown): Promise<JoinAck> {
    const ref = typeof body === 'object' && body !== null ? (body as { negotiationId?: unknown }).negotiationId : undefined;
    const ticket: JoinTicket = { replaced: false };
    this.metrics.liveJoins.inc({ stream: 'public' });
    if (typeof ref === 'string') {
      const earlier = socket.data.latestJoin.get(ref);
      if (earlier) earlier.replaced = true;
      socket.data.latestJoin.set(ref, ticket);
    }
    const answer = socket.data.joins.then(() => (ticket.replaced ? replacedAck() : this.serveJoin(socket, body, ticket)));
    const done = () => {
      if (typeof ref === 'string' && socket.data.latestJoin.get(ref) === ticket) socket.data.latestJoin.delete(ref);
    };
    socket.data.joins = answer.then(done, done);
    return answer;
  }

  /**
   * Every failure is answered: a malformed request or a refusal with its 4xx, a negotiation that
   * does not exist with 404, and anything the database could not do with 503, which the client
   * retries (an unanswered join would leave it waiting for ever).
   */
  private async serveJoin(socket: LiveSocket, body: unknown, ticket: JoinTicket): Promise<JoinAck> {
    const parsed = JoinRequest.safeParse(body);
    if (!parsed.success) {
      const details = problemsOf(parsed.error);
      return failure(400, 'VALIDATION_FAILED', `Invalid join: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`, details);
    }
    const closed = () => failure(400, 'VALIDATION_FAILED', 'The socket closed during the join');
    if (socket.disconnected) return closed();
    let joinedHere: string | null = null;
    try {
      const ref = parsed.data.negotiationId;
      const found = await this.negotiations.resolve(ref).catch((err: unknown) => {
        if (err instanceof AppError && err.statusCode === 404) return err;
        throw err;
      });
      // HTTP's rule and answer: a share link asking for another negotiation is refused alike
      // whether that one exists or not (no 404 that would tell which ids or slugs exist).
      await this.access.check('read', socket.data.principal, async () => (found instanceof AppError ? ref : found.id));
      if (found instanceof AppError) throw found;
      const negotiationId = found.id;
      // Gone while the lookup ran: joining a room now would leave a member nobody removes.
      if (socket.disconnected) return closed();
      // Join before reading the head: a change committed meanwhile is then either replayed below or
      // broadcast to the room (or both; the client drops duplicates by sequence number).
      if (!socket.data.joined.has(negotiationId)) {
        await socket.join(room(negotiationId));
        socket.data.joined.add(negotiationId);
        joinedHere = negotiationId;
        this.presence.joined(negotiationId);
      }
      const head = (await this.negotiations.resolve(negotiationId)).seq;
      const since = parsed.data.sinceSeq;
      const resync = (reason: ResyncNotice['reason']): JoinAck => {
        this.metrics.liveResyncs.inc({ reason });
        socket.emit('resync', { negotiationId, seq: head, reason });
        return { ok: true, negotiationId, seq: head, replayed: 0 };
      };
      if (since > head) return resync('ahead-of-server');
      if (head - since > this.config.live.resyncLimit) return resync('too-far-behind');
      let replayed = 0;
      for (let after = since; after < head; ) {
        // Page by page as the client reads: what this node holds for the socket stays about one page,
        // however far behind it is (a socket that stops reading waits here, or is cut off).
        if (!(await drained(socket.conn, REPLAY_BACKLOG_BYTES)) || socket.disconnected) return closed();
        if (ticket.replaced) return replacedAck();
        const page = await this.changes.read(this.db.read, negotiationId, after, Math.min(REPLAY_PAGE, head - after));
        if (page.length === 0) break;
        socket.emit('changes', page);
        this.metrics.liveReplayed.inc(page.length);
        replayed += page.length;
        after = page[page.length - 1].seq;
      }
      return { ok: true, negotiationId, seq: head, replayed };
    } catch (err) {
      const error = errorBodyOf(err);
      if (error.statusCode >= 500) this.logger.warn(`join failed (${error.code}): ${String(err)}`);
      if (joinedHere !== null) {
        // Not half-joined: the retried join replays from the start.
        await socket.leave(room(joinedHere));
        socket.data.joined.delete(joinedHere);
        this.presence.schedule(joinedHere);
      }
      return { ok: false, error };
    }
  }

  /** Analysts and admins: a negotiation's proposal events (the staff stream), replayed after sinceSeq. Served in the socket's join order. */
  @SubscribeMessage('joinReview')
  joinReview(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown): Promise<JoinAck> {
    this.metrics.liveJoins.inc({ stream: 'review' });
    const deps = { access: this.access, stream: this.reviewLog, negotiations: this.negotiations, db: this.db };
    const answer = socket.data.joins.then(() => serveReviewJoin(socket, body, deps));
    socket.data.joins = answer.catch(() => undefined);
    return answer;
  }

  @SubscribeMessage('leave')
  async leave(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown): Promise<{ ok: boolean }> {
    const negotiationId = typeof body === 'object' && body !== null ? (body as { negotiationId?: unknown }).negotiationId : undefined;
    if (typeof negotiationId !== 'string' || !socket.data.joined.has(negotiationId)) return { ok: false };
    await socket.leave(room(negotiationId));
    socket.data.joined.delete(negotiationId);
    this.presence.schedule(negotiationId);
    return { ok: true };
  }

  handleDisconnect(socket: LiveSocket): void {
    for (const negotiationId of socket.data.joined ?? []) this.presence.schedule(negotiationId);
  }

  /**
   * Drops a connection that holds no socket LIVE_CONNECT_TIMEOUT_MS from now (it never opened the
   * namespace, was refused, or left it). At once, as a slow consumer is: socket.io's own connect
   * timeout closes politely, and a WebSocket close waits up to 30 s for a client that never answers.
   */
  private dropIfIdle(conn: Connection): void {
    setTimeout(() => {
      if (conn.readyState === 'open' && !this.socketsOn.get(conn)) cutOff(conn);
    }, this.config.live.connectTimeoutMs).unref();
  }

  /** This node's open live connections and the largest backlog among them (bytes its client has not read yet). */
  backlog(): { connections: number; maxBytes: number } {
    let maxBytes = 0;
    for (const conn of this.connections) maxBytes = Math.max(maxBytes, backlogBytes(conn));
    return { connections: this.connections.size, maxBytes };
  }

  /** Tells this node's viewers the latest sequence number, so one that missed the last change notices. */
  private async announceHeads(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    try {
      const rows = await this.db.read.find(NegotiationEntity, { select: { id: true, seq: true }, where: { id: In(ids) } });
      for (const row of rows) this.server.local.to(room(row.id)).emit('head', { negotiationId: row.id, seq: row.seq });
    } catch (err) {
      this.logger.warn(`head announcement failed: ${String(err)}`);
    }
  }

  /**
   * A viewer that cannot keep up would make this node buffer without bound: its connection is cut
   * off and what waited for it is dropped at once (see cutOff). Its client reconnects by itself and
   * the join replays what it missed from the database.
   */
  private dropSlowConsumers(): void {
    for (const conn of this.connections) {
      const bytes = backlogBytes(conn);
      if (bytes <= this.config.live.maxBufferedBytes) continue;
      this.logger.warn(`cutting off a viewer that does not keep up: ${bytes} bytes waiting (LIVE_MAX_BUFFERED_BYTES=${this.config.live.maxBufferedBytes})`);
      cutOff(conn);
    }
  }

  /**
   * Runs before the HTTP server and socket.io close: this node's viewers are told why the connection
   * is about to end (their client reconnects, to this node once it is back or to another one).
   */
  beforeApplicationShutdown(): void {
    this.server.local.emit('closing', { reason: 'shutdown', message: 'The server is shutting down; reconnect and join again to continue' });
  }

  onApplicationShutdown(): void {
    for (const off of this.unsubscribe) off();
    for (const timer of this.timers) clearInterval(timer);
  }
}
