import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ShareLink, ShareLinkCreate, ShareLinkCreated } from '@parley/contracts';
import { z } from 'zod';
import { Access } from '../common/access';
import { Returns } from '../common/api-responses';
import { Author } from '../common/author.decorator';
import { Input } from '../common/validation';
import { ShareLinksService } from './share-links.service';

@ApiTags('share-links')
@Controller('negotiations/:negotiationId/share-links')
@Access('admin')
export class ShareLinksController {
  constructor(private readonly links: ShareLinksService) {}

  @Get()
  @ApiOperation({ summary: 'Read-only share links of a negotiation (never the tokens)' })
  @Returns(200, z.array(ShareLink), 'Share links', [401, 403, 404])
  list(@Param('negotiationId') negotiationId: string): Promise<ShareLink[]> {
    return this.links.list(negotiationId);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a read-only share link for one negotiation; the token is shown once' })
  @Input({ body: ShareLinkCreate })
  @Returns(201, ShareLinkCreated, 'Created', [400, 401, 403, 404])
  create(@Param('negotiationId') negotiationId: string, @Body() body: ShareLinkCreate, @Author() author: string): Promise<ShareLinkCreated> {
    return this.links.create(negotiationId, body, author);
  }

  @Delete(':linkId')
  @ApiOperation({ summary: 'Revoke a share link (it stops working at once)' })
  @Returns(200, ShareLink, 'Revoked', [401, 403, 404])
  revoke(@Param('negotiationId') negotiationId: string, @Param('linkId') linkId: string, @Author() author: string): Promise<ShareLink> {
    return this.links.revoke(negotiationId, linkId, author);
  }
}
