import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Source, SourceCreate, SourceDetail, SourcePatch } from '@parley/contracts';
import { z } from 'zod';
import { Access } from '../common/access';
import { Returns } from '../common/api-responses';
import { Author } from '../common/author.decorator';
import { Input } from '../common/validation';
import { SourcesService } from './sources.service';

@ApiTags('sources')
@Controller('negotiations/:negotiationId/sources')
@Access('read')
export class SourcesController {
  constructor(private readonly sources: SourcesService) {}

  @Get()
  @ApiOperation({ summary: 'List the sources (statements, interviews, reports, documents) stances cite, oldest first, each with the number of stance events citing it' })
  @Returns(200, z.array(SourceDetail), 'Sources', [404])
  list(@Param('negotiationId') negotiationId: string): Promise<SourceDetail[]> {
    return this.sources.list(negotiationId);
  }

  @Post()
  @HttpCode(201)
  @Access('analyst')
  @ApiOperation({ summary: 'Add a source; 409 with the existing source when one has the same URL' })
  @Input({ body: SourceCreate })
  @Returns(201, Source, 'Created', [400, 404, 409])
  create(@Param('negotiationId') negotiationId: string, @Body() body: SourceCreate, @Author() author: string): Promise<Source> {
    return this.sources.create(negotiationId, body, author);
  }

  @Get(':sourceId')
  @ApiOperation({ summary: 'Get a source, with the number of stance events citing it' })
  @Returns(200, SourceDetail, 'The source', [404])
  get(@Param('negotiationId') negotiationId: string, @Param('sourceId') sourceId: string): Promise<SourceDetail> {
    return this.sources.get(negotiationId, sourceId);
  }

  @Patch(':sourceId')
  @Access('analyst')
  @ApiOperation({ summary: 'Correct a source: every stance citing it shows the change. There is no DELETE: stances cite sources.' })
  @Input({ body: SourcePatch })
  @Returns(200, Source, 'Updated', [400, 404, 409])
  update(
    @Param('negotiationId') negotiationId: string,
    @Param('sourceId') sourceId: string,
    @Body() body: SourcePatch,
    @Author() author: string,
  ): Promise<Source> {
    return this.sources.update(negotiationId, sourceId, body, author);
  }
}
