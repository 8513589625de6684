import type { ApiToken, User } from '@parley/contracts';
import { toIso, toIsoOrNull } from '@parley/domain';
import type { ApiTokenEntity, UserEntity } from './auth.entities';

/** The public view of a user: never the password hash. */
export const toUser = (u: UserEntity): User => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  disabled: u.disabledAt !== null,
  createdAt: toIso(u.createdAt),
  updatedAt: toIso(u.updatedAt),
});

export const toApiToken = (t: ApiTokenEntity): ApiToken => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  createdAt: toIso(t.createdAt),
  expiresAt: toIsoOrNull(t.expiresAt),
  lastUsedAt: toIsoOrNull(t.lastUsedAt),
  revokedAt: toIsoOrNull(t.revokedAt),
});
