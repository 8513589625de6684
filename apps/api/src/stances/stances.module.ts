import { Module } from '@nestjs/common';
import { ChangeLog } from '../changes/change-log.service';
import { NegotiationsModule } from '../negotiations/negotiations.module';
import { SourceStancesController } from './source-stances.controller';
import { SourceStancesService } from './source-stances.service';
import { StancesController } from './stances.controller';
import { StancesService } from './stances.service';
import type { StoredForm } from '../changes/change-log.service';
import { rebuildRecorded, storedForm } from './stance-log';

/** The change log keeps a recorded stance as references to its events (stance-row.ts), rebuilt when read (stance-log.ts). */
const RECORDED_STANCE_FORM: StoredForm = { kind: 'stance.recorded', store: (data) => storedForm('stance.recorded', data), rebuild: rebuildRecorded };

@Module({ imports: [NegotiationsModule], controllers: [StancesController, SourceStancesController], providers: [StancesService, SourceStancesService], exports: [StancesService] })
export class StancesModule {
  constructor(changes: ChangeLog) {
    changes.keepAs(RECORDED_STANCE_FORM);
  }
}
