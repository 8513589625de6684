import { Logger } from '@nestjs/common';
import type { RefusedNotice } from '@parley/contracts';
import { type AccessEvents, concerns } from '../common/access-events';
import type { AccessService } from '../auth/access.service';
import { AppError } from '../common/app-error';
import type { Principal } from '../common/principal';
import type { LiveServer, LiveSocket } from './live-server';
import { isReviewRoom } from './review-stream';

/** A refused socket gets this long to read its notice before its connection is dropped anyway. */
const REFUSED_GRACE_MS = 5_000;

/**
 * Live sockets keep the access they were opened with only while their credentials still grant it:
 * a revocation (heard on this node, or from another through the Redis adapter) checks the sockets
 * it concerns at once, and a periodic round (every head interval) checks them all, for expiry and
 * for revocations this node did not hear about.
 */
export class AccessRecheck {
  private readonly logger = new Logger('Live');
  private running = false;
  private readonly unsubscribe: () => void;

  /** `acrossNodes`: a Redis adapter joins this node to others, which are told of its revocations. */
  constructor(
    private readonly server: LiveServer,
    private readonly access: AccessService,
    accessEvents: AccessEvents,
    acrossNodes: boolean,
  ) {
    this.unsubscribe = accessEvents.subscribe((revocation) => {
      void this.recheck((principal) => concerns(revocation, principal));
      // Other nodes check their sockets too (without Redis there are none, and the default adapter
      // does not carry server-side events). A lost message is caught by the periodic check.
      if (acrossNodes) this.server.serverSideEmit('revoked', revocation);
    });
    server.on('revoked', (revocation) => void this.recheck((principal) => concerns(revocation, principal)));
  }

  /**
   * Checks again, against the database, the credentials of this node's sockets whose principal
   * `affected` selects (one lookup per distinct credential), and whether they still open every
   * negotiation the socket watches. A socket whose access ended is told why and closed; one whose
 * user is no longer an analyst or an admin leaves every staff (review) room. A database
   * that cannot answer refuses nobody: the next round checks again.
   */
  private async recheck(affected: (principal: Principal) => boolean): Promise<void> {
    const byCredential = new Map<string, LiveSocket[]>();
    for (const socket of this.server.sockets.sockets.values()) {
      const { principal, credential } = socket.data;
      if (!principal || !credential || !affected(principal)) continue;
      byCredential.set(credential, [...(byCredential.get(credential) ?? []), socket]);
    }
    for (const [credential, sockets] of byCredential) {
      let principal: Principal | null;
      try {
        principal = await this.access.principalOf(credential);
      } catch (err) {
        if (err instanceof AppError) for (const socket of sockets) this.refuse(socket, { code: 'UNAUTHENTICATED', message: err.message });
        else this.logger.warn(`live access check failed; kept for now: ${String(err)}`);
        continue;
      }
      // A user no longer analyst or admin (demoted) stops receiving proposal events at once; the public stream goes on.
      const staff = principal?.kind === 'user' && (principal.role === 'analyst' || principal.role === 'admin');
      for (const socket of sockets) {
        socket.data.principal = principal;
        if (!staff) for (const room of [...socket.rooms]) if (isReviewRoom(room)) await socket.leave(room);
        for (const negotiationId of socket.data.joined) {
          if (await this.access.canRead(principal, negotiationId)) continue;
          this.refuse(socket, { code: 'FORBIDDEN', message: `These credentials no longer open negotiation '${negotiationId}'` });
          break;
        }
      }
    }
  }

  /** The periodic round over every credential; skipped while the previous one still runs. */
  async recheckAll(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.recheck(() => true);
    } finally {
      this.running = false;
    }
  }

  /** Tells the client why, then closes its connection (the notice goes out before the close). */
  private refuse(socket: LiveSocket, notice: RefusedNotice): void {
    if (socket.disconnected) return;
    this.logger.log(`closing a live socket: ${notice.message}`);
    socket.emit('refused', notice);
    const conn = socket.conn;
    socket.disconnect(true);
    // A client that does not read would keep the connection (and the notice) waiting for ever.
    setTimeout(() => conn.close(true), REFUSED_GRACE_MS).unref();
  }

  stop(): void {
    this.unsubscribe();
  }
}
