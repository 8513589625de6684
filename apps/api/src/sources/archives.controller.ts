import { Controller, Get, HttpCode, Param, Put, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ARCHIVE_CONTENT_TYPES, Source } from '@parley/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../common/access';
import { Returns } from '../common/api-responses';
import { Author } from '../common/author.decorator';
import { ArchivesService } from './archives.service';

const EXTENSION = { 'text/plain': 'txt', 'text/html': 'html', 'application/pdf': 'pdf' } as const;

@ApiTags('sources')
@Controller('negotiations/:negotiationId/sources/:sourceId/archive')
@Access('read')
export class ArchivesController {
  constructor(private readonly archives: ArchivesService) {}

  @Put()
  @HttpCode(200)
  @Access('analyst')
  @ApiOperation({
    summary: 'Attach an archived copy of a source: the raw body as text/plain (UTF-8), text/html or application/pdf, up to ARCHIVE_LIMIT_BYTES',
    description:
      'Stores the bytes with their SHA-256 and extracts their plain text. A new copy is shown instead of the earlier ones, which are kept. 413 over the limit, 415 for another content type or charset, 400 for an empty body or an HTML/PDF that cannot be read: each changes nothing.',
  })
  @ApiConsumes(...ARCHIVE_CONTENT_TYPES)
  @ApiBody({ required: true, description: 'The copy', schema: { type: 'string', format: 'binary' } })
  @Returns(200, Source, 'The source with its new archive', [400, 404, 413, 415])
  attach(@Param('negotiationId') negotiationId: string, @Param('sourceId') sourceId: string, @Req() req: FastifyRequest, @Author() author: string): Promise<Source> {
    return this.archives.attach(negotiationId, sourceId, req.headers['content-type'], req.body, author);
  }

  @Get()
  @ApiOperation({ summary: "The archived copy's plain text (never served as HTML: text/plain, nosniff, a sandboxing CSP)" })
  @ApiProduces('text/plain')
  @Returns(200, null, 'The text', [404])
  async text(@Param('negotiationId') negotiationId: string, @Param('sourceId') sourceId: string, @Res() reply: FastifyReply): Promise<void> {
    const copy = await this.archives.latest(negotiationId, sourceId);
    await reply
      .header('content-type', 'text/plain; charset=utf-8')
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "sandbox; default-src 'none'")
      .header('content-disposition', `inline; filename="source-${copy.sourceId}.txt"`)
      .header('cache-control', 'private, no-store')
      .header('x-archive-sha256', copy.sha256)
      .send(copy.text);
  }

  @Get('original')
  @ApiOperation({ summary: 'The archived copy as it was stored, as a download (an HTML copy as application/octet-stream)' })
  @ApiProduces(...ARCHIVE_CONTENT_TYPES)
  @Returns(200, null, 'The stored bytes', [404])
  async original(@Param('negotiationId') negotiationId: string, @Param('sourceId') sourceId: string, @Res() reply: FastifyReply): Promise<void> {
    const copy = await this.archives.latest(negotiationId, sourceId);
    const type = copy.contentType === 'text/html' ? 'application/octet-stream' : copy.contentType === 'text/plain' ? 'text/plain; charset=utf-8' : copy.contentType;
    await reply
      .header('content-type', type)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "sandbox; default-src 'none'")
      .header('content-disposition', `attachment; filename="source-${copy.sourceId}.${EXTENSION[copy.contentType]}"`)
      .header('cache-control', 'private, no-store')
      .header('x-archive-sha256', copy.sha256)
      .send(copy.bytes);
  }
}
