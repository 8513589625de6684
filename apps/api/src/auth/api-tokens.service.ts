import { Injectable } from '@nestjs/common';
import type { ApiToken, ApiTokenCreate, ApiTokenCreated } from '@parley/contracts';
import { parseBound } from '@parley/domain';
import { AuditLog } from '../audit/audit.service';
import { AccessEvents } from '../common/access-events';
import { notFound } from '../common/app-error';
import { randomToken, sha256 } from '../common/crypto';
import { isUuid, newId } from '../common/ids';
import type { Principal } from '../common/principal';
import { Db } from '../database/db.service';
import { ApiTokenEntity, UserEntity } from './auth.entities';
import { toApiToken } from './user.mapper';

/** API tokens for scripts: a user's own, and an admin's view of anyone's (see UsersService). */
@Injectable()
export class ApiTokensService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly accessEvents: AccessEvents,
  ) {}

  async listTokens(userId: string): Promise<ApiToken[]> {
    const rows = await this.db.read.find(ApiTokenEntity, { where: { userId }, order: { createdAt: 'DESC' } });
    return rows.map(toApiToken);
  }

  async createToken(principal: Principal & { kind: 'user' }, input: ApiTokenCreate): Promise<ApiTokenCreated> {
    const token = randomToken('plt');
    const row: ApiTokenEntity = {
      id: newId(),
      userId: principal.userId,
      name: input.name,
      tokenHash: sha256(token),
      prefix: token.slice(0, 12),
      createdAt: Date.now(),
      expiresAt: input.expiresAt ? parseBound(input.expiresAt) : null,
      lastUsedAt: null,
      revokedAt: null,
    };
    await this.db.write(async (tx) => {
      await tx.manager.insert(ApiTokenEntity, row);
      await this.audit.record(tx.manager, { actor: principal.email, action: 'api_token.created', entityType: 'api_token', entityId: row.id, after: toApiToken(row) });
    });
    return { ...toApiToken(row), token };
  }

  /**
   * Revokes one token of `userId` (the caller's own, or any user's for an admin): a token of another
   * user is answered as an unknown one (404), so a path cannot be used to probe ids.
   */
  async revokeToken(userId: string, tokenId: string, actor: string): Promise<ApiToken> {
    return this.db.write(async (tx) => {
      if (!isUuid(userId) || !(await tx.manager.existsBy(UserEntity, { id: userId }))) throw notFound('User', userId);
      const row = isUuid(tokenId) ? await tx.manager.findOneBy(ApiTokenEntity, { id: tokenId, userId }) : null;
      if (!row) throw notFound('API token', tokenId);
      if (row.revokedAt !== null) return toApiToken(row);
      const revoked = { ...row, revokedAt: Date.now() };
      await tx.manager.update(ApiTokenEntity, { id: row.id }, { revokedAt: revoked.revokedAt });
      await this.audit.record(tx.manager, {
        actor,
        action: 'api_token.revoked',
        entityType: 'api_token',
        entityId: row.id,
        before: toApiToken(row),
        after: { ...toApiToken(revoked), userId },
      });
      tx.afterCommit(() => this.accessEvents.publish({ kind: 'api-token', tokenId: row.id }));
      return toApiToken(revoked);
    });
  }
}
