import type { ClientToServerEvents, PresenceNotice, ServerToClientEvents } from '@parley/contracts';
import type { Server, Socket } from 'socket.io';
import type { Revocation } from '../common/access-events';
import type { Principal } from '../common/principal';

export interface SocketData {
  principal: Principal | null;
  /** What the socket authenticated with, checked again on revocations and every head interval. */
  credential: string | undefined;
  /** Negotiations this socket watches. */
  joined: Set<string>;
  /** The joins sent so far, served one after the other: settles when the last one was answered. */
  joins: Promise<unknown>;
  /** Per negotiation (as the join named it): the latest join, which replaces those before it. */
  latestJoin: Map<string, JoinTicket>;
}

/** One join on its way: a later join of the same negotiation on the socket replaces it. */
export interface JoinTicket {
  replaced: boolean;
}

/** Between the nodes (through the Redis adapter). */
export interface NodeEvents {
  /** A revocation made on one node reaches sockets on all. */
  revoked: (revocation: Revocation) => void;
  /** A node's new count of a negotiation's viewers, for the other nodes to show to theirs. */
  presence: (notice: PresenceNotice) => void;
  /** Each other node answers with its own number of viewers of each negotiation asked about, in order. */
  viewers: (negotiationIds: string[], answer: (counts: number[]) => void) => void;
}

export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, NodeEvents, SocketData>;
export type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, NodeEvents, SocketData>;

/** The socket.io room of a negotiation's viewers. */
export const room = (negotiationId: string) => `n:${negotiationId}`;
