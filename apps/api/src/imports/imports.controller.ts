import { Body, Controller, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ImportQuery, NegotiationDump, type ImportReport } from '@parley/contracts';
import type { FastifyRequest } from 'fastify';
import { Access } from '../common/access';
import { Returns } from '../common/api-responses';
import { AppError, invalid } from '../common/app-error';
import { Author, CurrentPrincipal } from '../common/author.decorator';
import type { Principal } from '../common/principal';
import { Input, problemsOf } from '../common/validation';
import { CsvImportService } from './csv-import.service';
import { DumpImporter } from './dump-importer';
import { importRefused } from './import-refused';

/**
 * POST /api/negotiations/import: a negotiation dump (JSON) or CSV rows. Documented under the
 * `exports` tag with its operation id of old (ExportsController_import), so the OpenAPI document
 * and the clients generated from it stay as they were. The class rule is the exports controller's
 * ('read', whose 401 and bearer auth the document shows); the route's own rule (analyst) decides.
 */
@ApiTags('exports')
@Controller()
@Access('read')
export class ImportsController {
  constructor(
    private readonly dumps: DumpImporter,
    private readonly csvImports: CsvImportService,
  ) {}

  @Post('negotiations/import')
  @Access('analyst')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'ExportsController_import',
    summary: 'Import a negotiation dump (application/json) or CSV rows of points or stance events (text/csv)',
    description:
      'A dump creates the negotiation with its ids and history (re-importing the same dump changes nothing; a different history under the same id is a 409); like creating a negotiation, it needs an admin (an analyst gets a 403, dry run or not). CSV goes into an existing negotiation and needs an analyst: `negotiation` (id or slug) and `kind` (points or stances). dryRun=true reports what would be created or changed and every problem with its row; a real import is one transaction: any problem and nothing is imported (400, every problem listed). Body limit: IMPORT_LIMIT_BYTES (100 MiB); CSV at most 100,000 rows.',
  })
  @ApiBody({ required: true, description: 'A negotiation dump (application/json) or a CSV file (text/csv)', schema: { type: 'object' } })
  @Input({ query: ImportQuery })
  @Returns(200, null, 'What was imported (or, for a dry run, would be), with any problems', [400, 403, 404, 409, 413, 415])
  async import(
    @Query() query: ImportQuery,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
    @Author() author: string,
    @CurrentPrincipal() principal: Principal | null,
  ): Promise<ImportReport> {
    const dryRun = query.dryRun ?? false;
    if (typeof body === 'string' && /^text\/csv/i.test(req.headers['content-type'] ?? '')) {
      const problems = [];
      if (!query.negotiation) problems.push({ field: 'query.negotiation', message: 'is required for a CSV import (the id or slug to import into)' });
      if (!query.kind) problems.push({ field: 'query.kind', message: 'is required for a CSV import: points or stances' });
      if (problems.length > 0 || !query.negotiation || !query.kind) throw invalid(problems);
      return query.kind === 'points'
        ? this.csvImports.importPoints(query.negotiation, body, dryRun, author)
        : this.csvImports.importStances(query.negotiation, body, dryRun, author);
    }
    if (body === undefined || body === null || typeof body !== 'object') {
      throw invalid([{ field: 'body', message: 'send a negotiation dump as application/json, or rows as text/csv' }]);
    }
    if (query.negotiation || query.kind) {
      throw invalid([{ field: query.kind ? 'query.kind' : 'query.negotiation', message: 'applies to CSV imports only; a JSON body is a whole negotiation dump' }]);
    }
    // A dump creates a negotiation, which POST /api/negotiations allows admins only: the same rule
    // here, before the dump is checked. The route's own rule (analyst) covers CSV rows.
    if (principal?.kind !== 'user' || principal.role !== 'admin') {
      throw new AppError(403, 'FORBIDDEN', `Importing a negotiation dump creates a negotiation, which needs the admin role${principal?.kind === 'user' ? `; you are ${principal.role}` : ''}. Analysts import CSV rows into an existing negotiation.`);
    }
    const parsed = NegotiationDump.safeParse(body);
    if (!parsed.success) {
      const problems = problemsOf(parsed.error, undefined, body);
      if (!dryRun) throw importRefused(problems);
      return {
        dryRun,
        kind: 'dump',
        negotiation: dumpIdentity(body),
        counts: {},
        unchanged: false,
        errors: problems.slice(0, 1_000).map((p) => ({ ...p, row: rowOf(p.field) })),
      };
    }
    return this.dumps.import(parsed.data, dryRun, author);
  }
}

function rowOf(field: string): number | undefined {
  const m = /^\w+\.(\d+)/.exec(field);
  return m ? Number(m[1]) : undefined;
}

function dumpIdentity(body: object): ImportReport['negotiation'] {
  const n = (body as { negotiation?: { id?: unknown; slug?: unknown; title?: unknown } }).negotiation;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  return { id: str(n?.id), slug: str(n?.slug), title: str(n?.title) };
}
