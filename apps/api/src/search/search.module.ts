import { Module } from '@nestjs/common';
import { NegotiationsModule } from '../negotiations/negotiations.module';
import { SearchController } from './search.controller';
import { SearchService } from './search.service';

@Module({ imports: [NegotiationsModule], controllers: [SearchController], providers: [SearchService] })
export class SearchModule {}
