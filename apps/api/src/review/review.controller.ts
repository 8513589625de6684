import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Proposal, ProposalPage, ProposalQuery } from '@parley/contracts';
import { Access } from '../common/access';
import { Returns } from '../common/api-responses';
import { Input } from '../common/validation';
import { ReviewService } from './review.service';

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
}
