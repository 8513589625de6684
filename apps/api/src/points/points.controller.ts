import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { PlanQuery, Point, PointCreate, PointPatch } from '@parley/contracts';
import { z } from 'zod';
import { Access } from '../common/access';
import { Returns } from '../common/api-responses';
import { Author } from '../common/author.decorator';
import { Input } from '../common/validation';
import { PointsService } from './points.service';
import { TakesRefs } from '../refs/refs.guard';

@ApiTags('points')
@Controller('negotiations/:negotiationId/points')
@Access('read')
export class PointsController {
  constructor(private readonly points: PointsService) {}

  @Get()
  @ApiOperation({ summary: 'List the points (stable topics) with their lineage; with asOf/knownAt, as they were (only those tabled by then)' })
  @Input({ query: PlanQuery })
  @Returns(200, z.array(Point), 'Points', [400, 404])
  list(@Param('negotiationId') negotiationId: string, @Query() query: PlanQuery): Promise<Point[]> {
    return this.points.list(negotiationId, query);
  }

  @Post()
  @HttpCode(201)
  @Access('analyst')
  @ApiOperation({ summary: 'Add a point' })
  @Input({ body: PointCreate })
  @TakesRefs({ body: { 'derivedFrom.*.pointId': 'point' } })
  @Returns(201, Point, 'Created', [400, 404, 409])
  create(@Param('negotiationId') negotiationId: string, @Body() body: PointCreate, @Author() author: string): Promise<Point> {
    return this.points.create(negotiationId, body, author);
  }

  @Get(':pointId')
  @ApiOperation({ summary: 'Get a point; with asOf/knownAt, as it was (404 if not yet tabled)' })
  @Input({ query: PlanQuery })
  @Returns(200, Point, 'The point', [400, 404])
  get(@Param('negotiationId') negotiationId: string, @Param('pointId') pointId: string, @Query() query: PlanQuery): Promise<Point> {
    return this.points.get(negotiationId, pointId, query);
  }

  @Patch(':pointId')
  @Access('analyst')
  @ApiOperation({ summary: 'Change a point; `derivedFrom` replaces its lineage' })
  @Input({ body: PointPatch })
  @TakesRefs({ body: { 'derivedFrom.*.pointId': 'point' } })
  @Returns(200, Point, 'Updated', [400, 404, 409])
  update(
    @Param('negotiationId') negotiationId: string,
    @Param('pointId') pointId: string,
    @Body() body: PointPatch,
    @Author() author: string,
  ): Promise<Point> {
    return this.points.update(negotiationId, pointId, body, author);
  }
}
