import { Injectable, Logger } from '@nestjs/common';
import type { Principal } from './principal';

/**
 * A credential (or every credential of a user) stopped opening anything: a share link or API token
 * revoked, a session ended by logout, a user disabled or given a new password (which ends their
 * sessions). Open live sockets holding it must be re-checked at once.
 */
export type Revocation =
  | { kind: 'share-link'; linkId: string }
  | { kind: 'api-token'; tokenId: string }
  | { kind: 'session'; sessionId: string }
  | { kind: 'user'; userId: string };

/** Whether a revocation may concern this principal (it is then checked again against the database). */
export function concerns(revocation: Revocation, principal: Principal): boolean {
  switch (revocation.kind) {
    case 'share-link':
      return principal.kind === 'share' && principal.linkId === revocation.linkId;
    case 'api-token':
      return principal.kind === 'user' && principal.tokenId === revocation.tokenId;
    case 'session':
      return principal.kind === 'user' && principal.sessionId === revocation.sessionId;
    case 'user':
      return principal.kind === 'user' && principal.userId === revocation.userId;
  }
}

/**
 * Services announce revocations here after their transaction commits; the live gateway listens
 * (services never talk to sockets). In-process only: the gateway carries them to other nodes.
 */
@Injectable()
export class AccessEvents {
  private readonly logger = new Logger('AccessEvents');
  private readonly listeners = new Set<(revocation: Revocation) => void>();

  subscribe(listener: (revocation: Revocation) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(revocation: Revocation): void {
    for (const listener of this.listeners) {
      try {
        listener(revocation);
      } catch (err) {
        this.logger.error(`revocation listener failed: ${String(err)}`);
      }
    }
  }
}
