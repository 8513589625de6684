import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditEntry, AuditQuery } from '@parley/contracts';
import { z } from 'zod';
import { Access } from '../auth/access';
import { Returns } from '../common/api-responses';
import { Input } from '../common/validation';
import { AuditLog } from './audit.service';

@ApiTags('audit')
@Controller('audit')
@Access('admin')
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  @Get()
  @ApiOperation({ summary: 'Every change other than stance events (those carry recordedBy): who, when, what, before and after; newest first' })
  @Input({ query: AuditQuery })
  @Returns(200, z.array(AuditEntry), 'Audit entries', [400, 401, 403])
  list(@Query() query: AuditQuery): Promise<AuditEntry[]> {
    return this.audit.list(query);
  }
}
