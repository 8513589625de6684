import { Global, Module } from '@nestjs/common';
import { ChangeLog } from './change-log.service';

/** The negotiations' change log, which every feature records into (global: imported once, by AppModule). */
@Global()
@Module({ providers: [ChangeLog], exports: [ChangeLog] })
export class ChangesModule {}
