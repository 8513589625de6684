import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  BatchResult,
  BatchSummary,
  ChangesPage,
  ChangesQuery,
  CorrectStanceResult,
  HistoryQuery,
  LIMITS,
  PointHistory,
  Proposal,
  RecordStanceResult,
  RetractInput,
  StanceBatch,
  StanceCorrect,
  StanceCreate,
  StanceEvent,
  summarizeBatch,
} from '@parley/contracts';
import type { FastifyReply } from 'fastify';
import { Access } from '../common/access';
import { Returns } from '../common/api-responses';
import { AppError, invalid } from '../common/app-error';
import { Author, CurrentPrincipal } from '../common/author.decorator';
import type { Principal } from '../common/principal';
import { Input } from '../common/validation';
import { StancesService, type IdempotencyKey, type Replayable } from './stances.service';

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description: 'Any unique string (e.g. a UUID) per logical write: a retry with the same key returns the first result',
};

/** The key as given, scoped by who sends it: the same key from another user is another request. */
function idempotencyKey(value: string | undefined, principal: Principal | null): IdempotencyKey | undefined {
  if (value === undefined) return undefined;
  if (value.length === 0 || value.length > LIMITS.idempotencyKey || !/^[\x21-\x7e]+$/.test(value)) {
    throw invalid([{ field: 'header.Idempotency-Key', message: `must be 1–${LIMITS.idempotencyKey} visible ASCII characters` }]);
  }
  // Writes need a signed-in analyst (a share link cannot write), so the principal is a user.
  if (principal?.kind !== 'user') throw new AppError(403, 'FORBIDDEN', 'A share link only reads; sign in to change anything');
  return { key: value, principalId: principal.userId };
}

/**
 * Whether a Prefer header (RFC 7240: comma-separated preferences, names case-insensitive) asks for
 * `return=minimal`. Preferences the server does not know are ignored, as the RFC says.
 */
export function prefersMinimal(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((preference) => {
    const [name, value] = preference.split(';')[0].split('=').map((part) => part.trim().replace(/^"|"$/g, ''));
    return name.toLowerCase() === 'return' && value?.toLowerCase() === 'minimal';
  });
}

function send<T>(reply: FastifyReply, result: Replayable<T>): T {
  reply.status(result.status);
  if (result.replayed) reply.header('idempotent-replayed', 'true');
  return result.body;
}

@ApiTags('stances')
@Controller()
@Access('read')
export class StancesController {
  constructor(private readonly stances: StancesService) {}

  @Post('negotiations/:negotiationId/stances')
  @Access('analyst')
  @HttpCode(201)
  @ApiOperation({
    summary:
      "Record one stance event (optimistic lock with expectedVersion; idempotent with Idempotency-Key). Under the negotiation's review policy `required`: 202 with the proposal made instead, published only once another analyst or an admin approves it",
  })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @Input({ body: StanceCreate })
  @Returns(201, RecordStanceResult, 'Recorded: the event and the cell after it', [400, 404, 409, 422])
  @Returns(202, Proposal, 'Review required: the proposal, visible to analysts and admins only', [])
  async record(
    @Param('negotiationId') negotiationId: string,
    @Body() body: StanceCreate,
    @Author() author: string,
    @CurrentPrincipal() principal: Principal | null,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RecordStanceResult | Proposal> {
    return send(reply, await this.stances.record(negotiationId, body, author, idempotencyKey(key, principal)));
  }

  @Post('negotiations/:negotiationId/stances/batch')
  @Access('analyst')
  @HttpCode(201)
  @ApiOperation({ summary: `Record up to ${LIMITS.batchItems} stance events, all or nothing` })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiHeader({
    name: 'Prefer',
    required: false,
    description:
      '`return=minimal`: answer each item with its event id, seq, cell version and current event id instead of the events in full (about a tenth of the bytes; `Preference-Applied: return=minimal` confirms)',
  })
  @Input({ body: StanceBatch })
  @Returns(
    201,
    BatchResult.or(BatchSummary),
    "All recorded, in order: the events and their cells, or with `Prefer: return=minimal` a summary per item. Refused (409 REVIEW_REQUIRED) when the negotiation's review policy is `required`",
    [400, 404, 409, 422],
  )
  async batch(
    @Param('negotiationId') negotiationId: string,
    @Body() body: StanceBatch,
    @Author() author: string,
    @CurrentPrincipal() principal: Principal | null,
    @Headers('idempotency-key') key: string | undefined,
    @Headers('prefer') prefer: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BatchResult | BatchSummary> {
    const result = send(reply, await this.stances.recordBatch(negotiationId, body.events, author, idempotencyKey(key, principal)));
    if (!prefersMinimal(prefer)) return result;
    reply.header('preference-applied', 'return=minimal');
    return summarizeBatch(result);
  }

  @Post('stance-events/:eventId/retract')
  @Access('analyst')
  @HttpCode(201)
  @ApiOperation({ summary: "Retract a stance event with a reason (a correction; nothing is deleted). Under review policy `required`: 202 with the proposal made instead" })
  @Input({ body: RetractInput })
  @Returns(201, RecordStanceResult, 'Retracted: the event with its retraction and the cell after it', [400, 404, 409])
  @Returns(202, Proposal, 'Review required: the proposal, visible to analysts and admins only', [])
  async retract(
    @Param('eventId') eventId: string,
    @Body() body: RetractInput,
    @Author() author: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RecordStanceResult | Proposal> {
    return send(reply, await this.stances.retract(eventId, body, author));
  }

  @Post('negotiations/:negotiationId/stances/:eventId/correct')
  @Access('analyst')
  @HttpCode(201)
  @ApiOperation({
    summary:
      "One-step correction: retract the event (reason) and record the new stance on its cell in one transaction and one change (`stance.corrected`, one seq, one live message); expectedVersion (the cell's version) is required. Idempotent with Idempotency-Key. Under review policy `required`: 202 with a proposal of kind `correction` instead",
  })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @Input({ body: StanceCorrect })
  @Returns(201, CorrectStanceResult, 'Corrected: the event retracted, the new event and the cell after both', [400, 404, 409, 422])
  @Returns(202, Proposal, 'Review required: the proposal (kind correction), visible to analysts and admins only', [])
  async correct(
    @Param('negotiationId') negotiationId: string,
    @Param('eventId') eventId: string,
    @Body() body: StanceCorrect,
    @Author() author: string,
    @CurrentPrincipal() principal: Principal | null,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CorrectStanceResult | Proposal> {
    return send(reply, await this.stances.correct(negotiationId, eventId, body, author, idempotencyKey(key, principal)));
  }

  @Get('stance-events/:eventId')
  @ApiOperation({ summary: 'Get one stance event' })
  @Returns(200, StanceEvent, 'The event', [404])
  getEvent(@Param('eventId') eventId: string): Promise<StanceEvent> {
    return this.stances.getEvent(eventId);
  }

  @Get('negotiations/:negotiationId/changes')
  @ApiOperation({ summary: 'Stance events recorded and retracted, in sequence order, paged by sinceSeq' })
  @Input({ query: ChangesQuery })
  @Returns(200, ChangesPage, 'A page of changes')
  changes(@Param('negotiationId') negotiationId: string, @Query() query: ChangesQuery): Promise<ChangesPage> {
    return this.stances.changesOf(negotiationId, query);
  }

  @Get('negotiations/:negotiationId/points/:pointId/history')
  @ApiOperation({ summary: "A point's text in every document and every stance event on it, retractions included" })
  @Input({ query: HistoryQuery })
  @Returns(200, PointHistory, 'The history of the point')
  history(
    @Param('negotiationId') negotiationId: string,
    @Param('pointId') pointId: string,
    @Query() query: HistoryQuery,
  ): Promise<PointHistory> {
    return this.stances.history(negotiationId, pointId, query);
  }
}
