import { Module } from '@nestjs/common';
import { ExportsModule } from '../exports/exports.module';
import { NegotiationsModule } from '../negotiations/negotiations.module';
import { PartiesModule } from '../parties/parties.module';
import { PointsModule } from '../points/points.module';
import { StancesModule } from '../stances/stances.module';
import { CsvImportService } from './csv-import.service';
import { DumpImporter } from './dump-importer';
import { ImportsController } from './imports.controller';

/** Imports: a negotiation dump (checked, then written with its ids and history) and CSV rows into a negotiation. */
@Module({
  imports: [ExportsModule, NegotiationsModule, PartiesModule, PointsModule, StancesModule],
  controllers: [ImportsController],
  providers: [DumpImporter, CsvImportService],
  exports: [DumpImporter, CsvImportService],
})
export class ImportsModule {}
