import type { IncomingMessage } from 'node:http';
import type { Connection } from './backlog';

/** How long a handshake admitted by allowRequest may take to become a connection before its place is given back. */
const HANDSHAKE_GRACE_MS = 10_000;

/**
 * Live connections per client address (LIVE_MAX_SOCKETS_PER_IP), counted from the engine.io
 * handshake (engine.io's allowRequest) to the connection's close, so a raw connection that never
 * opens a namespace holds a place like a socket does, until the connect timeout closes it.
 *
 * An address holding its limit gets one more connection, marked over the limit: a socket.io client
 * opening a namespace on it is refused with RATE_LIMITED and a message it can read (a refused
 * handshake is only an HTTP 403, which a WebSocket client cannot read). Beyond that one the
 * handshake itself is refused.
 */
export class AddressSlots {
  private readonly held = new Map<string, number>();
  private readonly over = new WeakSet<IncomingMessage>();
  /** Admitted handshakes not yet connections: how to keep their place until the connection closes. */
  private readonly pending = new WeakMap<IncomingMessage, () => () => void>();

  constructor(
    readonly limit: number,
    private readonly addressOf: (request: IncomingMessage) => string,
  ) {}

  /** For allowRequest: takes a place for the handshake, or false when the address has none left. */
  admit(request: IncomingMessage): boolean {
    const address = this.addressOf(request);
    const count = this.held.get(address) ?? 0;
    if (count > this.limit) return false;
    if (count === this.limit) this.over.add(request);
    this.held.set(address, count + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (this.held.get(address) ?? 1) - 1;
      if (left > 0) this.held.set(address, left);
      else this.held.delete(address);
    };
    // A handshake can still fail after this (an upgrade the client aborted): no connection follows.
    const timer = setTimeout(() => {
      this.pending.delete(request);
      release();
    }, HANDSHAKE_GRACE_MS);
    timer.unref();
    this.pending.set(request, () => {
      clearTimeout(timer);
      return release;
    });
    return true;
  }

  /** For engine.io's 'connection': the handshake's place is held until the connection closes. */
  opened(connection: Connection): void {
    const keep = this.pending.get(connection.request);
    if (!keep) return;
    this.pending.delete(connection.request);
    connection.once('close', keep());
  }

  /** The connection was admitted over the limit: it may only be told so. */
  isOver(request: IncomingMessage): boolean {
    return this.over.has(request);
  }

  /** Connections (and admitted handshakes) an address holds. */
  heldBy(address: string): number {
    return this.held.get(address) ?? 0;
  }
}
