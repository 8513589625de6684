import { Injectable } from '@nestjs/common';
import type { ShareLink, ShareLinkCreate, ShareLinkCreated } from '@parley/contracts';
import { parseBound, toIso, toIsoOrNull } from '@parley/domain';
import { AuditLog } from '../audit/audit.service';
import { AccessEvents } from '../common/access-events';
import { randomToken, sha256 } from '../common/crypto';
import { notFound } from '../common/app-error';
import { newId } from '../common/ids';
import { Db } from '../database/db.service';
import { NegotiationsService } from '../negotiations/negotiations.service';
import { ShareLinkEntity } from './share-link.entity';

const toShareLink = (l: ShareLinkEntity): ShareLink => ({
  id: l.id,
  negotiationId: l.negotiationId,
  label: l.label,
  prefix: l.prefix,
  createdBy: l.createdBy,
  createdAt: toIso(l.createdAt),
  expiresAt: toIsoOrNull(l.expiresAt),
  revokedAt: toIsoOrNull(l.revokedAt),
});

@Injectable()
export class ShareLinksService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly negotiations: NegotiationsService,
    private readonly accessEvents: AccessEvents,
  ) {}

  async list(negotiation: string): Promise<ShareLink[]> {
    const id = await this.negotiations.resolveId(negotiation);
    return (await this.db.read.find(ShareLinkEntity, { where: { negotiationId: id }, order: { createdAt: 'DESC' } })).map(toShareLink);
  }

  async create(negotiation: string, input: ShareLinkCreate, author: string): Promise<ShareLinkCreated> {
    const negotiationId = await this.negotiations.resolveId(negotiation);
    const token = randomToken('pls');
    const row: ShareLinkEntity = {
      id: newId(),
      negotiationId,
      label: input.label,
      tokenHash: sha256(token),
      prefix: token.slice(0, 12),
      createdBy: author,
      createdAt: Date.now(),
      expiresAt: input.expiresAt ? parseBound(input.expiresAt) : null,
      revokedAt: null,
    };
    await this.db.write(async (tx) => {
      await tx.manager.insert(ShareLinkEntity, row);
      await this.audit.record(tx.manager, { actor: author, action: 'share_link.created', entityType: 'share_link', entityId: row.id, negotiationId, after: toShareLink(row) });
    });
    return { ...toShareLink(row), token };
  }

  async revoke(negotiation: string, linkId: string, author: string): Promise<ShareLink> {
    const negotiationId = await this.negotiations.resolveId(negotiation);
    return this.db.write(async (tx) => {
      const row = await tx.manager.findOneBy(ShareLinkEntity, { id: linkId, negotiationId });
      if (!row) throw notFound('Share link', linkId);
      if (row.revokedAt !== null) return toShareLink(row);
      const revoked = { ...row, revokedAt: Date.now() };
      await tx.manager.update(ShareLinkEntity, { id: row.id }, { revokedAt: revoked.revokedAt });
      await this.audit.record(tx.manager, { actor: author, action: 'share_link.revoked', entityType: 'share_link', entityId: row.id, negotiationId, before: toShareLink(row), after: toShareLink(revoked) });
      tx.afterCommit(() => this.accessEvents.publish({ kind: 'share-link', linkId: row.id }));
      return toShareLink(revoked);
    });
  }
}
