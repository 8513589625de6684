import type { SearchHit } from '@parley/contracts';
import type { DashboardParams } from '../../shared/url-state';

const day = (iso: string) => iso.slice(0, 10);

/**
 * Where a hit opens, as URL state: a stance opens its cell's point drawer at the day it took effect
 * (so the matrix shows it in force, unless it was retracted or overtaken); a point its drawer at
 * the date shown; a provision its point in its document's numbering at the document's date; a
 * source, or an archived copy's text, that source's panel (`?source=`: every stance citing it, its
 * archived copy) over the view shown; the link can be shared and Back closes it. A proposal (staff
 * only) opens the review queue on it.
 */
export function hitTarget(hit: SearchHit): Partial<DashboardParams> {
  switch (hit.kind) {
    case 'stance':
      return { view: 'matrix', point: hit.stance.pointId, asOf: day(hit.stance.effectiveAt) };
    case 'point':
      return { view: 'matrix', point: hit.point.id };
    case 'provision':
      return { view: 'matrix', point: hit.provision.pointId, doc: hit.provision.documentId, asOf: day(hit.provision.publishedAt) };
    case 'source':
    case 'archive':
      return { source: hit.source.id };
    case 'proposal':
      return { view: 'review', proposal: hit.proposal.id, point: null, milestone: null };
  }
}

/** What a hit belongs to, in one line. */
export function hitLabel(hit: SearchHit): string {
  switch (hit.kind) {
    case 'stance':
      return `${hit.stance.partyName} on ${hit.stance.pointCode} ${hit.stance.pointTitle} · ${day(hit.stance.effectiveAt)}${hit.stance.retracted ? ' · retracted' : ''}`;
    case 'point':
      return `Point ${hit.point.code} ${hit.point.title}`;
    case 'provision':
      return `${hit.provision.documentTitle} § ${hit.provision.number} (point ${hit.provision.pointCode}) · ${day(hit.provision.publishedAt)}`;
    case 'source':
      return `Source: ${[hit.source.outlet, hit.source.title].filter(Boolean).join(' — ') || 'untitled'}${hit.source.publishedAt ? ` · ${day(hit.source.publishedAt)}` : ''}`;
    case 'archive':
      return `Archived copy of ${[hit.source.outlet, hit.source.title].filter(Boolean).join(' — ') || 'a source'} · archived ${day(hit.archive.archivedAt)}`;
    case 'proposal':
      return `${hit.proposal.kind === 'retraction' ? 'Retraction' : 'Stance'} proposed by ${hit.proposal.author} · ${hit.proposal.partyName} on ${hit.proposal.pointCode} ${hit.proposal.pointTitle} · ${hit.proposal.status === 'open' ? 'pending' : 'changes requested'}`;
  }
}
