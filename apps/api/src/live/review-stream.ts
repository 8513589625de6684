import { JoinRequest, type JoinAck, type ReviewEntry } from '@parley/contracts';
import type { AccessService } from '../auth/access.service';
import type { ReviewLog } from '../changes/review-log.service';
import { AppError } from '../common/app-error';
import { problemsOf } from '../common/validation';
import type { Db } from '../database/db.service';
import { errorBodyOf } from '../http/error.filter';
import type { NegotiationsService } from '../negotiations/negotiations.service';
import { drained } from './backlog';
import type { LiveServer, LiveSocket } from './live-server';

/** Proposal events read and sent at once by a staff replay. */
const REPLAY_PAGE = 200;
const REPLAY_BACKLOG_BYTES = 256 * 1024;

/** The socket.io room of a negotiation's staff (analysts and admins who joined its review stream). */
export const reviewRoom = (negotiationId: string) => `r:${negotiationId}`;
export const isReviewRoom = (room: string) => room.startsWith('r:');

export interface ReviewStreamDeps {
  access: AccessService;
  stream: ReviewLog;
  negotiations: NegotiationsService;
  db: Db;
}

/** Sends each committed proposal event to its negotiation's staff room, and nowhere else. */
export function broadcastReview(server: LiveServer, entries: ReviewEntry[]): void {
  for (const entry of entries) server.to(reviewRoom(entry.negotiationId)).emit('proposals', [entry]);
}

/**
 * A staff socket's join of a negotiation's review stream: analysts and admins only (a viewer, a
 * share link or an anonymous socket is refused 401/403 as on HTTP), the room joined before the
 * head is read, then the events after `sinceSeq` replayed page by page, as the public join does.
 * Every outcome is answered.
 */
export async function serveReviewJoin(socket: LiveSocket, body: unknown, deps: ReviewStreamDeps): Promise<JoinAck> {
  const parsed = JoinRequest.safeParse(body);
  if (!parsed.success) {
    const details = problemsOf(parsed.error);
    return { ok: false, error: { statusCode: 400, error: 'Bad Request', code: 'VALIDATION_FAILED', message: `Invalid join: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`, details } };
  }
  let joined: string | null = null;
  try {
    const principal = socket.data.principal;
    // The role first: a viewer learns nothing, not even whether the negotiation exists.
    await deps.access.check('analyst', principal, async () => null);
    const negotiationId = (await deps.negotiations.resolve(parsed.data.negotiationId)).id;
    if (socket.disconnected) throw new AppError(400, 'VALIDATION_FAILED', 'The socket closed during the join');
    await socket.join(reviewRoom(negotiationId));
    joined = negotiationId;
    const head = await deps.stream.head(deps.db.read, negotiationId);
    const since = parsed.data.sinceSeq;
    let replayed = 0;
    for (let after = since; after < head; ) {
      if (!(await drained(socket.conn, REPLAY_BACKLOG_BYTES)) || socket.disconnected) break;
      const page = await deps.stream.read(deps.db.read, negotiationId, after, Math.min(REPLAY_PAGE, head - after));
      if (page.length === 0) break;
      socket.emit('proposals', page);
      replayed += page.length;
      after = page[page.length - 1].seq;
    }
    return { ok: true, negotiationId, seq: head, replayed };
  } catch (err) {
    if (joined !== null) await socket.leave(reviewRoom(joined));
    return { ok: false, error: errorBodyOf(err) };
  }
}
