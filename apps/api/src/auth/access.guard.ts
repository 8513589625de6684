import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../common/app-error';
import { isUuid } from '../common/ids';
import type { WithPrincipal } from '../common/principal';
import { Db } from '../database/db.service';
import { sql } from '../database/sql';
import { NegotiationEntity } from '../negotiations/negotiation.entity';
import { ACCESS_KEY, type AccessLevel } from '../common/access';
import { AccessService } from './access.service';

/** "Authorization: Bearer …", or `?share=pls_…` so a share link works as a plain URL (embeds). */
export function credentialOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new AppError(401, 'UNAUTHENTICATED', 'The Authorization header must be "Bearer <token>"');
    return match[1];
  }
  return shareTokenOf(request.query);
}

/**
 * A share link's token given as `?share=` (embeds, and the live socket's handshake): only a `pls_…`
 * value counts, so a session or API token never travels in a URL, and any other value is no credential.
 */
export function shareTokenOf(query: unknown): string | undefined {
  const share = (query as Record<string, unknown> | undefined)?.['share'];
  return typeof share === 'string' && share.startsWith('pls_') ? share : undefined;
}

@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: AccessService,
    private readonly db: Db,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Sockets are checked in the live gateway's handshake; this guard is for HTTP routes.
    if (context.getType() !== 'http') return true;
    const level = this.reflector.getAllAndOverride<AccessLevel | undefined>(ACCESS_KEY, [context.getHandler(), context.getClass()]);
    if (!level) throw new AppError(403, 'FORBIDDEN', 'This route has no access rule');
    const request = context.switchToHttp().getRequest<FastifyRequest & WithPrincipal>();
    const credential = credentialOf(request);
    if (level === 'metrics') {
      this.access.checkMetrics(credential);
      return true;
    }
    // An answer given on a credential (a session, an API or a share token), or any answer when views
    // are private, is for its reader alone: no shared cache or browser history may keep a copy.
    if (credential !== undefined || this.access.viewsArePrivate) {
      void context.switchToHttp().getResponse<FastifyReply>().header('cache-control', 'private, no-store');
    }
    const principal = await this.access.principalOf(credential);
    request.principal = principal;
    if (request.query && typeof request.query === 'object' && 'share' in request.query) {
      // Consumed here; the route's own query schema need not know about it.
      delete (request.query as Record<string, unknown>)['share'];
    }
    await this.access.check(level, principal, () => this.negotiationOf(request));
    return true;
  }

  /** The negotiation a request is about, from its path: a negotiation id or slug, or a stance event. */
  private async negotiationOf(request: FastifyRequest): Promise<string | null> {
    const params = (request.params ?? {}) as Record<string, string | undefined>;
    const ref = params['negotiationId'] ?? (request.routeOptions.url?.startsWith('/api/negotiations/:id') ? params['id'] : undefined);
    if (ref) {
      const row = isUuid(ref)
        ? await this.db.read.findOne(NegotiationEntity, { select: { id: true }, where: { id: ref } })
        : await this.db.read.findOne(NegotiationEntity, { select: { id: true }, where: { slug: ref } });
      return row?.id ?? ref;
    }
    const eventId = params['eventId'];
    if (eventId && isUuid(eventId)) {
      // By table name: the guard stands below the stances feature and needs this one column.
      const { rows } = await sql<{ negotiation_id: string }>(this.db.read, 'SELECT negotiation_id FROM stance_events WHERE id = ?', [eventId]);
      return rows[0]?.negotiation_id ?? null;
    }
    return null;
  }
}
