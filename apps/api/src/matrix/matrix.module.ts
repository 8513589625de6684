import { Module } from '@nestjs/common';
import { DocumentsModule } from '../documents/documents.module';
import { NegotiationsModule } from '../negotiations/negotiations.module';
import { PartiesModule } from '../parties/parties.module';
import { PointsModule } from '../points/points.module';
import { MatrixController } from './matrix.controller';
import { MatrixService } from './matrix.service';
import { StanceIndexes } from './stance-indexes.service';

@Module({
  imports: [NegotiationsModule, PartiesModule, PointsModule, DocumentsModule],
  controllers: [MatrixController],
  providers: [MatrixService, StanceIndexes],
  exports: [MatrixService, StanceIndexes],
})
export class MatrixModule {}
