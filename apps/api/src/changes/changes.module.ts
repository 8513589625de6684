import { Global, Module } from '@nestjs/common';
import { ChangeLog } from './change-log.service';
import { ReviewLog } from './review-log.service';

/**
 * The negotiations' change log, which every feature records into, and the staff stream of proposal
 * events beside it (global: imported once, by AppModule).
 */
@Global()
@Module({ providers: [ChangeLog, ReviewLog], exports: [ChangeLog, ReviewLog] })
export class ChangesModule {}
