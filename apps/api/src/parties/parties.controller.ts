import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Party, PartyCreate, PartyPatch } from '@parley/contracts';
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
  @ApiOperation({ summary: 'List the parties with their actors' })
  @Returns(200, z.array(Party), 'Parties', [404])
  list(@Param('negotiationId') negotiationId: string): Promise<Party[]> {
    return this.parties.list(negotiationId);
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
  @ApiOperation({ summary: 'Get a party' })
  @Returns(200, Party, 'The party', [404])
  get(@Param('negotiationId') negotiationId: string, @Param('partyId') partyId: string): Promise<Party> {
    return this.parties.get(negotiationId, partyId);
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
