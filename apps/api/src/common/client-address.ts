import proxyAddr from '@fastify/proxy-addr';
import type { IncomingMessage } from 'node:http';

/**
 * Which peers are trusted proxies (TRUST_PROXY): none, all, the nearest `n` hops, or addresses,
 * CIDR ranges and proxy-addr's names (loopback, linklocal, uniquelocal). The same value Fastify's
 * `trustProxy` takes.
 */
export type TrustProxy = boolean | number | string[];

/** Fastify's rule for its trustProxy option (fastify/lib/request.js), so sockets and HTTP agree. */
export function trustFunction(trust: TrustProxy): (address: string, hop: number) => boolean {
  if (trust === true) return () => true;
  if (trust === false) return () => false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return proxyAddr.compile(trust);
}

/**
 * The client's address: the peer's, or, when the peer is a trusted proxy, the nearest untrusted
 * address in X-Forwarded-For (what Fastify gives as request.ip).
 */
export function clientAddress(request: IncomingMessage, trusted: (address: string, hop: number) => boolean): string {
  const chain = proxyAddr.all(request, trusted);
  return chain[chain.length - 1] ?? request.socket.remoteAddress ?? '';
}
