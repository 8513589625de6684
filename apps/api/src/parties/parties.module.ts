import { Module } from '@nestjs/common';
import { NegotiationsModule } from '../negotiations/negotiations.module';
import { PartiesController } from './parties.controller';
import { PartiesService } from './parties.service';

@Module({ imports: [NegotiationsModule], controllers: [PartiesController], providers: [PartiesService], exports: [PartiesService] })
export class PartiesModule {}
