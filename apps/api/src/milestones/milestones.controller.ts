import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Milestone, MilestoneCreate, MilestonePatch } from '@parley/contracts';
import { z } from 'zod';
import { Access } from '../common/access';
import { Returns } from '../common/api-responses';
import { Author } from '../common/author.decorator';
import { Input } from '../common/validation';
import { MilestonesService } from './milestones.service';
import { TakesRefs } from '../refs/refs.guard';

@ApiTags('milestones')
@Controller('negotiations/:negotiationId/milestones')
@Access('read')
export class MilestonesController {
  constructor(private readonly milestones: MilestonesService) {}

  @Get()
  @ApiOperation({ summary: 'List the milestones (meetings, deadlines, leaks, statements) by date' })
  @Returns(200, z.array(Milestone), 'Milestones', [404])
  list(@Param('negotiationId') negotiationId: string): Promise<Milestone[]> {
    return this.milestones.list(negotiationId);
  }

  @Post()
  @HttpCode(201)
  @Access('analyst')
  @ApiOperation({ summary: 'Add a milestone' })
  @Input({ body: MilestoneCreate })
  @TakesRefs({ body: { 'partyIds.*': 'party' } })
  @Returns(201, Milestone, 'Created', [400, 404])
  create(@Param('negotiationId') negotiationId: string, @Body() body: MilestoneCreate, @Author() author: string): Promise<Milestone> {
    return this.milestones.create(negotiationId, body, author);
  }

  @Get(':milestoneId')
  @ApiOperation({ summary: 'Get a milestone' })
  @Returns(200, Milestone, 'The milestone', [404])
  get(@Param('negotiationId') negotiationId: string, @Param('milestoneId') milestoneId: string): Promise<Milestone> {
    return this.milestones.get(negotiationId, milestoneId);
  }

  @Patch(':milestoneId')
  @Access('analyst')
  @ApiOperation({ summary: 'Change a milestone' })
  @Input({ body: MilestonePatch })
  @TakesRefs({ body: { 'partyIds.*': 'party' } })
  @Returns(200, Milestone, 'Updated', [400, 404, 409])
  update(
    @Param('negotiationId') negotiationId: string,
    @Param('milestoneId') milestoneId: string,
    @Body() body: MilestonePatch,
    @Author() author: string,
  ): Promise<Milestone> {
    return this.milestones.update(negotiationId, milestoneId, body, author);
  }
}
