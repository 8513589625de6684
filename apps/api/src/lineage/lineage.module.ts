import { Module } from '@nestjs/common';
import { NegotiationsModule } from '../negotiations/negotiations.module';
import { ReviewModule } from '../review/review.module';
import { StancesModule } from '../stances/stances.module';
import { CarryStancesService } from './carry-stances.service';
import { LineageController } from './lineage.controller';

/** Lineage that carries (issue 18, item 6): a split or merged point takes over its parents' stances. */
@Module({ imports: [NegotiationsModule, StancesModule, ReviewModule], controllers: [LineageController], providers: [CarryStancesService] })
export class LineageModule {}
