import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditPage, AuditQuery } from '@parley/contracts';
import { Access } from '../common/access';
import { Returns } from '../common/api-responses';
import { Input } from '../common/validation';
import { AuditLog } from './audit.service';

@ApiTags('audit')
@Controller('audit')
@Access('admin')
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  @Get()
  @ApiOperation({
    summary: 'Every change other than stance events (those carry recordedBy): who, when, what, before and after; newest first',
    description: 'Paged: `limit` entries (default 200, at most 1000), then pass `nextBefore` as `before` for the next, older page; `nextBefore` is null on the last page. Entries recorded at the same instant are ordered by id, so no entry is skipped or repeated between pages.',
  })
  @Input({ query: AuditQuery })
  @Returns(200, AuditPage, 'A page of audit entries', [400, 401, 403])
  list(@Query() query: AuditQuery): Promise<AuditPage> {
    return this.audit.list(query);
  }
}
