import type { PlanDocument } from '@parley/contracts';
import { toIso } from '@parley/domain';
import { slugify } from '../common/ids';
import type { DocumentEntity, ProvisionEntity } from './document.entity';

/** The code a document gets when none is given: a slug of its short title ("US 28-point draft" → "us-28-point-draft"). */
export const derivedDocumentCode = (shortTitle: string): string => (/[A-Za-z0-9]/.test(shortTitle) ? slugify(shortTitle, 24) : 'doc');

/** A document's own fields, in the order both the API's PlanDocument and the dump's document write them. */
export const documentFields = (d: DocumentEntity) => ({
  code: d.code,
  title: d.title,
  shortTitle: d.shortTitle,
  authorPartyId: d.authorPartyId,
  publishedAt: toIso(d.publishedAt),
  publishedPrecision: d.publishedPrecision,
  description: d.description,
  sourceUrl: d.sourceUrl,
});

export const toDocument = (d: DocumentEntity, provisions: ProvisionEntity[]): PlanDocument => ({
  id: d.id,
  negotiationId: d.negotiationId,
  ...documentFields(d),
  provisions: provisions
    .filter((p) => p.documentId === d.id)
    .sort((a, b) => a.sortOrder - b.sortOrder)
    .map((p) => ({ pointId: p.pointId, number: p.number, text: p.text })),
  version: d.version,
  createdAt: toIso(d.createdAt),
  updatedAt: toIso(d.updatedAt),
});
