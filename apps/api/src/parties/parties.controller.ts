import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Party, PartyCreate, PartyPatch, PlanQuery } from '@parley/contracts';
import { z } from 'zod';
import { Access } from '../common/access';
import { Returns } from '../common/api-responses';
import { Author } from '../common/author.decorator';
import { Input } from '../common/validation';
import { PartiesService } from './parties.service';
import { TakesRefs } from '../refs/refs.guard';

@ApiTags('parties')
@Controller('negotiations/:negotiationId/parties')
@Access('read')
export class PartiesController {
  constructor(private readonly parties: PartiesService) {}

  @Get()
  @ApiOperation({ summary: 'List the parties with their actors; with asOf/knownAt, as they were (only those created by then)' })
  @Input({ query: PlanQuery })
  @Returns(200, z.array(Party), 'Parties', [400, 404])
  list(@Param('negotiationId') negotiationId: string, @Query() query: PlanQuery): Promise<Party[]> {
    return this.parties.list(negotiationId, query);
  }

  @Post()
  @HttpCode(201)
  @Access('analyst')
  @ApiOperation({ summary: 'Add a party' })
  @Input({ body: PartyCreate })
  @TakesRefs({ body: { parentId: 'party' } })
  @Returns(201, Party, 'Created', [400, 404, 409])
  create(@Param('negotiationId') negotiationId: string, @Body() body: PartyCreate, @Author() author: string): Promise<Party> {
    return this.parties.create(negotiationId, body, author);
  }

  @Get(':partyId')
  @ApiOperation({ summary: 'Get a party; with asOf/knownAt, as it was (404 if not yet created)' })
  @Input({ query: PlanQuery })
  @Returns(200, Party, 'The party', [400, 404])
  get(@Param('negotiationId') negotiationId: string, @Param('partyId') partyId: string, @Query() query: PlanQuery): Promise<Party> {
    return this.parties.get(negotiationId, partyId, query);
  }

  @Patch(':partyId')
  @Access('analyst')
  @ApiOperation({ summary: 'Change a party; `actors` replaces the active actors (left-out ones are retired)' })
  @Input({ body: PartyPatch })
  @TakesRefs({ body: { parentId: 'party' } })
  @Returns(200, Party, 'Updated', [400, 404, 409])
  update(
    @Param('negotiationId') negotiationId: string,
    @Param('partyId') partyId: string,
    @Body() body: PartyPatch,
    @Author() author: string,
  ): Promise<Party> {
    return this.parties.update(negotiationId, partyId, body, author);
  }
}
