import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { MatrixQuery, MatrixView, MetricsQuery, MetricsView } from '@parley/contracts';
import { Access } from '../common/access';
import { Returns } from '../common/api-responses';
import { Input } from '../common/validation';
import { MatrixService } from './matrix.service';

@ApiTags('matrix')
@Controller('negotiations/:negotiationId')
@Access('read')
export class MatrixController {
  constructor(private readonly matrix: MatrixService) {}

  @Get('matrix')
  @ApiOperation({
    summary: 'Points × parties: the stance in force in each cell, its version and source',
    description:
      'asOf: as the sources say it was at that time. knownAt: as Parley knew it at that time (retractions recorded later are ignored). Both together give the bitemporal view. A day (YYYY-MM-DD) means the end of that day, UTC.',
  })
  @Input({ query: MatrixQuery })
  @Returns(200, MatrixView, 'The matrix with a summary (agreed, blocked, spread, silent parties) per point')
  get(@Param('negotiationId') negotiationId: string, @Query() query: MatrixQuery): Promise<MatrixView> {
    return this.matrix.matrix(negotiationId, query);
  }

  @Get('metrics')
  @ApiOperation({
    summary: 'Agreement, blocking and spread per point, distances between parties, and the convergence series',
    description: 'The series has one entry per day (or week) from `from` (default: the first stance) to `to` (default: asOf or now).',
  })
  @Input({ query: MetricsQuery })
  @Returns(200, MetricsView, 'The metrics')
  metrics(@Param('negotiationId') negotiationId: string, @Query() query: MetricsQuery): Promise<MetricsView> {
    return this.matrix.metrics(negotiationId, query);
  }
}
