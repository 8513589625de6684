import type { EntityList } from './database/data-source-options';
import { AuditEntity } from './audit/audit.entity';
import { ApiTokenEntity, LoginFailureEntity, SessionEntity, UserEntity } from './auth/auth.entities';
import { SourceEntity } from './sources/source.entity';
import { SourceArchiveEntity } from './sources/source-archive.entity';
import { ShareLinkEntity } from './share-links/share-link.entity';
import { ChangeEntity } from './changes/change.entity';
import { PlanVersionEntity } from './changes/plan-version.entity';
import { DocumentEntity, ProvisionEntity } from './documents/document.entity';
import { MilestoneEntity } from './milestones/milestone.entity';
import { NegotiationEntity } from './negotiations/negotiation.entity';
import { ActorEntity, PartyEntity } from './parties/party.entity';
import { PointEntity, PointLineageEntity } from './points/point.entity';
import { ProposalEntity } from './review/proposal.entity';
import {
  CurrentStanceEntity,
  IdempotencyKeyEntity,
  StanceEventEntity,
  StanceRetractionEntity,
} from './stances/stance.entities';

/**
 * Every feature's tables, assembled here at the top so that database/ imports no feature: whoever
 * opens the database (bootstrap, the CLI, backups, tests) hands this list to `Db.open`.
 */
export const ENTITIES: EntityList = [
  NegotiationEntity,
  PartyEntity,
  ActorEntity,
  PointEntity,
  PointLineageEntity,
  DocumentEntity,
  ProvisionEntity,
  MilestoneEntity,
  SourceEntity,
  SourceArchiveEntity,
  StanceEventEntity,
  StanceRetractionEntity,
  CurrentStanceEntity,
  IdempotencyKeyEntity,
  ChangeEntity,
  PlanVersionEntity,
  UserEntity,
  SessionEntity,
  ApiTokenEntity,
  ShareLinkEntity,
  AuditEntity,
  LoginFailureEntity,
  ProposalEntity,
];
