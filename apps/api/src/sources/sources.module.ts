import { Module } from '@nestjs/common';
import { NegotiationsModule } from '../negotiations/negotiations.module';
import { SourcesController } from './sources.controller';
import { SourcesService } from './sources.service';

@Module({ imports: [NegotiationsModule], controllers: [SourcesController], providers: [SourcesService], exports: [SourcesService] })
export class SourcesModule {}
