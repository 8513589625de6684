import { Module } from '@nestjs/common';
import { ChangeLog } from '../changes/change-log.service';
import { NegotiationsModule } from '../negotiations/negotiations.module';
import { SourceStancesController } from './source-stances.controller';
import { SourceStancesService } from './source-stances.service';
import { StancesController } from './stances.controller';
import { StancesService } from './stances.service';
import { RECORDED_STANCE_FORM } from './stance-log';

@Module({ imports: [NegotiationsModule], controllers: [StancesController, SourceStancesController], providers: [StancesService, SourceStancesService], exports: [StancesService] })
export class StancesModule {
  /** A recorded stance is logged as references to its events (see stance-row.ts). */
  constructor(changes: ChangeLog) {
    changes.keepAs(RECORDED_STANCE_FORM);
  }
}
