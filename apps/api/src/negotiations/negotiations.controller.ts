import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Negotiation, NegotiationCreate, NegotiationPatch } from '@parley/contracts';
import { z } from 'zod';
import { Access } from '../common/access';
import { Returns } from '../common/api-responses';
import { Author, CurrentPrincipal } from '../common/author.decorator';
import type { Principal } from '../common/principal';
import { Input } from '../common/validation';
import { NegotiationsService } from './negotiations.service';

@ApiTags('negotiations')
@Controller('negotiations')
@Access('read')
export class NegotiationsController {
  constructor(private readonly negotiations: NegotiationsService) {}

  @Get()
  @ApiOperation({ summary: 'List negotiations' })
  @Returns(200, z.array(Negotiation), 'All negotiations', [])
  async list(@CurrentPrincipal() principal: Principal | null): Promise<Negotiation[]> {
    const all = await this.negotiations.list();
    // A share link opens one negotiation only.
    return principal?.kind === 'share' ? all.filter((n) => n.id === principal.negotiationId) : all;
  }

  @Post()
  @HttpCode(201)
  @Access('admin')
  @ApiOperation({ summary: 'Create a negotiation' })
  @Input({ body: NegotiationCreate })
  @Returns(201, Negotiation, 'Created', [400, 409])
  create(@Body() body: NegotiationCreate, @Author() author: string): Promise<Negotiation> {
    return this.negotiations.create(body, author);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a negotiation by id or slug' })
  @Returns(200, Negotiation, 'The negotiation', [404])
  get(@Param('id') id: string): Promise<Negotiation> {
    return this.negotiations.get(id);
  }

  @Patch(':id')
  @Access('admin')
  @ApiOperation({ summary: 'Change a negotiation (optimistic lock with expectedVersion)' })
  @Input({ body: NegotiationPatch })
  @Returns(200, Negotiation, 'Updated', [400, 404, 409])
  update(@Param('id') id: string, @Body() body: NegotiationPatch, @Author() author: string): Promise<Negotiation> {
    return this.negotiations.update(id, body, author);
  }
}
