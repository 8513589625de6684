import type { Party } from '@parley/contracts';
import { toIso } from '@parley/domain';
import type { ActorEntity, PartyEntity } from './party.entity';

/** A party's own fields, in the order both the API's Party and the dump's party write them. */
export const partyFields = (p: PartyEntity) => ({
  code: p.code,
  name: p.name,
  kind: p.kind,
  color: p.color,
  parentId: p.parentId,
  description: p.description,
  sortOrder: p.sortOrder,
});

export const toParty = (p: PartyEntity, actors: ActorEntity[]): Party => ({
  id: p.id,
  negotiationId: p.negotiationId,
  ...partyFields(p),
  actors: actors
    .filter((a) => a.partyId === p.id)
    .sort((a, b) => a.sortOrder - b.sortOrder)
    .map((a) => ({ id: a.id, name: a.name, role: a.role, retired: a.retiredAt !== null })),
  version: p.version,
  createdAt: toIso(p.createdAt),
  updatedAt: toIso(p.updatedAt),
});
