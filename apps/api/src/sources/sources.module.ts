import { Module } from '@nestjs/common';
import { NegotiationsModule } from '../negotiations/negotiations.module';
import { ArchivesController } from './archives.controller';
import { ArchivesService } from './archives.service';
import { SourcesController } from './sources.controller';
import { SourcesService } from './sources.service';

@Module({ imports: [NegotiationsModule], controllers: [SourcesController, ArchivesController], providers: [SourcesService, ArchivesService], exports: [SourcesService, ArchivesService] })
export class SourcesModule {}
