import { Module } from '@nestjs/common';
import { NegotiationsModule } from '../negotiations/negotiations.module';
import { StancesModule } from '../stances/stances.module';
import { ReviewController } from './review.controller';
import { ReviewService } from './review.service';

/** Review before publish (issue 17): proposals, decisions, the staff stream. */
@Module({ imports: [NegotiationsModule, StancesModule], controllers: [ReviewController], providers: [ReviewService], exports: [ReviewService] })
export class ReviewModule {}
