import { Module } from '@nestjs/common';
import { NegotiationsModule } from '../negotiations/negotiations.module';
import { ShareLinksController } from './share-links.controller';
import { ShareLinksService } from './share-links.service';

@Module({ imports: [NegotiationsModule], controllers: [ShareLinksController], providers: [ShareLinksService] })
export class ShareLinksModule {}
