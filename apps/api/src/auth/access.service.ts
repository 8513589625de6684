import { Inject, Injectable } from '@nestjs/common';
import type { Role } from '@parley/contracts';
import { AppError } from '../common/app-error';
import { sameSecret } from '../common/crypto';
import type { Principal } from '../common/principal';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { AccessLevel } from '../common/access';
import { AuthService, unauthenticated } from './auth.service';

const forbidden = (message: string) => new AppError(403, 'FORBIDDEN', message);
const RANK: Record<Role, number> = { viewer: 0, analyst: 1, admin: 2 };

/**
 * The one access check, for HTTP routes and (later) socket handshakes alike: resolves a bearer
 * credential and decides whether its holder may act at a level, on a negotiation.
 */
@Injectable()
export class AccessService {
  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** VIEW_ACCESS=private: reading needs a credential. */
  get viewsArePrivate(): boolean {
    return this.config.auth.viewAccess === 'private';
  }

  /** null: no credential given. Throws 401 for a credential that is unknown, expired or revoked. */
  async principalOf(credential: string | undefined): Promise<Principal | null> {
    if (!credential) return null;
    const principal = await this.auth.authenticate(credential);
    if (!principal) throw unauthenticated('The credentials are invalid, expired or revoked; sign in again');
    return principal;
  }

  /**
   * Throws 401/403 unless the principal may act at `level`. `negotiationId` resolves the negotiation
   * the request is about, for share links (which open exactly one negotiation).
   */
  async check(level: AccessLevel, principal: Principal | null, negotiationId: () => Promise<string | null>): Promise<void> {
    switch (level) {
      case 'public':
        return;
      case 'read':
        if (this.config.auth.viewAccess === 'public') return;
        if (!principal) throw unauthenticated('Sign in or use a share link to read this negotiation');
        if (principal.kind === 'share') return this.checkShare(principal, await negotiationId());
        return;
      case 'signed-in':
        if (!principal) throw unauthenticated('Sign in first');
        return;
      case 'user':
      case 'analyst':
      case 'admin': {
        if (!principal) throw unauthenticated('Sign in first');
        if (principal.kind !== 'user') throw forbidden('A share link only reads; sign in to change anything');
        const needed: Role = level === 'user' ? 'viewer' : level;
        if (RANK[principal.role] < RANK[needed]) throw forbidden(`This needs the ${needed} role; you are ${principal.role}`);
        return;
      }
      case 'metrics':
        // Decided on the token alone, before any principal (see AccessGuard and checkMetrics).
        throw forbidden('Metrics are read with METRICS_TOKEN, not with an account');
    }
  }

  /**
   * The Prometheus scraper's level: METRICS_TOKEN as the bearer token, compared in constant time.
   * Without METRICS_TOKEN the metrics are off and their route answers 404.
   */
  checkMetrics(credential: string | undefined): void {
    const token = this.config.metricsToken;
    if (token === undefined) throw new AppError(404, 'NOT_FOUND', 'Metrics are off: set METRICS_TOKEN to serve them at /api/metrics');
    if (credential === undefined || !sameSecret(credential, token)) throw unauthenticated('Metrics need the METRICS_TOKEN as the bearer token');
  }

  /** For the live socket: may this principal read this negotiation? */
  async canRead(principal: Principal | null, negotiationId: string): Promise<boolean> {
    try {
      await this.check('read', principal, async () => negotiationId);
      return true;
    } catch {
      return false;
    }
  }

  private checkShare(principal: Principal & { kind: 'share' }, negotiationId: string | null): void {
    if (negotiationId !== null && negotiationId !== principal.negotiationId) {
      throw forbidden('This share link opens another negotiation');
    }
  }
}
