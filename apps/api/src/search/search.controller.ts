import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { SearchQuery, SearchResult } from '@parley/contracts';
import { Access } from '../common/access';
import { CurrentPrincipal } from '../common/author.decorator';
import type { Principal } from '../common/principal';
import { Returns } from '../common/api-responses';
import { Input } from '../common/validation';
import { SearchService } from './search.service';

@ApiTags('search')
@Controller('negotiations/:negotiationId/search')
@Access('read')
export class SearchController {
  constructor(private readonly searches: SearchService) {}

  @Get()
  @ApiOperation({
    summary:
      'Search the quotes (original and translation), notes, points, provisions and sources of a negotiation; ranked hits with marked snippets. Analysts and admins also find the proposals waiting for a decision (kind `proposal`: review before publish); viewers and share links never do',
  })
  @Input({ query: SearchQuery })
  @Returns(200, SearchResult, 'Ranked hits', [400, 404])
  search(@Param('negotiationId') negotiationId: string, @Query() query: SearchQuery, @CurrentPrincipal() principal: Principal | null): Promise<SearchResult> {
    const staff = principal?.kind === 'user' && (principal.role === 'analyst' || principal.role === 'admin');
    return this.searches.search(negotiationId, query, staff);
  }
}
