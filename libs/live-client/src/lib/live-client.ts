import {
  LIVE_PATH,
  type ChangeEntry,
  type ClientToServerEvents,
  type ErrorBody,
  type JoinAck,
  type LiveConnectError,
  type PresenceNotice,
  type RefusedNotice,
  type ResyncNotice,
  type ReviewEntry,
  type ServerToClientEvents,
} from '@parley/contracts';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { Sequencer } from './sequencer';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface LiveClientOptions {
  /** Server origin, e.g. http://localhost:3000; '' or undefined for the page's own origin. */
  url?: string;
  /** Negotiation id or slug. */
  negotiationId: string;
  /** The sequence number of the snapshot the client holds (0: none). */
  sinceSeq: number;
  /** Session token, API token (plt_…) or share link token (pls_…). */
  token?: string;
  /** How long to wait for a missing sequence number before asking the server to replay. */
  gapTimeoutMs?: number;
  /** How long a join may go unanswered before it is sent again (default 15 s). */
  joinTimeoutMs?: number;
  /** First and largest pause before retrying a connection or join the server could not serve (default 500 ms, 15 s). */
  retryDelayMs?: number;
  retryDelayMaxMs?: number;
  socket?: Partial<ManagerOptions & SocketOptions>;
  /**
   * Staff (analysts and admins): also join the negotiation's review stream (`joinReview`) after every
   * join, and deliver its proposal events (`proposal`) in order, exactly once, replaying after a
   * reconnect what was missed. The first join starts at the stream's head (`reviewJoined` tells it:
   * load the proposals then); a refusal (the role was lost) ends only this stream.
   */
  review?: boolean;
}

export interface LiveClientEvents {
  /** A change, in order, exactly once. */
  change: (entry: ChangeEntry) => void;
  state: (state: ConnectionState) => void;
  /** Too far behind (or ahead): load a snapshot, then call resetTo(snapshot.seq). */
  resync: (notice: ResyncNotice) => void;
  presence: (notice: PresenceNotice) => void;
  /** A refused connection or join, or access that ended; the state says whether it will retry. */
  error: (error: ErrorBody | LiveConnectError | RefusedNotice) => void;
  /** With `review`: a proposal event, in the order of the staff stream, exactly once. */
  proposal: (entry: ReviewEntry) => void;
  /** With `review`: the review stream was joined at `seq` (its head); `first`: nothing was held before, load the proposals now. */
  reviewJoined: (seq: number, first: boolean) => void;
}

type Listeners = { [K in keyof LiveClientEvents]: Set<LiveClientEvents[K]> };

/** Handshake refusals that a pause can cure; the others are final for these credentials. */
const RETRIED_CONNECT_ERRORS = new Set<LiveConnectError['code']>(['RATE_LIMITED', 'UNAVAILABLE', 'INTERNAL']);

/**
 * A small typed client for Parley's live API: joins with the last sequence number it holds,
 * applies changes in order exactly once, notices gaps (a dropped message, a missed last change)
 * and has them replayed, rejoins after reconnecting, and exposes the connection state for a UI.
 *
 * It stays connected until close() or a final refusal: a connection the server dropped (a restart,
 * a slow reader cut off, a server-side disconnect) or a join or handshake the server could not
 * serve (database unavailable, no answer, over the socket's event budget) is retried with a growing pause, and the join after it
 * replays what was missed. Bad credentials (also when the server says access ended while the socket
 * was open), an unknown negotiation or a malformed join are final.
 */
export class LiveClient {
  private readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  private readonly sequencer: Sequencer;
  private readonly listeners: Listeners = { change: new Set(), state: new Set(), resync: new Set(), presence: new Set(), error: new Set(), proposal: new Set(), reviewJoined: new Set() };
  /** The staff stream's order once first joined; before that, events that arrive wait in `reviewEarly`. */
  private reviewSequencer: Sequencer<ReviewEntry> | null = null;
  private reviewEarly: ReviewEntry[] = [];
  private reviewRefused = false;
  private reviewGapTimer: ReturnType<typeof setTimeout> | null = null;
  private currentState: ConnectionState = 'connecting';
  private gapTimer: ReturnType<typeof setTimeout> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private retries = 0;
  private joining = false;
  private rejoinWanted = false;
  /** Bumped on every connection: an answer to a join sent on an earlier one is ignored. */
  private connection = 0;
  /** close() was called, or the server refused for good: never reconnect. */
  private stopped = false;
  private resolvedId: string | null = null;
  private viewerCount: number | null = null;

  constructor(private readonly options: LiveClientOptions) {
    this.sequencer = new Sequencer(options.sinceSeq);
    this.socket = io(options.url ?? '', {
      path: LIVE_PATH,
      transports: ['websocket'],
      auth: options.token ? { token: options.token } : {},
      reconnectionDelay: 300,
      reconnectionDelayMax: 3_000,
      autoConnect: false,
      ...options.socket,
    });
    this.socket.on('connect', () => {
      this.connection++;
      this.join();
    });
    this.socket.on('disconnect', (reason) => {
      this.clearGapTimer();
      // A join in flight when the connection dropped gets no answer: the next connection joins anew.
      this.joining = false;
      this.rejoinWanted = false;
      if (this.stopped || reason === 'io client disconnect') {
        this.setState('offline');
        return;
      }
      this.setState('reconnecting');
      // socket.io reconnects by itself after a lost transport, but not after the server ended the
      // socket; that is no reason to stop watching (a final refusal comes as `refused` first).
      if (!this.socket.active) this.retry(() => this.socket.connect());
    });
    this.socket.on('connect_error', (err: Error & { data?: LiveConnectError }) => {
      if (err.data) this.emit('error', err.data);
      if (this.socket.active) {
        // A transport failure (server down, network): socket.io retries by itself.
        this.setState('reconnecting');
      } else if (!this.stopped && err.data && RETRIED_CONNECT_ERRORS.has(err.data.code)) {
        // Refused for now (database unavailable, too many sockets from this address): try again later.
        this.setState('reconnecting');
        this.retry(() => this.socket.connect());
      } else {
        // Refused for good: bad or revoked credentials.
        this.stop();
      }
    });
    this.socket.on('refused', (notice) => {
      this.emit('error', notice);
      this.stop();
    });
    this.socket.on('change', (entry) => this.receive(entry));
    this.socket.on('changes', (entries) => {
      for (const entry of entries) this.receive(entry);
    });
    this.socket.on('resync', (notice) => this.emit('resync', notice));
    this.socket.on('presence', (notice) => {
      this.viewerCount = notice.viewers;
      this.emit('presence', notice);
    });
    this.socket.on('proposals', (entries) => {
      for (const entry of entries) this.receiveProposal(entry);
    });
    this.socket.on('head', (notice) => {
      if (notice.seq > this.sequencer.lastSeq) this.armGapTimer();
    });
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  get lastSeq(): number {
    return this.sequencer.lastSeq;
  }

  get viewers(): number | null {
    return this.viewerCount;
  }

  /** The negotiation's id once joined (the options may name it by slug). */
  get negotiationId(): string | null {
    return this.resolvedId;
  }

  on<K extends keyof LiveClientEvents>(event: K, listener: LiveClientEvents[K]): () => void {
    (this.listeners[event] as Set<LiveClientEvents[K]>).add(listener);
    return () => (this.listeners[event] as Set<LiveClientEvents[K]>).delete(listener);
  }

  start(): this {
    this.stopped = false;
    this.setState('connecting');
    this.socket.connect();
    return this;
  }

  /** After loading a snapshot taken at `seq` (on resync): continue from there. */
  resetTo(seq: number): void {
    // Changes that arrived while the snapshot loaded and follow it directly are applied now.
    for (const ready of this.sequencer.reset(seq)) this.emit('change', ready);
    this.join();
  }

  /** Closes the connection; resolves when the transport is closed. */
  close(): Promise<void> {
    const engine = this.socket.io.engine as { readyState?: string; once?: (event: string, fn: () => void) => void } | undefined;
    const closed =
      engine && engine.readyState !== 'closed' && engine.once
        ? new Promise<void>((resolve) => {
            engine.once?.('close', () => resolve());
            // In Node a pending timer would keep the process alive; browsers have no unref.
            (setTimeout(resolve, 1_000) as unknown as { unref?: () => void }).unref?.();
          })
        : Promise.resolve();
    this.stop();
    return closed;
  }

  private stop(): void {
    this.stopped = true;
    if (this.reviewGapTimer) clearTimeout(this.reviewGapTimer);
    this.reviewGapTimer = null;
    this.clearGapTimer();
    this.clearRetryTimer();
    this.socket.disconnect();
    this.setState('offline');
  }

  private join(): void {
    if (this.stopped || !this.socket.connected) return;
    if (this.joining) {
      this.rejoinWanted = true;
      return;
    }
    this.joining = true;
    const connection = this.connection;
    const request = { negotiationId: this.options.negotiationId, sinceSeq: this.sequencer.lastSeq };
    this.socket.timeout(this.options.joinTimeoutMs ?? 15_000).emit('join', request, (err: Error | null, ack: JoinAck) => {
      // An answer on a connection that has since dropped: the next connection joins anew.
      if (connection !== this.connection || !this.socket.connected) return;
      this.joining = false;
      if (err || (!ack.ok && (ack.error.statusCode >= 500 || ack.error.statusCode === 429))) {
        // No answer in time, the server could not serve it (database unavailable), or this socket
        // sent more than its budget of events: ask again later.
        if (!err && !ack.ok) this.emit('error', ack.error);
        this.setState('reconnecting');
        this.retry(() => this.join());
        return;
      }
      if (!ack.ok) {
        // Malformed, unknown negotiation, or not allowed: asking again changes nothing.
        this.emit('error', ack.error);
        this.stop();
        return;
      }
      this.retries = 0;
      this.resolvedId = ack.negotiationId;
      this.setState('live');
      this.joinReview();
      if (this.rejoinWanted) {
        this.rejoinWanted = false;
        this.join();
      } else if (this.sequencer.lastSeq < ack.seq || this.sequencer.hasGap) {
        this.armGapTimer();
      }
    });
  }

  /** The staff stream, after each public join: from the last proposal event held, or at first from its head. */
  private joinReview(): void {
    if (!this.options.review || this.reviewRefused || this.stopped || !this.socket.connected) return;
    const connection = this.connection;
    const held = this.reviewSequencer?.lastSeq ?? null;
    // At first nothing is held: start at the head (a number past it replays nothing) and load the list then.
    const request = { negotiationId: this.options.negotiationId, sinceSeq: held ?? Number.MAX_SAFE_INTEGER };
    this.socket.timeout(this.options.joinTimeoutMs ?? 15_000).emit('joinReview', request, (err: Error | null, ack: JoinAck) => {
      if (connection !== this.connection || !this.socket.connected) return;
      if (err || (!ack.ok && (ack.error.statusCode >= 500 || ack.error.statusCode === 429))) {
        this.retry(() => this.joinReview());
        return;
      }
      if (!ack.ok) {
        // Not staff (any more): the public stream goes on without it.
        this.reviewRefused = true;
        this.emit('error', ack.error);
        return;
      }
      const first = this.reviewSequencer === null;
      if (first) {
        this.reviewSequencer = new Sequencer<ReviewEntry>(ack.seq);
        const early = this.reviewEarly;
        this.reviewEarly = [];
        this.emit('reviewJoined', ack.seq, true);
        for (const entry of early) this.receiveProposal(entry);
      } else {
        this.emit('reviewJoined', ack.seq, false);
      }
    });
  }

  private receiveProposal(entry: ReviewEntry): void {
    const sequencer = this.reviewSequencer;
    if (!sequencer) {
      this.reviewEarly.push(entry);
      return;
    }
    for (const ready of sequencer.accept(entry)) this.emit('proposal', ready);
    if (sequencer.hasGap && !this.reviewGapTimer) {
      // A missing number: wait a moment (it may be in flight), then have the stream replayed.
      this.reviewGapTimer = setTimeout(() => {
        this.reviewGapTimer = null;
        if (this.reviewSequencer?.hasGap) this.joinReview();
      }, this.options.gapTimeoutMs ?? 1_500);
    }
  }

  /** Runs `attempt` after a pause that doubles with every retry (with jitter, so many clients spread out). */
  private retry(attempt: () => void): void {
    this.clearRetryTimer();
    const base = this.options.retryDelayMs ?? 500;
    const delay = Math.min(base * 2 ** this.retries, this.options.retryDelayMaxMs ?? 15_000) * (0.5 + Math.random() / 2);
    this.retries++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) attempt();
    }, delay);
  }

  private clearRetryTimer(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private receive(entry: ChangeEntry): void {
    for (const ready of this.sequencer.accept(entry)) this.emit('change', ready);
    if (this.sequencer.hasGap) this.armGapTimer();
    else this.clearGapTimer();
  }

  /** Waits a moment for the missing numbers (they may be in flight); then asks for a replay. */
  private armGapTimer(): void {
    if (this.gapTimer) return;
    const before = this.sequencer.lastSeq;
    this.gapTimer = setTimeout(() => {
      this.gapTimer = null;
      if (this.socket.connected && (this.sequencer.hasGap || this.sequencer.lastSeq === before)) this.join();
    }, this.options.gapTimeoutMs ?? 1_500);
  }

  private clearGapTimer(): void {
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.gapTimer = null;
  }

  private setState(state: ConnectionState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    this.emit('state', state);
  }

  private emit<K extends keyof LiveClientEvents>(event: K, ...args: Parameters<LiveClientEvents[K]>): void {
    for (const listener of this.listeners[event]) (listener as (...a: Parameters<LiveClientEvents[K]>) => void)(...args);
  }
}
