import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ExportQuery, NegotiationDump, type ExportFormat } from '@parley/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import { Access } from '../common/access';
import { Returns } from '../common/api-responses';
import { AppError, invalid } from '../common/app-error';
import type { WithPrincipal } from '../common/principal';
import { Input } from '../common/validation';
import { CONTENT_TYPES, ExportRunner } from './export-runner';
import { ReviewLogExport } from './review-log';

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
    private readonly reviewLog: ReviewLogExport,
  ) {}

  /** Reads and checks first (a clean JSON error if that fails), then streams the file. */
  private async send(id: string, format: ExportFormat, query: ExportQuery, req: FastifyRequest & WithPrincipal, reply: FastifyReply): Promise<void> {
    if (query.includeProposals) {
      // Proposals are for the desk: never for a viewer or a share link, and only in the dump.
      if (format !== 'json') throw invalid([{ field: 'query.includeProposals', message: 'is for export.json only' }]);
      const p = req.principal;
      if (p?.kind !== 'user' || (p.role !== 'analyst' && p.role !== 'admin')) {
        throw new AppError(403, 'FORBIDDEN', 'includeProposals needs the analyst role: proposals are for analysts and admins only');
      }
    }
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

  @Get('negotiations/:negotiationId/review-log.csv')
  @Access('analyst')
  @ApiOperation({
    summary: 'Review log (CSV, analysts and admins): one row per decision on a proposal — author, reviewer, decision, times, time to decision in seconds — then the proposals still open',
  })
  @ApiProduces(CONTENT_TYPES.csv)
  @Returns(200, null, 'The CSV', [404])
  async reviewLogCsv(@Param('negotiationId') id: string, @Res() reply: FastifyReply): Promise<void> {
    const { slug, text } = await this.reviewLog.csv(id);
    await reply
      .header('content-type', CONTENT_TYPES.csv)
      .header('content-disposition', `attachment; filename="${slug}-review-log.csv"`)
      .header('cache-control', 'private, no-store')
      .send(text);
  }

  @Get('schemas/negotiation-dump.json')
  @Access('public')
  @ApiOperation({ summary: 'JSON Schema of the negotiation dump (export.json and import)' })
  @Returns(200, null, 'The JSON Schema')
  dumpSchema(): unknown {
    return DUMP_JSON_SCHEMA;
  }
}
