import { Module } from '@nestjs/common';
import { DocumentsModule } from '../documents/documents.module';
import { MatrixModule } from '../matrix/matrix.module';
import { MilestonesModule } from '../milestones/milestones.module';
import { NegotiationsModule } from '../negotiations/negotiations.module';
import { PartiesModule } from '../parties/parties.module';
import { PointsModule } from '../points/points.module';
import { StancesModule } from '../stances/stances.module';
import { ReviewLogExport } from './review-log';
import { DumpWriter } from './dump/dump-writer';
import { ExportsController } from './exports.controller';
import { ExportRunner } from './export-runner';
import { ExportsService } from './exports.service';

@Module({
  imports: [NegotiationsModule, PartiesModule, PointsModule, DocumentsModule, MilestonesModule, StancesModule, MatrixModule],
  controllers: [ExportsController],
  providers: [ExportsService, DumpWriter, ExportRunner, ReviewLogExport],
  exports: [ExportsService, DumpWriter, ExportRunner],
})
export class ExportsModule {}
