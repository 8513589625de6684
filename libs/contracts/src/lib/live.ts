import { z } from 'zod';
import type { ChangeEntry } from './changes';
import type { ErrorBody } from './errors';
import type { ReviewEntry } from './review';

/** socket.io path of the live API. */
export const LIVE_PATH = '/api/socket.io';

export const JoinRequest = z.strictObject({
  /** Negotiation id or slug. */
  negotiationId: z.string({ error: 'must be a string' }).min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  /** The last sequence number the client holds (0 for none): the server replays everything after it. */
  sinceSeq: z.number({ error: 'must be an integer' }).int('must be an integer').min(0, 'must be 0 or more'),
});
export type JoinRequest = z.infer<typeof JoinRequest>;

export type JoinAck =
  | {
      ok: true;
      negotiationId: string;
      /** The negotiation's latest sequence number when the join was served. */
      seq: number;
      /** Changes replayed to this socket from the database. */
      replayed: number;
    }
  | { ok: false; error: ErrorBody };

export interface ResyncNotice {
  negotiationId: string;
  /** The latest sequence number: load a snapshot (it carries its seq) and join again from there. */
  seq: number;
  reason: 'too-far-behind' | 'ahead-of-server';
}

export interface PresenceNotice {
  negotiationId: string;
  /** Sockets watching the negotiation, across every node. */
  viewers: number;
}

export interface HeadNotice {
  negotiationId: string;
  /** Latest sequence number: a client behind it has missed something and joins again. */
  seq: number;
}

/** Sent to every viewer of a node that is shutting down: the connection closes next; reconnect (to any node) and join again. */
export interface ClosingNotice {
  reason: 'shutdown';
  message: string;
}

/**
 * Sent before the server closes a socket whose access ended while it was open: its credentials were
 * revoked or expired (share link or API token revoked, logout, account disabled, new password) or
 * no longer open the negotiation. Reconnecting with the same credentials is refused: do not retry.
 */
export interface RefusedNotice {
  code: 'UNAUTHENTICATED' | 'FORBIDDEN';
  message: string;
}

/** Events the server sends. One typed map for the server, the client library and the dashboard. */
export interface ServerToClientEvents {
  change: (entry: ChangeEntry) => void;
  /**
   * Changes of one negotiation recorded together (a batch, an import, a page of replay), in
   * order: one message instead of one per change. A client applies them as it would `change`s.
   */
  changes: (entries: ChangeEntry[]) => void;
  resync: (notice: ResyncNotice) => void;
  presence: (notice: PresenceNotice) => void;
  head: (notice: HeadNotice) => void;
  closing: (notice: ClosingNotice) => void;
  refused: (notice: RefusedNotice) => void;
  /**
   * Staff only (after `joinReview`): proposal events of a negotiation, in order of their own
   * counter; never sent to viewers or share links.
   */
  proposals: (entries: ReviewEntry[]) => void;
}

/** Events the client sends. */
export interface ClientToServerEvents {
  join: (request: JoinRequest, ack: (result: JoinAck) => void) => void;
  leave: (request: { negotiationId: string }, ack: (result: { ok: boolean }) => void) => void;
  /**
   * Analysts and admins: the negotiation's proposal events after `sinceSeq` (the staff stream's own
   * counter, 0 for all), then each new one as it is committed. `seq` in the answer is the stream's head.
   */
  joinReview: (request: JoinRequest, ack: (result: JoinAck) => void) => void;
}

/** Handshake `auth` payload: a session token, an API token (plt_…) or a share link token (pls_…). */
export interface LiveAuth {
  token?: string;
}

/**
 * Sent as the `data` of a refused connection (`connect_error`). UNAUTHENTICATED and FORBIDDEN are
 * final for these credentials; RATE_LIMITED (too many sockets from the address), UNAVAILABLE (the
 * database could not check the credentials) and INTERNAL are worth retrying after a pause.
 */
export interface LiveConnectError {
  code: 'UNAUTHENTICATED' | 'FORBIDDEN' | 'RATE_LIMITED' | 'UNAVAILABLE' | 'INTERNAL';
  message: string;
}
