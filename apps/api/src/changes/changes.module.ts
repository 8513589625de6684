import { Global, Module } from '@nestjs/common';
import { ChangeLog } from './change-log.service';
import { PlanVersions } from './plan-versions.service';
import { ReviewLog } from './review-log.service';

/**
 * The negotiations' change log, which every feature records into, and the staff stream of proposal
 * events beside it, and the plan's history (`PlanVersions`) (global: imported once, by AppModule).
 */
@Global()
@Module({ providers: [ChangeLog, ReviewLog, PlanVersions], exports: [ChangeLog, ReviewLog, PlanVersions] })
export class ChangesModule {}
