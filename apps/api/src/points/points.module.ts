import { Module } from '@nestjs/common';
import { NegotiationsModule } from '../negotiations/negotiations.module';
import { PointsController } from './points.controller';
import { PointsService } from './points.service';

@Module({ imports: [NegotiationsModule], controllers: [PointsController], providers: [PointsService], exports: [PointsService] })
export class PointsModule {}
