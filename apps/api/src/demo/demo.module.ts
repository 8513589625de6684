import { Module } from '@nestjs/common';
import { DocumentsModule } from '../documents/documents.module';
import { MilestonesModule } from '../milestones/milestones.module';
import { NegotiationsModule } from '../negotiations/negotiations.module';
import { PartiesModule } from '../parties/parties.module';
import { PointsModule } from '../points/points.module';
import { SourcesModule } from '../sources/sources.module';
import { StancesModule } from '../stances/stances.module';
import { DemoLoader } from './demo-loader.service';

@Module({
  imports: [NegotiationsModule, PartiesModule, PointsModule, DocumentsModule, MilestonesModule, StancesModule, SourcesModule],
  providers: [DemoLoader],
  exports: [DemoLoader],
})
export class DemoModule {}
