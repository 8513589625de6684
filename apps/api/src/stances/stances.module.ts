import { Module } from '@nestjs/common';
import { NegotiationsModule } from '../negotiations/negotiations.module';
import { StancesController } from './stances.controller';
import { StancesService } from './stances.service';

@Module({ imports: [NegotiationsModule], controllers: [StancesController], providers: [StancesService], exports: [StancesService] })
export class StancesModule {}
