import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CarryStancesInput, CarryStancesResult } from '@parley/contracts';
import type { FastifyReply } from 'fastify';
import { Access } from '../common/access';
import { Returns } from '../common/api-responses';
import { Author } from '../common/author.decorator';
import { Input } from '../common/validation';
import { TakesRefs } from '../refs/refs.guard';
import { CarryStancesService } from './carry-stances.service';

@ApiTags('points')
@Controller('negotiations/:negotiationId/points/:pointId')
@Access('analyst')
export class LineageController {
  constructor(private readonly carrying: CarryStancesService) {}

  @Post('carry-stances')
  @ApiOperation({
    summary: "Carry the derivedFrom parents' current stances to a split or merged point",
    description:
      "Per party (all, or `parties`): the parents' stances in force now are the candidates. One candidate, or several with one position, is carried (the latest); when the parents' positions differ the analyst chooses a parent per party (`choices`), else 409 with the plan and nothing written. A party that already has a stance on the point, or an open proposal there, is skipped. The carried stance cites the parent's source and notes 'Carried from <code>'. `dryRun`: the plan only (200). Under review policy `required` each becomes a proposal (status proposed). All or nothing, in one transaction.",
  })
  @Input({ body: CarryStancesInput })
  @TakesRefs({ body: { 'parties.*': 'party', 'choices.*.partyId': 'party', 'choices.*.fromPointId': 'point' } })
  @Returns(201, CarryStancesResult, 'Carried (recorded, or proposed under review); skipped parties say why', [400, 404, 409])
  @Returns(200, CarryStancesResult, 'dryRun: the plan, nothing written', [])
  async carry(
    @Param('negotiationId') negotiationId: string,
    @Param('pointId') pointId: string,
    @Body() body: CarryStancesInput,
    @Author() author: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CarryStancesResult> {
    const result = await this.carrying.carry(negotiationId, pointId, body, author);
    reply.status(result.dryRun ? 200 : 201);
    return result;
  }
}
