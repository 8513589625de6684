import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Proposal, ProposalDecisionInput, ProposalDecisionResult, ProposalEdit, ProposalPage, ProposalQuery } from '@parley/contracts';
import { Author } from '../common/author.decorator';
import { Access } from '../common/access';
import { Returns } from '../common/api-responses';
import { Input } from '../common/validation';
import { ReviewService } from './review.service';
import { TakesRefs } from '../refs/refs.guard';
import { stanceRefs } from '../stances/stance-refs';

/** The review queue: analysts and admins only (a viewer or a share link never sees a proposal). */
@ApiTags('review')
@Controller('negotiations/:negotiationId/proposals')
@Access('analyst')
export class ReviewController {
  constructor(private readonly review: ReviewService) {}

  @Get()
  @ApiOperation({ summary: 'Proposals waiting for (or given) a decision, newest first; filters by status, author, party, point' })
  @Input({ query: ProposalQuery })
  @Returns(200, ProposalPage, 'A page of proposals', [400, 404])
  list(@Param('negotiationId') negotiationId: string, @Query() query: ProposalQuery): Promise<ProposalPage> {
    return this.review.list(negotiationId, query);
  }

  @Get(':proposalId')
  @ApiOperation({ summary: 'One proposal, with its latest decision (a rejection’s reason, a request for changes’ note)' })
  @Returns(200, Proposal, 'The proposal', [404])
  get(@Param('negotiationId') negotiationId: string, @Param('proposalId') proposalId: string): Promise<Proposal> {
    return this.review.get(negotiationId, proposalId);
  }

  @Patch(':proposalId')
  @ApiOperation({ summary: 'The author edits their proposal (after a request for changes, or while open): the whole new stance, or a retraction’s reason; it is open again' })
  @Input({ body: ProposalEdit })
  @TakesRefs({ body: stanceRefs('stance.') })
  @Returns(200, Proposal, 'The proposal after the edit', [400, 403, 404, 409])
  edit(@Param('negotiationId') negotiationId: string, @Param('proposalId') proposalId: string, @Body() body: ProposalEdit, @Author() author: string): Promise<Proposal> {
    return this.review.edit(negotiationId, proposalId, body, author);
  }

  @Post(':proposalId/decision')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Approve (publish: the next seq, recorded now, recordedBy the author, approvedBy you), reject (note: the reason) or ask for changes (note). Never your own proposal (403). 409 REVIEW_CONFLICT with both versions when the cell changed since the proposal’s base: approve again with rebase: true (or baseVersion), or reject',
  })
  @Input({ body: ProposalDecisionInput })
  @Returns(200, ProposalDecisionResult, 'Decided: the proposal, and on approval the change published. A 409 REVIEW_CONFLICT carries `current`: { proposal, cell } (ReviewConflict); ALREADY_DECIDED: someone decided first', [400, 403, 404, 409])
  decideOn(
    @Param('negotiationId') negotiationId: string,
    @Param('proposalId') proposalId: string,
    @Body() body: ProposalDecisionInput,
    @Author() reviewer: string,
  ): Promise<ProposalDecisionResult> {
    return this.review.decide(negotiationId, proposalId, body, reviewer);
  }
}
