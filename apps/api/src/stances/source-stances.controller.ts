import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { SourceStancesPage, SourceStancesQuery } from '@parley/contracts';
import { Access } from '../common/access';
import { Returns } from '../common/api-responses';
import { Input } from '../common/validation';
import { SourceStancesService } from './source-stances.service';

@ApiTags('sources')
@Controller('negotiations/:negotiationId/sources/:sourceId/stances')
@Access('read')
export class SourceStancesController {
  constructor(private readonly sources: SourceStancesService) {}

  @Get()
  @ApiOperation({ summary: 'Every stance event citing this source, newest recorded first (retracted ones too, with their retraction), paged by beforeSeq' })
  @Input({ query: SourceStancesQuery })
  @Returns(200, SourceStancesPage, 'A page of stance events')
  list(@Param('negotiationId') negotiationId: string, @Param('sourceId') sourceId: string, @Query() query: SourceStancesQuery): Promise<SourceStancesPage> {
    return this.sources.citing(negotiationId, sourceId, query);
  }
}
