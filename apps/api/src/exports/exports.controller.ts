import { Controller, Get, HttpCode, Param, Post, Query, Req, Res, Body } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ExportQuery, ImportQuery, NegotiationDump, type ExportFormat, type ImportReport } from '@parley/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import { Access } from '../common/access';
import { Returns } from '../common/api-responses';
import { AppError, invalid } from '../common/app-error';
import { Author, CurrentPrincipal } from '../common/author.decorator';
import type { Principal } from '../common/principal';
import { Input, problemsOf } from '../common/validation';
import { CsvImportService } from './csv-import.service';
import { DumpService, importRefused } from './dump.service';
import { CONTENT_TYPES, ExportRunner } from './export-runner';

const BOUNDS =
  'asOf: positions as the sources say they were then; knownAt: only what Parley had recorded by then; since: list the stance changes effective from it to asOf (after asOf is a 400); recordedSince: those recorded (or retracted) after it. The filters (category, status, parties, q, documentId) are those of the dashboard.';

/** The dump's JSON Schema, generated from the same zod schema that validates imports. */
export const DUMP_JSON_SCHEMA = {
  $id: 'negotiation-dump.schema.json',
  title: 'Parley negotiation dump',
  ...z.toJSONSchema(NegotiationDump, { io: 'input', unrepresentable: 'any' }),
};

@ApiTags('exports')
@Controller()
@Access('read')
export class ExportsController {
  constructor(
    private readonly runner: ExportRunner,
    private readonly dumps: DumpService,
    private readonly csvImports: CsvImportService,
  ) {}

  /** Reads and checks first (a clean JSON error if that fails), then streams the file. */
  private async send(id: string, format: ExportFormat, query: ExportQuery, req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const job = await this.runner.prepare(id, format, query);
    const out = new PassThrough();
    const written = job.write(out).catch((err: unknown) => {
      // Headers are gone: the client sees a cut-off download, the log says why.
      req.log.error({ err }, `export ${format} failed while streaming`);
      out.destroy(err instanceof Error ? err : new Error(String(err)));
    });
    await reply
      .header('content-type', job.contentType)
      .header('content-disposition', `attachment; filename="${job.fileName}"`)
      .header('cache-control', 'private, no-store')
      .send(out);
    await written;
  }

  @Get('negotiations/:negotiationId/export.pdf')
  @ApiOperation({ summary: 'PDF briefing: matrix, changes in the window, per-point notes with sources, convergence chart', description: BOUNDS })
  @ApiProduces(CONTENT_TYPES.pdf)
  @Input({ query: ExportQuery })
  @Returns(200, null, 'The PDF')
  pdf(@Param('negotiationId') id: string, @Query() query: ExportQuery, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.send(id, 'pdf', query, req, reply);
  }

  @Get('negotiations/:negotiationId/export.xlsx')
  @ApiOperation({
    summary: 'Spreadsheet: Matrix (coloured, frozen headers), Changes (every stance event, all fields), Points, Parties, Documents, Sources',
    description: BOUNDS,
  })
  @ApiProduces(CONTENT_TYPES.xlsx)
  @Input({ query: ExportQuery })
  @Returns(200, null, 'The XLSX workbook')
  xlsx(@Param('negotiationId') id: string, @Query() query: ExportQuery, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.send(id, 'xlsx', query, req, reply);
  }

  @Get('negotiations/:negotiationId/export.csv')
  @ApiOperation({
    summary: 'CSV (RFC 4180, UTF-8): the matrix (table=matrix) or every stance event (table=changes)',
    description: `${BOUNDS} Cells starting with = + - @, tab or CR get a leading apostrophe so no spreadsheet runs them as formulas. bom=true adds a byte-order mark for Excel. The change-log columns are those of the stance import.`,
  })
  @ApiProduces(CONTENT_TYPES.csv)
  @Input({ query: ExportQuery })
  @Returns(200, null, 'The CSV')
  csv(@Param('negotiationId') id: string, @Query() query: ExportQuery, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.send(id, 'csv', query, req, reply);
  }

  @Get('negotiations/:negotiationId/export.json')
  @ApiOperation({
    summary: 'Complete, versioned dump of the negotiation (every record, retracted events, sequence numbers, the change log)',
    description:
      'Validates against the JSON Schema at /api/schemas/negotiation-dump.json. POST it to /api/negotiations/import on another installation to move the negotiation; exporting there gives the same bytes. The dump is always complete: asOf, knownAt and the filters do not apply.',
  })
  @ApiProduces(CONTENT_TYPES.json)
  @Input({ query: ExportQuery })
  @Returns(200, null, 'The dump')
  json(@Param('negotiationId') id: string, @Query() query: ExportQuery, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.send(id, 'json', query, req, reply);
  }

  @Get('negotiations/:negotiationId/export.md')
  @ApiOperation({ summary: 'A short Markdown digest for chat or email', description: BOUNDS })
  @ApiProduces(CONTENT_TYPES.md)
  @Input({ query: ExportQuery })
  @Returns(200, null, 'The digest')
  markdown(@Param('negotiationId') id: string, @Query() query: ExportQuery, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.send(id, 'md', query, req, reply);
  }

  @Get('schemas/negotiation-dump.json')
  @Access('public')
  @ApiOperation({ summary: 'JSON Schema of the negotiation dump (export.json and import)' })
  @Returns(200, null, 'The JSON Schema')
  dumpSchema(): unknown {
    return DUMP_JSON_SCHEMA;
  }

  @Post('negotiations/import')
  @Access('analyst')
  @HttpCode(200)
  @ApiOperation({
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
