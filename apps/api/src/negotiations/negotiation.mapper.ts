import type { Negotiation } from '@parley/contracts';
import { toIso } from '@parley/domain';
import type { NegotiationEntity } from './negotiation.entity';

export const toNegotiation = (e: NegotiationEntity): Negotiation => ({
  id: e.id,
  slug: e.slug,
  title: e.title,
  description: e.description,
  status: e.status,
  reviewPolicy: e.reviewPolicy,
  requireExpectedVersion: e.requireExpectedVersion,
  seq: e.seq,
  version: e.version,
  createdAt: toIso(e.createdAt),
  updatedAt: toIso(e.updatedAt),
});
