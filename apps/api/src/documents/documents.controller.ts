import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CompareQuery, CompareView, DocumentCreate, DocumentPatch, PlanDocument, PlanQuery, ProvisionsPatch } from '@parley/contracts';
import { z } from 'zod';
import { Access } from '../common/access';
import { Returns } from '../common/api-responses';
import { Author } from '../common/author.decorator';
import { Input } from '../common/validation';
import { DocumentsService } from './documents.service';
import { TakesRefs } from '../refs/refs.guard';

@ApiTags('documents')
@Controller('negotiations/:negotiationId/documents')
@Access('read')
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Get()
  @ApiOperation({ summary: 'List the plan versions with their provisions; with asOf/knownAt, as they were (only those published by then)' })
  @Input({ query: PlanQuery })
  @Returns(200, z.array(PlanDocument), 'Documents', [400, 404])
  list(@Param('negotiationId') negotiationId: string, @Query() query: PlanQuery): Promise<PlanDocument[]> {
    return this.documents.list(negotiationId, query);
  }

  @Get('compare')
  @ApiOperation({ summary: 'Compare two documents point by point, with word-level differences' })
  @Input({ query: CompareQuery })
  @TakesRefs({ query: { a: 'document', b: 'document' } })
  @Returns(200, CompareView, 'Rows per point: same, changed, only in a, only in b; renumbering and split/merge lineage')
  compare(@Param('negotiationId') negotiationId: string, @Query() query: CompareQuery): Promise<CompareView> {
    return this.documents.compare(negotiationId, query.a, query.b);
  }

  @Post()
  @HttpCode(201)
  @Access('analyst')
  @ApiOperation({ summary: 'Add a document (a version of the plan) with its provisions, or starting from another document\'s (`basedOn`)' })
  @Input({ body: DocumentCreate })
  @TakesRefs({ body: { authorPartyId: 'party', 'provisions.*.pointId': 'point', basedOn: 'document' } })
  @Returns(201, PlanDocument, 'Created', [400, 404])
  create(@Param('negotiationId') negotiationId: string, @Body() body: DocumentCreate, @Author() author: string): Promise<PlanDocument> {
    return this.documents.create(negotiationId, body, author);
  }

  @Get(':documentId')
  @ApiOperation({ summary: 'Get a document; with asOf/knownAt, with its provisions as they were (404 if not yet published)' })
  @Input({ query: PlanQuery })
  @Returns(200, PlanDocument, 'The document', [400, 404])
  get(@Param('negotiationId') negotiationId: string, @Param('documentId') documentId: string, @Query() query: PlanQuery): Promise<PlanDocument> {
    return this.documents.get(negotiationId, documentId, query);
  }

  @Patch(':documentId')
  @Access('analyst')
  @ApiOperation({ summary: 'Change a document; `provisions` replaces all of them' })
  @Input({ body: DocumentPatch })
  @TakesRefs({ body: { authorPartyId: 'party', 'provisions.*.pointId': 'point' } })
  @Returns(200, PlanDocument, 'Updated', [400, 404, 409])
  update(
    @Param('negotiationId') negotiationId: string,
    @Param('documentId') documentId: string,
    @Body() body: DocumentPatch,
    @Author() author: string,
  ): Promise<PlanDocument> {
    return this.documents.update(negotiationId, documentId, body, author);
  }

  @Patch(':documentId/provisions')
  @Access('analyst')
  @ApiOperation({ summary: 'Edit provisions in place: renumber (numbers may be swapped), reword, add and remove, in one request' })
  @Input({ body: ProvisionsPatch })
  @TakesRefs({ body: { 'set.*.pointId': 'point', 'remove.*': 'point' } })
  @Returns(200, PlanDocument, 'Updated', [400, 404, 409])
  editProvisions(
    @Param('negotiationId') negotiationId: string,
    @Param('documentId') documentId: string,
    @Body() body: ProvisionsPatch,
    @Author() author: string,
  ): Promise<PlanDocument> {
    return this.documents.editProvisions(negotiationId, documentId, body, author);
  }
}
